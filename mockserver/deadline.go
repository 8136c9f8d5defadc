package mockserver

import (
	"net/http"
	"time"
)

// DefaultBodyTimeout bounds the reading of a request body unless Options
// says otherwise.
const DefaultBodyTimeout = 30 * time.Second

// longAgo is a read deadline that has passed: every read fails at once.
var longAgo = time.Unix(1, 0)

// bodyClock is a body read's own deadline, so that a client that
// announces a body and stalls (or sends a byte a second) is cut off;
// startBodyClock starts it and end stops it once the read is over, with
// the read's error. Start it only for a request with a body: net/http
// clears the read deadline when it starts watching for the client leaving
// (at the body's end, or at once when there is none), and a deadline set
// after that would end `fault: hang` and latency rules early.
//
// After a body read to its end the deadline is lifted. After a failed or
// short read it is put in the past instead: once the handler returns,
// net/http drains up to 256 KiB of what is left of the body so that it can
// reuse the connection, and a lifted deadline would let a stalled client
// hold the connection for ever; with the deadline past, the drain fails at
// once and the connection is closed. Writers that cannot set deadlines
// (httptest's recorder) are left alone. It is a value, not a closure over
// a controller, so a call with a body allocates nothing for it.
type bodyClock struct {
	rc  http.ResponseController
	set bool
}

func startBodyClock(w http.ResponseWriter, timeout time.Duration) bodyClock {
	c := bodyClock{rc: *http.NewResponseController(w)}
	c.set = timeout > 0 && c.rc.SetReadDeadline(time.Now().Add(timeout)) == nil
	return c
}

func (c *bodyClock) end(readErr error) {
	switch {
	case readErr != nil:
		_ = c.rc.SetReadDeadline(longAgo)
	case c.set:
		_ = c.rc.SetReadDeadline(time.Time{})
	}
}
