package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Log lines are batched: one write to stderr per request cost a quarter of
// the throughput (issue 19), while a person watching `make run` cannot
// tell a line that arrives 100 ms late. Warnings and errors still reach
// the writer at once, and everything before them with them, in order.
const (
	logFlushDelay = 100 * time.Millisecond
	logFlushBytes = 32 << 10
)

// lineBuffer collects whole log lines for w and writes them in one call
// when logFlushBytes have gathered, logFlushDelay after the first line of
// a batch, or on Flush.
type lineBuffer struct {
	w     io.Writer
	delay time.Duration
	limit int

	mu  sync.Mutex
	buf []byte
	// writing is taken before mu is let go, so batches reach w in order
	// while request handlers go on filling the next one.
	writing sync.Mutex
	timer   *time.Timer
	armed   bool
}

func newLineBuffer(w io.Writer, delay time.Duration, limit int) *lineBuffer {
	b := &lineBuffer{w: w, delay: delay, limit: limit}
	b.timer = time.AfterFunc(time.Hour, func() { _ = b.Flush() })
	b.timer.Stop()
	return b
}

// Write keeps p (slog hands over one whole line per call) for the next flush.
func (b *lineBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	b.buf = append(b.buf, p...)
	if len(b.buf) >= b.limit {
		return len(p), b.flushAndUnlock()
	}
	if !b.armed {
		b.armed = true
		b.timer.Reset(b.delay)
	}
	b.mu.Unlock()
	return len(p), nil
}

// Flush writes what has gathered.
func (b *lineBuffer) Flush() error {
	b.mu.Lock()
	return b.flushAndUnlock()
}

// flushAndUnlock hands the batch to w outside mu, so a slow stderr holds
// up the next flush but not the handlers adding lines.
func (b *lineBuffer) flushAndUnlock() error {
	b.armed = false
	b.timer.Stop()
	batch := b.buf
	if len(batch) == 0 {
		b.mu.Unlock()
		return nil
	}
	b.buf = make([]byte, 0, cap(batch))
	b.writing.Lock()
	b.mu.Unlock()
	defer b.writing.Unlock()
	_, err := b.w.Write(batch)
	return err
}

// flushingHandler flushes its lineBuffer after any record at warn or above.
type flushingHandler struct {
	slog.Handler
	buf *lineBuffer
}

func (h flushingHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if ferr := h.buf.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h flushingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushingHandler{h.Handler.WithAttrs(attrs), h.buf}
}

func (h flushingHandler) WithGroup(name string) slog.Handler {
	return flushingHandler{h.Handler.WithGroup(name), h.buf}
}
