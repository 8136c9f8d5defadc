// Package oneline folds text onto one line of bounded length, for the
// places one line is all there is room for: an HTTP header, a comment
// line of a written scenario.
package oneline

import "strings"

// Cut joins s's words with single spaces and cuts the result at max
// bytes, marking the cut with "…".
func Cut(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
