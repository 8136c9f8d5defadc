package main

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// textLines is slog's TextHandler with a shorter road for the records the
// server writes most, one per request: a record whose attributes are all
// strings, integers, booleans or durations, on a logger with no groups or
// attributes of its own, is written by appendTextLine; any other record,
// and any derived logger, goes through the TextHandler. slog's generic walk
// made the request line cost a fifth of the throughput (issue 19), and
// TestTextLinesMatchTextHandler holds the two byte for byte.
type textLines struct {
	*slog.TextHandler
	w io.Writer
}

func newTextLines(w io.Writer, opts *slog.HandlerOptions) textLines {
	return textLines{slog.NewTextHandler(w, opts), w}
}

func (h textLines) Handle(ctx context.Context, r slog.Record) error {
	buf := lineBufs.Get().(*[]byte)
	defer lineBufs.Put(buf)
	line, ok := appendTextLine((*buf)[:0], r)
	if !ok {
		return h.TextHandler.Handle(ctx, r)
	}
	_, err := h.w.Write(line)
	if cap(line) <= maxPooledLine {
		*buf = line[:0]
	}
	return err
}

// lineBufs are the lines' buffers (a writer keeps none of a line); one
// grown past maxPooledLine by a long line is let go.
const maxPooledLine = 16 << 10

var lineBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// appendTextLine appends r as the TextHandler writes it (no ReplaceAttr,
// no AddSource), or says it cannot.
func appendTextLine(b []byte, r slog.Record) ([]byte, bool) {
	if !r.Time.IsZero() {
		b = appendRFC3339Millis(append(b, "time="...), r.Time.Round(0))
		b = append(b, ' ')
	}
	b = appendTextString(append(b, "level="...), r.Level.String())
	b = appendTextString(append(b, " msg="...), r.Message)
	ok := true
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "" || textNeedsQuoting(a.Key) {
			ok = false
			return false
		}
		b = append(append(append(b, ' '), a.Key...), '=')
		b, ok = appendTextValue(b, a.Value)
		return ok
	})
	return append(b, '\n'), ok
}

func appendTextValue(b []byte, v slog.Value) ([]byte, bool) {
	switch v.Kind() {
	case slog.KindString:
		return appendTextString(b, v.String()), true
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10), true
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10), true
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool()), true
	case slog.KindDuration:
		return append(b, v.Duration().String()...), true
	}
	return b, false
}

// appendRFC3339Millis is slog's: RFC 3339 with exactly three digits of
// milliseconds, truncated. Formatting a time was a third of the request
// line's cost, and thousands of lines a second share their second, so the
// second is formatted once and only its milliseconds are written per line.
func appendRFC3339Millis(b []byte, t time.Time) []byte {
	if y := t.Year(); y < 1 || y > 9999 {
		return formatRFC3339Millis(b, t) // a four-digit year puts the milliseconds at a fixed place
	}
	st := lastStamp.Load()
	if st == nil || st.unix != t.Unix() || st.loc != t.Location() {
		st = &stamp{unix: t.Unix(), loc: t.Location(), text: formatRFC3339Millis(nil, t.Truncate(time.Second))}
		lastStamp.Store(st)
	}
	n := len(b) + len("2006-01-02T15:04:05.")
	b = append(b, st.text...)
	ms := t.Nanosecond() / int(time.Millisecond)
	b[n], b[n+1], b[n+2] = byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10)
	return b
}

// stamp is one second as appendRFC3339Millis writes it, with ".000".
type stamp struct {
	unix int64
	loc  *time.Location
	text []byte
}

var lastStamp atomic.Pointer[stamp]

// formatRFC3339Millis is slog's own way of writing the time.
func formatRFC3339Millis(b []byte, t time.Time) []byte {
	const prefixLen = len("2006-01-02T15:04:05.000")
	n := len(b)
	t = t.Truncate(time.Millisecond).Add(time.Millisecond / 10)
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+prefixLen], b[n+prefixLen+1:]...)
}

func appendTextString(b []byte, s string) []byte {
	if textNeedsQuoting(s) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

// textNeedsQuoting is slog's rule for text values: empty, a space, '=',
// '"', a control character below 0x20, or a rune that is not printable.
func textNeedsQuoting(s string) bool {
	if s == "" {
		return true
	}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if quotedASCII[c] {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}

// quotedASCII marks the ASCII bytes textNeedsQuoting quotes: one lookup
// per byte of a line's paths and names rather than four comparisons.
var quotedASCII = func() (q [utf8.RuneSelf]bool) {
	for c := range q {
		q[c] = c == ' ' || c == '=' || c == '"' || c < 0x20
	}
	return q
}()
