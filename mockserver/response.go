package mockserver

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"unsafe"

	"github.com/realestate-mocks/mockserver/mockserver/internal/oneline"
	"github.com/realestate-mocks/mockserver/spec"
)

// response is a reply as it goes on the wire.
type response struct {
	status int
	header http.Header
	body   []byte
	// failure is the kind of a pipeline failure, "" for an answer.
	failure spec.Kind
	// gone marks a call whose client left: nothing is written.
	gone bool
	// shared marks a header map others hold too (jsonHeader): set copies
	// it before the first change.
	shared bool
	// fixed marks a body nobody changes (json.Marshal's, an example's,
	// a RawJSON reply's), which the journal may then keep without a copy.
	fixed bool
}

// set sets a header of the response, copying a shared map first.
func (res *response) set(k, v string) {
	if res.shared {
		res.header, res.shared = res.header.Clone(), false
	}
	res.header.Set(k, v)
}

// jsonContentType is every JSON answer's Content-Type value, shared:
// neither net/http nor the journal changes a header value in place.
var jsonContentType = []string{"application/json"}

// jsonHeader and noHeader are the headers of most replies, built once
// rather than per call; nothing changes them (response.set copies).
var (
	jsonHeader = http.Header{"Content-Type": jsonContentType}
	noHeader   = http.Header{}
)

// render turns a reply into the response it stands for: a failure kind
// in the API's envelope, a behaviour's value as JSON, or bytes as given.
func (s *Server) render(ex *exchange, reply *Reply) response {
	if reply == clientGone {
		return response{gone: true}
	}
	status, body := reply.Status, reply.raw
	fixed := body != nil
	envelope := ex.m.c.api.Envelope
	switch {
	case reply.Kind != "":
		status, body = envelope.Render(reply.Kind, reply.Detail, reply.Fields)
		fixed = false
	case body == nil && reply.Body != nil:
		var err error
		if body, err = json.Marshal(reply.Body); err != nil {
			status, body = envelope.Render(spec.KindInternal, "the behaviour's body is not JSON: "+err.Error(), nil)
		}
		fixed = err == nil
	}
	if status == 0 {
		status, body = s.noStatus(ex, reply)
		fixed = false
	}
	res := response{status: status, body: body, failure: reply.Kind, fixed: fixed}
	allow := status == http.StatusMethodNotAllowed && ex.path != nil
	if len(reply.Header) == 0 && !allow {
		res.header, res.shared = noHeader, true
		if len(body) > 0 {
			res.header = jsonHeader
		}
		return res
	}
	res.header = make(http.Header, len(reply.Header)+2)
	for k, v := range reply.Header {
		res.header[http.CanonicalHeaderKey(k)] = v
	}
	if allow && res.header.Get("Allow") == "" {
		res.header.Set("Allow", ex.path.allow)
	}
	if len(body) > 0 {
		res.header["Content-Type"] = jsonContentType
	}
	return res
}

// checkResponse holds the response to what the operation documents. A
// pipeline failure whose status the operation does not document is let
// through: a third-party spec that documents no 400 still gets its 400
// rather than a 500 about the missing 400.
func (s *Server) checkResponse(ex *exchange, res response) response {
	if res.gone || ex.op == nil || (res.failure != "" && !ex.op.op.Documents(res.status)) {
		return res
	}
	err := ex.m.c.api.CheckResponse(ex.r.Context(), ex.op.op, spec.Response{
		Request: ex.r, PathParams: ex.params, Status: res.status, Header: res.header, Body: res.body,
	})
	if err == nil {
		return res
	}
	violation := err.Error()
	ex.entry.Errors = append(ex.entry.Errors, "response: "+violation)
	ex.entry.Violations = append(ex.entry.Violations, responseViolations(err)...)
	if s.log.Enabled(ex.r.Context(), slog.LevelWarn) {
		s.log.Warn("response breaks the spec", "api", ex.m.name, "operation", ex.entry.Operation, "status", res.status, "violation", violation)
	}
	if s.opts.Validation == Lenient {
		res.set(ViolationHeader, oneline.Cut(violation, violationLine))
		return res
	}
	status, body := ex.m.c.api.Envelope.Render(spec.KindInternal, "the mock's response broke the spec: "+violation, nil)
	ex.entry.Step = "check response"
	return response{status: status, header: http.Header{"Content-Type": jsonContentType}, body: body}
}

// noStatus answers a reply that names no status, a bug of whoever made
// it (a behaviour, or an envelope without that kind): 500 in the
// envelope and an error in the log, rather than nothing written, which
// net/http would send as an empty 200 for a record that was dropped.
func (s *Server) noStatus(ex *exchange, reply *Reply) (int, []byte) {
	detail := "the behaviour's reply has no status"
	if reply.Kind != "" {
		detail = fmt.Sprintf("the error envelope gives %q no status", reply.Kind)
	}
	s.log.Error("reply without a status", "api", ex.m.name, "operation", ex.entry.Operation, "problem", detail)
	return ex.m.c.api.Envelope.Render(spec.KindInternal, detail, nil)
}

// write sends the response; a call whose client left gets nothing.
func (s *Server) write(ex *exchange, res response) {
	ex.entry.Status = res.status
	if res.gone {
		return
	}
	dst := ex.w.Header()
	for k, v := range res.header {
		dst[k] = v
	}
	ex.entry.ResponseHeader, ex.entry.ResponseBody = res.header, res.journalBody()
	ex.w.WriteHeader(res.status)
	if len(res.body) > 0 && ex.r.Method != http.MethodHead {
		_, _ = ex.w.Write(res.body)
	}
}

// violationLine bounds a violation's message in a header or the
// journal: the first rule that broke is what a reader needs.
const violationLine = 200

// journalBody is the body as the journal keeps it, without a copy when
// the body is fixed.
func (res *response) journalBody() string {
	if res.fixed {
		return sharedJournalBody(res.body)
	}
	return journalBody(res.body)
}

// sharedJournalBody is journalBody for bytes nobody changes once they
// are read or rendered (json.Marshal's, an upstream answer the proxy
// read): the journal's string shares them instead of copying them.
func sharedJournalBody(b []byte) string {
	if len(b) > maxJournaledBody {
		return journalBody(b)
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}
