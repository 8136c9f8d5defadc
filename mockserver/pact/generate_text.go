package pact

import (
	"fmt"
	"math/rand/v2"
	"regexp/syntax"
	"strings"
	"time"
)

// formatJava writes t in a Java date pattern (the letters compileDateFormat
// checks), so that a generated value passes the matching date rule.
// Optional sections are written in full.
func formatJava(t time.Time, pattern string) (string, error) {
	parts, err := splitPattern(pattern)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range parts {
		switch {
		case p.open, p.close:
		case p.letter == 0:
			b.WriteString(p.literal)
		default:
			s, err := formatLetter(t, p.letter, p.n)
			if err != nil {
				return "", fmt.Errorf("date format %s: %w", quote(pattern), err)
			}
			b.WriteString(s)
		}
	}
	return b.String(), nil
}

func pad(v, n int) string { return fmt.Sprintf("%0*d", n, v) }

// formatLetter writes one run of n pattern letters c.
func formatLetter(t time.Time, c byte, n int) (string, error) {
	switch c {
	case 'y', 'u':
		if n == 2 {
			return pad(t.Year()%100, 2), nil
		}
		return pad(t.Year(), max(n, 4)), nil
	case 'M', 'L':
		switch {
		case n >= 4:
			return t.Month().String(), nil
		case n == 3:
			return t.Month().String()[:3], nil
		}
		return pad(int(t.Month()), n), nil
	case 'd':
		return pad(t.Day(), n), nil
	case 'D':
		return pad(t.YearDay(), n), nil
	case 'H':
		return pad(t.Hour(), n), nil
	case 'k':
		return pad((t.Hour()+23)%24+1, n), nil
	case 'h':
		return pad((t.Hour()+11)%12+1, n), nil
	case 'K':
		return pad(t.Hour()%12, n), nil
	case 'm':
		return pad(t.Minute(), n), nil
	case 's':
		return pad(t.Second(), n), nil
	case 'S':
		return fmt.Sprintf("%09d", t.Nanosecond())[:min(n, 9)], nil
	case 'a':
		return t.Format("PM"), nil
	case 'E':
		if n >= 4 {
			return t.Weekday().String(), nil
		}
		return t.Weekday().String()[:3], nil
	case 'G':
		return "AD", nil
	}
	return formatZone(t, c, n)
}

func formatZone(t time.Time, c byte, n int) (string, error) {
	_, off := t.Zone()
	switch {
	case c == 'X' && off == 0:
		return "Z", nil
	case c == 'X' || c == 'x':
		layouts := map[int]string{1: "-07", 2: "-0700", 3: "-07:00", 4: "-0700", 5: "-07:00"}
		if l, ok := layouts[n]; ok {
			return t.Format(l), nil
		}
	case c == 'Z' && n <= 3:
		return t.Format("-0700"), nil
	case c == 'Z' && n == 5:
		return t.Format("Z07:00"), nil
	case c == 'z':
		return t.Format("MST"), nil
	}
	return "", fmt.Errorf("pattern letter %q cannot be generated", strings.Repeat(string(c), n))
}

// fromRegex makes a string the regular expression matches, walking its
// syntax tree with random choices (repeats are capped so that x* and x+
// stay short).
func fromRegex(expr string) (any, string) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, fmt.Sprintf("regex /%s/ cannot be generated from: %v", expr, err)
	}
	var b strings.Builder
	if err := genRegex(&b, re.Simplify(), 0); err != nil {
		return nil, fmt.Sprintf("regex /%s/ cannot be generated from: %v", expr, err)
	}
	return b.String(), ""
}

func genRegex(b *strings.Builder, re *syntax.Regexp, depth int) error {
	if depth > 100 || b.Len() > 10000 {
		return fmt.Errorf("too deep or too long")
	}
	switch re.Op {
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		b.WriteRune(pickRune(re.Rune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte("abcdefghijklmnopqrstuvwxyz"[rand.IntN(26)])
	case syntax.OpCapture:
		return genRegex(b, re.Sub[0], depth+1)
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if err := genRegex(b, sub, depth+1); err != nil {
				return err
			}
		}
	case syntax.OpAlternate:
		return genRegex(b, re.Sub[rand.IntN(len(re.Sub))], depth+1)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		return genRepeat(b, re, depth)
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
	default:
		return fmt.Errorf("%s is not supported", re.Op)
	}
	return nil
}

func genRepeat(b *strings.Builder, re *syntax.Regexp, depth int) error {
	lo, hi := re.Min, re.Max
	switch re.Op {
	case syntax.OpStar:
		lo, hi = 0, 3
	case syntax.OpPlus:
		lo, hi = 1, 3
	case syntax.OpQuest:
		lo, hi = 0, 1
	}
	if hi < 0 {
		hi = lo + 3
	}
	for range lo + rand.IntN(hi-lo+1) {
		if err := genRegex(b, re.Sub[0], depth+1); err != nil {
			return err
		}
	}
	return nil
}

// pickRune picks from a class's ranges, preferring printable ASCII.
func pickRune(ranges []rune) rune {
	var ascii []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := max(ranges[i], 0x21), min(ranges[i+1], 0x7e)
		if lo <= hi {
			ascii = append(ascii, lo, hi)
		}
	}
	if len(ascii) > 0 {
		ranges = ascii
	}
	if len(ranges) < 2 {
		return 'a'
	}
	i := 2 * rand.IntN(len(ranges)/2)
	return ranges[i] + rand.Int32N(ranges[i+1]-ranges[i]+1)
}
