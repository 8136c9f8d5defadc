package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
)

func BenchmarkTextLines(b *testing.B) {
	h := newTextLines(io.Discard, nil)
	r := logRecord(time.Now(), slog.LevelInfo, "request", slog.String("api", "spark"), slog.String("method", "GET"),
		slog.String("path", "/spark/v1/listings/20100815153524571646000000/shared/notes"), slog.String("operation", "getSharedNote"),
		slog.Int("status", 200), slog.Duration("duration", 19817*time.Nanosecond))
	b.ReportAllocs()
	for b.Loop() {
		_ = h.Handle(context.Background(), r)
	}
}

func BenchmarkTextHandler(b *testing.B) {
	h := slog.NewTextHandler(io.Discard, nil)
	r := logRecord(time.Now(), slog.LevelInfo, "request", slog.String("api", "spark"), slog.String("method", "GET"),
		slog.String("path", "/spark/v1/listings/20100815153524571646000000/shared/notes"), slog.String("operation", "getSharedNote"),
		slog.Int("status", 200), slog.Duration("duration", 19817*time.Nanosecond))
	b.ReportAllocs()
	for b.Loop() {
		_ = h.Handle(context.Background(), r)
	}
}
