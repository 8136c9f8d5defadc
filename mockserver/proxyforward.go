package mockserver

import (
	"context"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"time"
)

// forward sends the checked request to the upstream and the checked
// answer to the client, as httputil.ReverseProxy would, less its
// per-call copies: the request is a shallow copy with a header map of its
// own, and the answer's header is handed on, not cloned. It does not
// switch protocols (Upgrade is a hop-by-hop header like the others: the
// upstream answers plainly), and interim 1xx answers stay with the
// transport; neither is part of the APIs it checks. It says whether the
// answer was cut short after it began.
func (s *Server) forward(ctx context.Context, pc *proxyCall) (cut bool) {
	out := pc.outgoing(ctx)
	pc.sent = time.Now()
	res, err := pc.up.transport.RoundTrip(out)
	if err != nil {
		s.upstreamFailed(pc, err)
		return false
	}
	defer res.Body.Close()
	removeHopHeaders(res.Header)
	body, complete, err := s.checkUpstream(pc, res)
	if err != nil {
		s.upstreamFailed(pc, err)
		return false
	}
	if err := s.sendAnswer(pc, res, body, complete); err != nil {
		pc.call.Error = "the answer was cut short"
		s.log.Warn("upstream answer cut short", "api", pc.ex.m.name, "upstream", pc.call.URL, "operation", pc.ex.entry.Operation, "error", upstreamCause(err))
		return true
	}
	return false
}

// outgoing is the request as the client wrote it, sent to the upstream:
// same method, path below the base path, query, end-to-end headers and
// body.
func (pc *proxyCall) outgoing(ctx context.Context) *http.Request {
	ex := pc.ex
	in := ex.r
	base := pc.up.base
	escaped := strings.TrimSuffix(base.EscapedPath(), "/") + strings.TrimPrefix(ex.rest, ex.m.c.api.BasePath)
	pc.url = url.URL{Scheme: base.Scheme, Host: base.Host, User: base.User, RawPath: escaped, RawQuery: in.URL.RawQuery}
	pc.url.Path, _ = url.PathUnescape(escaped)
	out := in.WithContext(ctx)
	out.URL, out.Host, out.RequestURI, out.Close = &pc.url, "", "", false
	out.Header = forwardHeader(in.Header)
	switch {
	case in.ContentLength == 0:
		out.Body, out.GetBody = nil, nil
	case pc.rest != nil:
		out.Body = io.NopCloser(io.MultiReader(newBodyReader(ex.body), pc.rest))
	case ex.body != nil:
		// kin-openapi may have swapped the body for its own reader.
		out.Body = newBodyReader(ex.body)
	}
	return out
}

func newBodyReader(b []byte) *bodyReader {
	rb := &bodyReader{}
	rb.Reset(b)
	return rb
}

// hopHeaders are the headers that concern one connection, never forwarded
// (RFC 9110 section 7.6.1), as httputil.ReverseProxy's list.
var hopHeaders = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// forwardHeader is the client's header less the hop-by-hop ones, in a map
// of its own whose values are the client's (nothing changes them). An
// absent User-Agent stays absent rather than becoming Go's.
func forwardHeader(in http.Header) http.Header {
	out := make(http.Header, len(in)+1)
	for k, v := range in {
		out[k] = v
	}
	removeHopHeaders(out)
	if hasToken(in["Te"], "trailers") {
		out["Te"] = []string{"trailers"}
	}
	if _, ok := out["User-Agent"]; !ok {
		out["User-Agent"] = noUserAgent
	}
	return out
}

// noUserAgent keeps the transport from adding Go's User-Agent; shared, as
// nothing writes into a request's header values.
var noUserAgent = []string{""}

func removeHopHeaders(h http.Header) {
	for _, f := range h["Connection"] {
		for name := range strings.SplitSeq(f, ",") {
			if name = textproto.TrimString(name); name != "" {
				h.Del(name)
			}
		}
	}
	for _, name := range hopHeaders {
		delete(h, name)
	}
}

func hasToken(values []string, token string) bool {
	for _, v := range values {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(textproto.TrimString(t), token) {
				return true
			}
		}
	}
	return false
}

// sendAnswer writes the answer to the client: its header, with the rules
// broken named in X-Mock-Violation, and its body, held or streamed past
// the check limit; then its trailers.
func (s *Server) sendAnswer(pc *proxyCall, res *http.Response, body []byte, complete bool) error {
	w := pc.ex.w
	h := w.Header()
	for k, v := range res.Header {
		if have, ok := h[k]; ok {
			h[k] = append(have, v...)
		} else {
			h[k] = v // shared: Set and Add on h never write into it
		}
	}
	if len(res.Trailer) > 0 {
		names := make([]string, 0, len(res.Trailer))
		for k := range res.Trailer {
			names = append(names, k)
		}
		h.Add("Trailer", strings.Join(names, ", "))
	}
	if len(pc.violations) > 0 {
		h.Set(ViolationHeader, violationHeader(pc.violations))
	}
	w.WriteHeader(res.StatusCode)
	if complete {
		if _, err := w.Write(body); err != nil {
			return err
		}
	} else if err := streamAnswer(w, body, res); err != nil {
		return err
	}
	for k, v := range res.Trailer {
		h[k] = v
	}
	return nil
}

// copyBuffers spares each answer streamed past the check limit a 32 KiB
// buffer of its own.
var copyBuffers = sync.Pool{New: func() any { return new([32 << 10]byte) }}

// streamAnswer sends what was read of an answer over the check limit, then
// the rest as it comes; an answer of unknown length is flushed as it
// comes, as httputil.ReverseProxy does.
func streamAnswer(w http.ResponseWriter, held []byte, res *http.Response) error {
	if _, err := w.Write(held); err != nil {
		return err
	}
	buf := copyBuffers.Get().(*[32 << 10]byte)
	defer copyBuffers.Put(buf)
	flush := res.ContentLength == -1
	rc := http.NewResponseController(w)
	for {
		n, rerr := res.Body.Read(buf[:])
		if n > 0 {
			if _, err := w.Write(buf[:n]); err != nil {
				return err
			}
			if flush {
				_ = rc.Flush()
			}
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
}
