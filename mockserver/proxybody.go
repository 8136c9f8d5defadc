package mockserver

import (
	"errors"
	"io"
	"net/http"
	"sync"
)

// clientBody is the client's request body on its way through the proxy.
// It remembers why a read failed and whether the body reached its end:
// net/http cancels the request's context when a read on the connection
// fails, before the failure reaches the reader, so only the body can tell
// a client whose body could not be read (400) from one that left after
// sending it (nothing to answer).
type clientBody struct {
	io.ReadCloser
	mu    sync.Mutex
	err   error
	ended bool
}

func (b *clientBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.mu.Lock()
		if errors.Is(err, io.EOF) {
			b.ended = true
		} else if b.err == nil {
			b.err = err
		}
		b.mu.Unlock()
	}
	return n, err
}

// state is why the body could not be read (nil while none failed), and
// whether nothing more is to be read: no body, or a body read to its end.
func (b *clientBody) state() (failure error, finished bool) {
	if b == nil {
		return nil, true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err, b.ended
}

// watchBody wraps the client's body and gives it the body deadline. The
// deadline stays while the body streams to the upstream (over Options.MaxBodyBytes,
// or for a path no operation matches) and bounds what net/http drains
// after an upstream that answered early; proxyReadBody lifts it once it
// holds the whole body.
func (s *Server) watchBody(pc *proxyCall) {
	r := pc.ex.r
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	pc.body = &clientBody{ReadCloser: r.Body}
	pc.bodyClock = startBodyClock(pc.ex.w, s.opts.BodyTimeout)
	r.Body = pc.body
}

// refuseBody answers a call whose body could not be read in the API's
// own envelope, and closes the connection: what is left of the body can
// be neither trusted nor waited for. The call is not forwarded, or, when
// its body was streaming, the upstream sees it cut short.
func (s *Server) refuseBody(pc *proxyCall, err error) {
	ex := pc.ex
	pc.bodyClock.end(err)
	pc.gateway = true
	reply := s.unreadBody(err)
	ex.entry.Step = "read body"
	ex.entry.Errors = append(ex.entry.Errors, reply.Detail)
	pc.call.Error = "not forwarded: " + reply.Detail
	res := s.render(ex, reply)
	if len(pc.violations) > 0 {
		res.set(ViolationHeader, violationHeader(pc.violations))
	}
	res.set("Connection", "close")
	s.write(ex, res)
}
