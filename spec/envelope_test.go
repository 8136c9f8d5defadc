package spec_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/realestate-mocks/mockserver/spec"
)

// Every kind renders a real error status and a JSON body in every
// envelope, the default one (a document without x-error-envelope)
// included: a kind with no entry would render status 0, which the engine
// cannot send.
func TestEveryKindRendersInEveryEnvelope(t *testing.T) {
	envelopes := map[string]*spec.Envelope{}
	for _, name := range spec.Bundled() {
		envelopes[name] = spec.MustLoad(name).Envelope
	}
	petstore, err := spec.LoadFile("petstore", "testdata/petstore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	envelopes["default (petstore)"] = petstore.Envelope
	for name, env := range envelopes {
		for _, kind := range spec.Kinds() {
			status, body := env.Render(kind, "detail", nil)
			if status < 400 || status > 599 || http.StatusText(status) == "" {
				t.Errorf("%s: %s renders status %d", name, kind, status)
			}
			if !json.Valid(body) || len(body) < 3 {
				t.Errorf("%s: %s renders body %q", name, kind, body)
			}
		}
	}
}
