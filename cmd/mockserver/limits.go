package main

import (
	"net/http"
	"runtime/debug"
	"time"
)

// connLimits bound what one client can hold: the time to send a request,
// the time an idle keep-alive connection stays open, and how many
// connections are open at once. Without them a few thousand stalled
// clients exhaust the process's file descriptors and lock everyone out.
type connLimits struct {
	readTimeout time.Duration
	idleTimeout time.Duration
	maxConns    int
	// memoryLimit is the Go runtime's soft memory limit, 0 for its
	// default (GOMEMLIMIT, or none). Thousands of open connections and
	// large headers leave garbage the collector would let the heap double
	// over; a limit makes it collect sooner (make soak: 178 MB peak without,
	// 95 MB with 80MiB).
	memoryLimit byteSize
}

// defaultMaxConns stays well under the usual open-file limits (the Go
// runtime raises the soft limit to the hard one, often 20000 or more),
// leaving room for the state file and the log.
const defaultMaxConns = 4096

func (l *connLimits) flags(fs *flagSet) {
	fs.duration(&l.readTimeout, "read-timeout", 30*time.Second)
	fs.duration(&l.idleTimeout, "idle-timeout", 60*time.Second)
	fs.integer(&l.maxConns, "max-conns", defaultMaxConns)
	fs.value(&l.memoryLimit, "memory-limit")
}

func (l *connLimits) check(cmd string) error {
	switch {
	case l.readTimeout <= 0:
		return usagef(cmd, "--read-timeout must be positive, such as 30s")
	case l.idleTimeout <= 0:
		return usagef(cmd, "--idle-timeout must be positive, such as 60s")
	case l.maxConns < 1:
		return usagef(cmd, "--max-conns must be at least 1, such as %d", defaultMaxConns)
	}
	return nil
}

// apply sets the server's timeouts. The body has its own deadline, set by
// the handler per request (mockserver.Options.BodyTimeout) and lifted once
// the body is read, so `fault: hang` rules still wait for the client;
// ReadTimeout is only the backstop for the admin API's small bodies.
func (l *connLimits) apply(hs *http.Server) {
	hs.ReadHeaderTimeout = l.readTimeout
	hs.ReadTimeout = 2 * l.readTimeout
	hs.IdleTimeout = l.idleTimeout
	if l.memoryLimit > 0 {
		debug.SetMemoryLimit(int64(l.memoryLimit))
	}
}
