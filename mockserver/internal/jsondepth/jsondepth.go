// Package jsondepth bounds how deeply JSON text nests, before a decoder or
// a schema validator walks it: their work grows with depth, so a small
// deeply nested document can cost seconds and hundreds of megabytes.
package jsondepth

// Exceeds returns the byte offset at which data first opens an object or
// array more than limit levels deep, or -1 when it never does. Brackets
// inside strings do not count. The scan is one pass over the bytes and
// allocates nothing, so it cannot itself be made to recurse.
func Exceeds(data []byte, limit int) int {
	depth, inString, escaped := 0, false, false
	for i, c := range data {
		switch {
		case escaped:
			escaped = false
		case inString:
			escaped = c == '\\'
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			if depth++; depth > limit {
				return i
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return -1
}
