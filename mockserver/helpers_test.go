package mockserver_test

import (
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// The default scenario's ids, under the names these tests use.
const (
	listing      = bt.Listing
	vowContact   = bt.VOWContact
	otherContact = bt.PortalContact
	notesPath    = bt.SparkBase + bt.NotesPath
	otcToken     = "api_token=" + bt.OTCToken
)

// newServer is a Server of the bundled packs and scenarios unless opts
// names its own.
func newServer(t testing.TB, opts mockserver.Options) *mockserver.Server {
	t.Helper()
	return bt.New(t, opts)
}

// engineServer is the engine alone on the specs of opts.APIs, with no
// bundled API.
func engineServer(t testing.TB, opts mockserver.Options) *mockserver.Server {
	t.Helper()
	s, err := mockserver.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// spark is a Spark call at a full target (the engine's tests also aim
// beside and below the base path), sent as bt.Spark sends it.
func spark(method, target, token, body string) bt.Req {
	r := bt.Spark(token, method, "")
	r.Target = target
	if body != "" {
		r = r.With(body)
	}
	return r
}

// otc is an Open To Close call as the Python SDK sends it: bt.OTC with
// its Content-Type and Accept.
func otc(method, path, body string) bt.Req {
	r := bt.OTC(method, path).Hdr("Content-Type", "application/json").Hdr("Accept", "application/json")
	if body != "" {
		r = r.With(body)
	}
	return r
}
