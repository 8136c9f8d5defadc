package pact

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// dateFormat checks strings against a Java date pattern (the letters of
// SimpleDateFormat and DateTimeFormatter that Pact's date, time, datetime
// and timestamp matchers take). The pattern becomes a regular expression
// whose fields are range-checked, and a day of month is checked against
// its month and year when all three are present. Pattern letters that
// cannot be checked this way are refused, so a rule is never silently
// weaker than it says.
type dateFormat struct {
	re     *regexp.Regexp
	fields []dateField // one per capture group, in order
}

type dateField struct {
	letter   byte
	min, max int // 0, 0: no range check
}

var (
	monthsShort = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
	monthsLong  = "January|February|March|April|May|June|July|August|September|October|November|December"
	daysShort   = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
	daysLong    = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)

// patternPart is one piece of a Java date pattern: a run of n pattern
// letters, literal text, or the opening or closing of an optional section.
type patternPart struct {
	letter  byte
	n       int
	literal string
	open    bool
	close   bool
}

// splitPattern reads a Java date pattern into its parts.
func splitPattern(pattern string) ([]patternPart, error) {
	var parts []patternPart
	for i := 0; i < len(pattern); {
		c := pattern[i]
		switch {
		case c == '\'':
			lit, n, err := quotedText(pattern[i:])
			if err != nil {
				return nil, err
			}
			parts = append(parts, patternPart{literal: lit})
			i += n
		case c == '[':
			parts = append(parts, patternPart{open: true})
			i++
		case c == ']':
			parts = append(parts, patternPart{close: true})
			i++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			n := 1
			for i+n < len(pattern) && pattern[i+n] == c {
				n++
			}
			parts = append(parts, patternPart{letter: c, n: n})
			i += n
		default:
			parts = append(parts, patternPart{literal: string(c)})
			i++
		}
	}
	return parts, nil
}

// compileDateFormat turns a Java date pattern into a dateFormat.
func compileDateFormat(pattern string) (*dateFormat, error) {
	parts, err := splitPattern(pattern)
	if err != nil {
		return nil, err
	}
	var re strings.Builder
	df := &dateFormat{}
	re.WriteString("^(?:")
	for _, p := range parts {
		switch {
		case p.open:
			re.WriteString("(?:")
		case p.close:
			re.WriteString(")?")
		case p.letter == 0:
			re.WriteString(regexp.QuoteMeta(p.literal))
		default:
			expr, field, err := dateLetter(p.letter, p.n)
			if err != nil {
				return nil, fmt.Errorf("date format %s: %w", quote(pattern), err)
			}
			if field != nil {
				expr = "(" + expr + ")"
				df.fields = append(df.fields, *field)
			}
			re.WriteString(expr)
		}
	}
	re.WriteString(")$")
	if df.re, err = regexp.Compile(re.String()); err != nil {
		return nil, fmt.Errorf("date format %s cannot be checked (unbalanced [ ] or a field too wide): %w", quote(pattern), err)
	}
	return df, nil
}

// quotedText reads 'text' (” is a quote) and says how many bytes it took.
func quotedText(s string) (string, int, error) {
	if strings.HasPrefix(s, "''") {
		return "'", 2, nil
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), i + 1, nil
	}
	return "", 0, fmt.Errorf("date format: unterminated quote in %s", quote(s))
}

// digits is a number field of n letters: exactly n digits when n > 1,
// else one or two (Java's parsing of a single letter).
func digits(n, maxWidth int) string {
	if n > 1 {
		return `\d{` + strconv.Itoa(n) + `}`
	}
	return `\d{1,` + strconv.Itoa(maxWidth) + `}`
}

