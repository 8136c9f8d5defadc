package main

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"
)

// textLines must write what slog's TextHandler writes, byte for byte,
// whichever road a record takes.
func TestTextLinesMatchTextHandler(t *testing.T) {
	at := time.Date(2026, 12, 3, 19, 21, 50, 684_999_999, time.UTC)
	for _, tc := range []struct {
		name  string
		rec   slog.Record
		short bool // appendTextLine writes it (else the TextHandler does)
	}{
		{"the request line", requestLine(at), true},
		{"quoted message and values", logRecord(at, slog.LevelWarn, "shutting down", slog.String("why", `a "b"=c`), slog.String("empty", ""),
			slog.String("ctl", "a\tb\x7f"), slog.String("uni", "é\u00a0x"), slog.String("bad", "\xff"), slog.Bool("ok", true),
			slog.Uint64("n", 7), slog.Int("neg", -3)), true},
		{"no time, odd level", logRecord(time.Time{}, slog.LevelInfo+2, "m"), true},
		{"a float", logRecord(at, slog.LevelInfo, "m", slog.Float64("f", 1.5)), false},
		{"a group", logRecord(at, slog.LevelInfo, "m", slog.Group("g", slog.Int("a", 1))), false},
		{"a key to quote", logRecord(at, slog.LevelInfo, "m", slog.Int("a b", 1)), false},
		{"any value", logRecord(at, slog.LevelError, "m", slog.Any("err", context.Canceled)), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := appendTextLine(nil, tc.rec); ok != tc.short {
				t.Errorf("appendTextLine took it: %v, want %v", ok, tc.short)
			}
			wantSameLine(t, tc.rec)
		})
	}
}

// The time is formatted once per second and zone: lines in the same
// second, the next one, another zone and years without four digits must
// each read as slog writes them.
func TestTextLinesTimeMatchesTextHandler(t *testing.T) {
	at := time.Date(2026, 12, 3, 19, 21, 50, 684_999_999, time.UTC)
	india, samoa := time.FixedZone("IST", 5*3600+1800), time.FixedZone("WST", -11*3600)
	for _, when := range []time.Time{
		at, at.Add(time.Millisecond), at.Add(315 * time.Millisecond), at.Add(316 * time.Millisecond),
		at.Add(time.Second), at.Add(time.Second).In(india), at.Add(time.Second).In(samoa), at.Add(time.Second),
		at.Truncate(time.Second), at.Truncate(time.Second).Add(-time.Nanosecond),
		time.Date(10000, 1, 1, 0, 0, 0, 5e6, time.UTC), time.Date(-5, 1, 1, 0, 0, 0, 5e6, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		wantSameLine(t, requestLine(when))
	}
}

func FuzzTextLinesMatchTextHandler(f *testing.F) {
	f.Add("request", "path", "/spark/v1/x", int64(200), int64(19817), int64(1764789710684999999))
	f.Add("a b", "k", "x=\"y\"\t\u00a0\xff", int64(-1), int64(0), int64(0))
	f.Fuzz(func(t *testing.T, msg, key, val string, n, d, ns int64) {
		wantSameLine(t, logRecord(time.Unix(0, ns), slog.LevelInfo, msg, slog.String(key, val), slog.Int64("n", n), slog.Duration("d", time.Duration(d))))
	})
}

// requestLine is a record like the one the engine logs per request.
func requestLine(at time.Time) slog.Record {
	return logRecord(at, slog.LevelInfo, "request", slog.String("api", "spark"), slog.String("method", "GET"),
		slog.String("path", "/spark/v1/listings/20100815153524571646000000/shared/notes"), slog.String("operation", "getSharedNote"),
		slog.Int("status", 200), slog.Duration("duration", 19817*time.Nanosecond))
}

func logRecord(at time.Time, level slog.Level, msg string, attrs ...slog.Attr) slog.Record {
	r := slog.NewRecord(at, level, msg, 0)
	r.AddAttrs(attrs...)
	return r
}

func wantSameLine(t *testing.T, r slog.Record) {
	t.Helper()
	var got, want bytes.Buffer
	if err := newTextLines(&got, nil).Handle(context.Background(), r.Clone()); err != nil {
		t.Fatal(err)
	}
	if err := slog.NewTextHandler(&want, nil).Handle(context.Background(), r.Clone()); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("textLines wrote\n%q\nthe TextHandler\n%q", got.String(), want.String())
	}
}
