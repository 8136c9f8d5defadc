package spec_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/spec"
)

func TestCheckResponse(t *testing.T) {
	api := spec.MustLoad("spark")
	get, post := api.Operation("getSharedNote"), api.Operation("postSharedNote")
	json := http.Header{"Content-Type": {"application/json"}}
	allow := http.Header{"Content-Type": {"application/json"}, "Allow": {"GET, PUT, DELETE"}}
	const note = `{"D":{"Success":true,"Results":[{"ResourceUri":"/v1/listings/20100815153524571646000000/shared/notes/contacts/20100912536192756362000000","ContactId":"20100912536192756362000000","Note":"x"}]}}`
	const fail405 = `{"D":{"Success":false,"Code":405,"Message":"no"}}`
	tests := []struct {
		name         string
		op           *spec.Operation
		status       int
		header       http.Header
		body         string
		undocumented bool
		rule         string // in the error; "" when the response conforms
	}{
		{"a documented answer", get, 200, json, note, false, ""},
		{"the same answer again (cached)", get, 200, json, note, false, ""},
		{"a body missing Results", get, 200, json, `{"D":{"Success":true}}`, false, `D.Results property "Results" is missing (schema rule "required")`},
		{"an undocumented status", get, 418, json, `{}`, true, "status 418 is not documented for getSharedNote"},
		{"a 405 with Allow", post, 405, allow, fail405, false, ""},
		{"a 405 without Allow (the cached body does not hide it)", post, 405, json, fail405, false, `response header "Allow" missing`},
		{"an error body outside the envelope", get, 401, json, `{"error":"no"}`, false, `property "D" is missing`},
		{"no body where JSON is documented", get, 200, http.Header{}, "", false, "Content-Type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.op.Method, "/v1/listings/20100815153524571646000000/shared/notes", nil)
			err := api.CheckResponse(context.Background(), tt.op, spec.Response{
				Request: r, PathParams: map[string]string{"ListingId": "20100815153524571646000000"},
				Status: tt.status, Header: tt.header, Body: []byte(tt.body),
			})
			if tt.rule == "" {
				if err != nil {
					t.Fatalf("want no violation, got %v", err)
				}
				return
			}
			var re *spec.ResponseError
			if !errors.As(err, &re) || re.Undocumented != tt.undocumented || !strings.Contains(err.Error(), tt.rule) {
				t.Fatalf("want a ResponseError with %q (undocumented %v), got %v", tt.rule, tt.undocumented, err)
			}
		})
	}
}

func TestLeaves(t *testing.T) {
	a, b, c := errors.New("a"), errors.New("b"), errors.New("c")
	wrappedOne := errors.Join(a)
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, 0},
		{"a leaf", a, 1},
		{"a join", errors.Join(a, b), 2},
		{"a join inside a wrap inside a join", errors.Join(a, wrap(errors.Join(b, c))), 3},
		{"a wrap of one error keeps its context", wrap(wrappedOne), 1},
	}
	for _, tt := range tests {
		if got := spec.Leaves(tt.err); len(got) != tt.want {
			t.Errorf("%s: %d leaves %v, want %d", tt.name, len(got), got, tt.want)
		}
	}
}

type wrapped struct{ err error }

func (w wrapped) Error() string { return "context: " + w.err.Error() }
func (w wrapped) Unwrap() error { return w.err }

func wrap(err error) error { return wrapped{err} }

// A remembered valid answer never hides an invalid one: each row runs
// after the rows before it on the same API, with the same body, and only
// a header or the content type differs.
func TestCheckResponseCacheKeepsHeaders(t *testing.T) {
	api := freshAPI(t, "opentoclose")
	op := api.Operation("listPropertyContacts")
	const body = `{"message":"Too many requests"}`
	tests := []struct {
		name   string
		header http.Header
		rule   string // in the error; "" when the response conforms
	}{
		{"no Retry-After (it is optional)", http.Header{"Content-Type": {"application/json"}}, ""},
		{"a Retry-After that is not an integer", http.Header{"Content-Type": {"application/json"}, "Retry-After": {"soon"}}, "Retry-After"},
		{"a valid Retry-After", http.Header{"Content-Type": {"application/json"}, "Retry-After": {"7"}}, ""},
		{"a Retry-After over the maximum", http.Header{"Content-Type": {"application/json"}, "Retry-After": {"86401"}}, "Retry-After"},
		{"the valid Retry-After again (remembered)", http.Header{"Content-Type": {"application/json"}, "Retry-After": {"7"}}, ""},
		{"another content type", http.Header{"Content-Type": {"text/plain"}}, "text/plain"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/properties/123/contacts", nil)
		err := api.CheckResponse(context.Background(), op, spec.Response{
			Request: r, PathParams: map[string]string{"property_id": "123"},
			Status: http.StatusTooManyRequests, Header: tt.header, Body: []byte(body),
		})
		switch {
		case tt.rule == "" && err != nil:
			t.Fatalf("%s: want no violation, got %v", tt.name, err)
		case tt.rule != "" && (err == nil || !strings.Contains(err.Error(), tt.rule)):
			t.Fatalf("%s: want a violation with %q, got %v", tt.name, tt.rule, err)
		}
	}
}
