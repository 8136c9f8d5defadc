package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
)

// The request line through textLines against slog's TextHandler, same run.
func BenchmarkRequestLine(b *testing.B) {
	r := requestLine(time.Now())
	for _, h := range []struct {
		name string
		h    slog.Handler
	}{{"TextLines", newTextLines(io.Discard, nil)}, {"TextHandler", slog.NewTextHandler(io.Discard, nil)}} {
		b.Run(h.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = h.h.Handle(context.Background(), r)
			}
		})
	}
}
