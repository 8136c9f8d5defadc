package mockserver_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/mockservertest"
	"github.com/realestate-mocks/mockserver/mockserver/pact"
)

// TestPactCarriesRecords: an app creates a link, reads it and deletes
// it. A verifier replays each interaction from a reset scenario, where
// the link never existed; the read passes only because the pact carries
// the records the call met, which POST /__mock/pact/state loads. A call
// that met the scenario's own records carries none.
func TestPactCarriesRecords(t *testing.T) {
	app := mockservertest.New(t)
	otc := app.HTTP.URL + "/opentoclose/v1/properties/124/contacts"
	for _, c := range []struct {
		method, target, body string
		status               int
	}{
		{"POST", otc, `{"contact_id":789,"role":"Seller"}`, 201},
		{"GET", otc + "/789", "", 200},
		{"DELETE", otc + "/789", "", 204},
	} {
		if got, body := httpCall(t, c.method, c.target+"?api_token=otc-demo-token", c.body); got != c.status {
			t.Fatalf("%s %s: %d %s", c.method, c.target, got, body)
		}
	}
	f, err := app.Server.Pact("opentoclose", "deals-app")
	if err != nil {
		t.Fatal(err)
	}
	data, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if f, err = pact.Parse(data); err != nil {
		t.Fatal(err)
	}
	if len(f.Interactions) != 3 {
		t.Fatalf("%d interactions, want 3:\n%s", len(f.Interactions), data)
	}
	if p := f.Interactions[0].States[0].Params; p != nil {
		t.Errorf("the create met the scenario's records, yet carries %v", p)
	}
	for _, it := range f.Interactions[1:] {
		records, _ := json.Marshal(it.States[0].Params[mockserver.PactRecordsParam])
		if !strings.Contains(string(records), `"contact_id":789`) {
			t.Errorf("%q carries %s, want the records with link 789", it.Description, records)
		}
	}
	for _, it := range f.Interactions {
		if got := replayInState(t, it, true); len(got) > 0 {
			t.Errorf("%q in its state: %+v", it.Description, got)
		}
	}
	if got := replayInState(t, f.Interactions[1], false); len(got) == 0 {
		t.Error("the read passes without its records: the test shows nothing")
	}
}

// replayInState enters an interaction's provider state on a fresh mock
// as a verifier does (with its params, or without), replays its request
// and compares the answer by the pact's rules.
func replayInState(t *testing.T, it pact.Interaction, withParams bool) []pact.Mismatch {
	t.Helper()
	fresh := mockservertest.New(t)
	state := map[string]any{"state": it.States[0].Name, "action": "setup"}
	if withParams {
		state["params"] = it.States[0].Params
	}
	body, _ := json.Marshal(state)
	if got, answer := httpCall(t, "POST", fresh.HTTP.URL+"/__mock/pact/state", string(body)); got != 200 {
		t.Fatalf("provider state: %d %s", got, answer)
	}
	target := fresh.HTTP.URL + "/opentoclose" + it.Request.Path + "?" + url.Values(it.Request.Query).Encode()
	req, err := http.NewRequest(it.Request.Method, target, bytes.NewReader(it.Request.Body.JSON))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = it.Request.Headers
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(res.Body)
	return pact.Compare(it.Response, pact.Actual{Status: res.StatusCode, Header: res.Header, Body: answer})
}

func httpCall(t *testing.T, method, target, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(answer)
}