// dateLetter is the expression for a run of n pattern letters c, and the
// range its value must be in (nil for names and zones).
func dateLetter(c byte, n int) (string, *dateField, error) {
	num := func(maxWidth, lo, hi int) (string, *dateField, error) {
		return digits(n, maxWidth), &dateField{letter: c, min: lo, max: hi}, nil
	}
	switch c {
	case 'y', 'u':
		if n == 2 {
			return `\d{2}`, &dateField{letter: 'Y'}, nil
		}
		return `[+-]?\d{4,9}`, &dateField{letter: 'y'}, nil
	case 'M', 'L':
		switch {
		case n >= 4:
			return "(?:" + monthsLong + ")", nil, nil
		case n == 3:
			return "(?:" + monthsShort + ")", nil, nil
		}
		return num(2, 1, 12)
	case 'd':
		return num(2, 1, 31)
	case 'D':
		return num(3, 1, 366)
	case 'H':
		return num(2, 0, 23)
	case 'k':
		return num(2, 1, 24)
	case 'h':
		return num(2, 1, 12)
	case 'K':
		return num(2, 0, 11)
	case 'm', 's':
		return num(2, 0, 59)
	case 'S':
		return `\d{1,` + strconv.Itoa(n) + `}`, nil, nil
	case 'n', 'A', 'N':
		return `\d+`, nil, nil
	case 'w':
		return num(2, 1, 53)
	case 'W', 'F':
		return num(1, 1, 5)
	case 'e', 'c':
		if n <= 2 {
			return num(1, 1, 7)
		}
		return dayName(n), nil, nil
	case 'E':
		return dayName(n), nil, nil
	case 'a':
		return "(?:AM|PM|am|pm)", nil, nil
	case 'G':
		return "(?:AD|BC|Anno Domini|Before Christ)", nil, nil
	case 'Q', 'q':
		return quarter(n), nil, nil
	}
	return zoneLetter(c, n)
}

func dayName(n int) string {
	if n >= 4 {
		return "(?:" + daysLong + ")"
	}
	return "(?:" + daysShort + ")"
}

func quarter(n int) string {
	switch {
	case n <= 2:
		return "[1-4]"
	case n == 3:
		return "Q[1-4]"
	}
	return "(?:1st|2nd|3rd|4th) quarter"
}

// zoneLetter is the expression for time zone letters.
func zoneLetter(c byte, n int) (string, *dateField, error) {
	const hh, hhmm, hhColonMM = `[+-]\d{2}`, `[+-]\d{4}`, `[+-]\d{2}:\d{2}`
	offsets := []string{hh + `(?:\d{2})?`, hhmm, hhColonMM, hhmm + `(?:\d{2})?`, hhColonMM + `(?::\d{2})?`}
	switch c {
	case 'X', 'x':
		if n > 5 {
			break
		}
		expr := "(?:" + offsets[n-1] + ")"
		if c == 'X' {
			expr = "(?:Z|" + offsets[n-1] + ")"
		}
		return expr, nil, nil
	case 'Z':
		switch {
		case n <= 3:
			return hhmm, nil, nil
		case n == 4:
			return `GMT(?:` + hhColonMM + `)?`, nil, nil
		}
		return "(?:Z|" + hhColonMM + ")", nil, nil
	case 'z', 'v':
		return `[A-Z][A-Za-z]*(?:[+-]\d{1,2}(?::?\d{2})?)?`, nil, nil
	case 'V':
		return `[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*`, nil, nil
	case 'O':
		return `GMT(?:[+-]\d{1,2}(?::\d{2})?)?`, nil, nil
	}
	return "", nil, fmt.Errorf("pattern letter %q is not supported", strings.Repeat(string(c), n))
}

// check says whether s is written in the format, with each field in range
// and the day of month possible for its month.
func (df *dateFormat) check(s string) bool {
	m := df.re.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	var year, month, day = 2000, 0, 0 // a leap year unless the value says
	for i, f := range df.fields {
		v := m[i+1]
		if v == "" { // an optional section that was left out
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || f.max > 0 && (n < f.min || n > f.max) {
			return false
		}
		switch f.letter {
		case 'y':
			year = n
		case 'Y':
			year = 2000 + n
		case 'M', 'L':
			month = n
		case 'd':
			day = n
		}
	}
	return month == 0 || day == 0 || day <= daysIn(month, year)
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
