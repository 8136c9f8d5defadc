package mockserver

import (
	"net/http"
	"time"
)

// DefaultBodyTimeout bounds the reading of a request body unless Options
// says otherwise.
const DefaultBodyTimeout = 30 * time.Second

// bodyDeadline gives the body read its own deadline, so a client that
// announces a body and stalls (or sends a byte a second) is cut off, and
// returns the function that lifts it. Call it only for a request with a
// body: net/http clears the read deadline when it starts watching for the
// client leaving (at the body's end, or at once when there is none), and a
// deadline set after that would end `fault: hang` and latency rules early.
// Lifting covers a body not read to its end. Writers that cannot set
// deadlines (httptest's recorder) are left alone.
func bodyDeadline(w http.ResponseWriter, timeout time.Duration) (lift func()) {
	if timeout <= 0 {
		return func() {}
	}
	rc := http.NewResponseController(w)
	if rc.SetReadDeadline(time.Now().Add(timeout)) != nil {
		return func() {}
	}
	return func() { _ = rc.SetReadDeadline(time.Time{}) }
}
