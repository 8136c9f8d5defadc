package mockserver_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
	"github.com/realestate-mocks/mockserver/mockserver/pact"
)

// pactScript is what an app did against both APIs: reads, writes, a
// read repeated, refusals at route, method, auth, role and precheck, and
// a call in another scenario.
func pactScript(t *testing.T, m *mockserver.Server) {
	t.Helper()
	note := map[string]any{"D": map[string]any{"Note": "A new note."}}
	bt.Run(t, m,
		bt.Step{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200},
		bt.Step{Req: bt.Spark(bt.VOWToken, "PUT", bt.NotesPath).With(note), Status: 200},
		bt.Step{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200}, // the same shape again: the newest wins
		bt.Step{Req: bt.Spark(bt.IDXToken, "PUT", bt.NotesPath).With(note), Status: 405, Code: 1017},
		bt.Step{Req: bt.Spark(bt.VOWToken, "POST", bt.NotesPath).With(note), Status: 405},
		bt.Step{Req: bt.Spark("real-secret-token", "GET", bt.NotesPath), Status: 401, Code: 1000},
		bt.Step{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath).Hdr("X-SparkApi-User-Agent", ""), Status: 400, Code: 1016},
		bt.Step{Req: bt.Spark(bt.VOWToken, "GET", "/nowhere"), Status: 404},
		bt.Step{Req: bt.OTC("GET", "/properties/123/contacts"), Status: 200},
		bt.Step{Req: bt.OTC("GET", "/properties/123/contacts?role=Buyer"), Status: 200},
		bt.Step{Req: bt.OTC("POST", "/properties/124/contacts").With(map[string]any{"contact_id": 789, "role": "Seller"}), Status: 201},
		bt.Step{Req: bt.Req{Method: "GET", Target: "/opentoclose/v1/properties/123/contacts?api_token=real-otc-key"}, Status: 401},
	)
	if err := m.SwitchScenario("empty"); err != nil {
		t.Fatal(err)
	}
	bt.Run(t, m, bt.Step{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath), Status: 404})
}

// written is an interaction as a test compares it: what identifies it
// and what the writer decides.
type written struct {
	desc, method, path, state string
	status                    int
	credential                string // Authorization, or the api_token query value
}

// TestPactWrite drives both bundled APIs, writes their pacts, reads them
// back with pact.Parse, and checks the interactions, their paths,
// credentials, states and rules, and that each expectation holds for the
// answer it was written from.
func TestPactWrite(t *testing.T) {
	t.Parallel()
	m := bt.New(t, mockserver.Options{})
	pactScript(t, m)
	rows := []struct {
		api  string
		want []written
	}{
		{"spark", []written{
			{"replaceSharedNote answers 200 to VOW", "PUT", "/v1" + bt.NotesPath, "default", 200, "Bearer spark-vow-token"},
			{"getSharedNote answers 200 to VOW", "GET", "/v1" + bt.NotesPath, "default", 200, "Bearer spark-vow-token"},
			{"replaceSharedNote answers 405 to IDX", "PUT", "/v1" + bt.NotesPath, "default", 405, "Bearer spark-idx-token"},
			{"postSharedNote answers 405", "POST", "/v1" + bt.NotesPath, "default", 405, "Bearer spark-vow-token"},
			{"getSharedNote answers 401", "GET", "/v1" + bt.NotesPath, "default", 401, "Bearer <token>"},
			{"getSharedNote answers 400", "GET", "/v1" + bt.NotesPath, "default", 400, "Bearer spark-vow-token"},
			{"GET /v1/nowhere answers 404", "GET", "/v1/nowhere", "default", 404, "Bearer spark-vow-token"},
			{"listContactSharedNotes answers 404 to Private", "GET", "/v1" + bt.ContactNotesPath, "empty", 404, "Bearer spark-private-token"},
		}},
		{"opentoclose", []written{
			{"listPropertyContacts answers 200 (query api_token)", "GET", "/v1/properties/123/contacts", "default", 200, bt.OTCToken},
			{"listPropertyContacts answers 200 (query api_token,role)", "GET", "/v1/properties/123/contacts", "default", 200, bt.OTCToken},
			{"createPropertyContact answers 201", "POST", "/v1/properties/124/contacts", "default", 201, bt.OTCToken},
			{"listPropertyContacts answers 401", "GET", "/v1/properties/123/contacts", "default", 401, "<api_token>"},
		}},
	}
	for _, row := range rows {
		t.Run(row.api, func(t *testing.T) {
			f := pactRoundTrip(t, m, row.api, "deals-app")
			if f.Consumer != "deals-app" || f.Provider != row.api {
				t.Errorf("consumer %q provider %q", f.Consumer, f.Provider)
			}
			var got []written
			for _, it := range f.Interactions {
				cred := strings.Join(it.Request.Headers["Authorization"], ",")
				if row.api == "opentoclose" {
					cred = strings.Join(it.Request.Query["api_token"], ",")
				}
				state := ""
				if len(it.States) == 1 {
					state = it.States[0].Name
				}
				got = append(got, written{it.Description, it.Request.Method, it.Request.Path, state, it.Response.Status, cred})
			}
			if !slices.Equal(got, row.want) {
				t.Errorf("interactions:\n got %v\nwant %v", got, row.want)
			}
			pactWantHonest(t, m, row.api, f)
		})
	}
	t.Run("rules from the schema", func(t *testing.T) {
		f := pactRoundTrip(t, m, "spark", "")
		if f.Consumer != mockserver.DefaultConsumer {
			t.Errorf("consumer %q, want the default", f.Consumer)
		}
		byDesc := map[string]pact.Interaction{}
		for _, it := range f.Interactions {
			byDesc[it.Description] = it
		}
		read := byDesc["getSharedNote answers 200 to VOW"].Response.Rules["body"]
		if m := read["$.D.Results[*].Note"].Matchers; len(m) != 1 || m[0]["match"] != "type" {
			t.Errorf("Note's rule = %v, want type (rules %v)", m, read)
		}
		if m := read["$.D.Results[*].ContactId"].Matchers; len(m) != 1 || m[0]["match"] != "regex" {
			t.Errorf("ContactId's rule = %v, want the schema's pattern", m)
		}
		refused := byDesc["replaceSharedNote answers 405 to IDX"].Response
		if _, typed := refused.Rules["body"]["$.D.Code"]; typed {
			t.Errorf("D.Code of a refusal has a rule %v: the code must be equal", refused.Rules["body"]["$.D.Code"])
		}
		// One value per method: pact-js's verifier splits the real Allow
		// on commas and compares value by value.
		if !bytes.Contains(refused.Body.JSON, []byte(`"Code":1017`)) || !slices.Equal(refused.Headers["Allow"], []string{"GET", "PUT", "DELETE"}) {
			t.Errorf("the IDX write's answer: %s, headers %v", refused.Body.JSON, refused.Headers)
		}
		if d := mockserverFirstHeader(byDesc["getSharedNote answers 200 to VOW"].Request.Headers, "User-Agent"); d != "" {
			t.Errorf("User-Agent %q written: the client library is not the contract", d)
		}
	})
}

func mockserverFirstHeader(h map[string][]string, name string) string {
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// pactRoundTrip writes a pact and reads it back as a verifier would.
func pactRoundTrip(t *testing.T, srv *mockserver.Server, api, consumer string) *pact.File {
	t.Helper()
	f, err := srv.Pact(api, consumer)
	if err != nil {
		t.Fatalf("Pact(%q): %v", api, err)
	}
	data, err := f.Marshal()
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	back, err := pact.Parse(data)
	if err != nil {
		t.Fatalf("Parse of the written pact: %v\n%s", err, data)
	}
	return back
}

// pactWantHonest replays each interaction against a fresh mock in its
// provider state and compares the answer by the pact's rules: what the
// writer wrote is what the mock answers.
func pactWantHonest(t *testing.T, srv *mockserver.Server, api string, f *pact.File) {
	t.Helper()
	for _, it := range f.Interactions {
		fresh := bt.New(t, mockserver.Options{})
		if _, err := fresh.EnterPactState(it.States[0].Name); err != nil {
			t.Fatal(err)
		}
		r := pactReplay(t, fresh, strings.TrimSuffix(srv.BasePath(api), srv.API(api).BasePath), it.Request)
		if got := pact.Compare(it.Response, pact.Actual{Status: r.Status, Header: r.Header, Body: r.Body}); len(got) > 0 {
			t.Errorf("%q replayed: %+v\nanswer %d %s", it.Description, got, r.Status, r.Body)
		}
	}
}

// pactReplay sends a pact's request to a mock whose API is mounted at
// prefix.
func pactReplay(t *testing.T, m *mockserver.Server, prefix string, req pact.Request) bt.Resp {
	t.Helper()
	target := prefix + req.Path
	if len(req.Query) > 0 {
		target += "?" + url.Values(req.Query).Encode()
	}
	h := map[string]string{}
	for k, vs := range req.Headers {
		h[k] = strings.Join(vs, ", ")
	}
	var body any
	switch {
	case req.Body.JSON != nil:
		body = string(req.Body.JSON)
	case req.Body.Present:
		body = string(req.Body.Raw)
	}
	return bt.Send(t, m, bt.Req{Method: req.Method, Target: target, Header: h, Body: body})
}

// TestPactWriteLeavesOut shows what is never written: an answer that
// broke the spec (strict and lenient) and a body the journal cut.
func TestPactWriteLeavesOut(t *testing.T) {
	t.Parallel()
	broken := mockserver.BehaviorFunc(func(*mockserver.Call) *mockserver.Reply {
		return mockserver.JSON(200, map[string]any{"D": map[string]any{"Success": "yes"}})
	})
	long := map[string]any{"D": map[string]any{"Note": strings.Repeat("x", 20<<10)}}
	for _, mode := range []mockserver.ValidationMode{mockserver.Strict, mockserver.Lenient} {
		m := bt.New(t, mockserver.Options{Validation: mode})
		if err := m.Handle("spark", "listContactSharedNotes", broken); err != nil {
			t.Fatal(err)
		}
		bt.Send(t, m, bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath))
		bt.Run(t, m, bt.Step{Req: bt.Spark(bt.VOWToken, "PUT", bt.NotesPath).With(long), Status: 200})
		f, err := m.Pact("spark", "app")
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Interactions) != 0 {
			t.Errorf("mode %d: wrote %d interactions, want none: %+v", mode, len(f.Interactions), f.Interactions)
		}
		data, err := json.Marshal(f.Metadata)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`"reason":"the answer broke the spec: response: `, `"reason":"the journal cut its request body"`, `"request":"GET /spark/v1` + bt.ContactNotesPath} {
			if !strings.Contains(string(data), want) {
				t.Errorf("mode %d: metadata %s lacks %s", mode, data, want)
			}
		}
	}
}

// TestAdminPact drives GET /__mock/pact and validates each answer
// against mockserver.AdminSpec.
func TestAdminPact(t *testing.T) {
	t.Parallel()
	router := admRouter(t)
	m := bt.New(t, mockserver.Options{})
	pactScript(t, m)
	wantPact := func(consumer, provider string, n int) func(testing.TB, bt.Resp) {
		return func(t testing.TB, r bt.Resp) {
			t.Helper()
			f, err := pact.Parse(r.Body)
			if err != nil {
				t.Fatalf("answer is not a pact: %v\n%s", err, r.Body)
			}
			if f.Consumer != consumer || f.Provider != provider || f.Version != pact.V4 || len(f.Interactions) != n {
				t.Errorf("pact of %s for %s, version %s, %d interactions; want %s for %s, 4.0, %d", f.Consumer, f.Provider, f.Version, len(f.Interactions), consumer, provider, n)
			}
		}
	}
	rows := []struct {
		name     string
		step     bt.Step
		unrouted bool
	}{
		{name: "spark", step: bt.Step{Req: bt.Admin("GET", "/pact?api=spark&consumer=notes-app"), Status: 200, Check: wantPact("notes-app", "spark", 8)}},
		{name: "default consumer", step: bt.Step{Req: bt.Admin("GET", "/pact?api=opentoclose"), Status: 200, Check: wantPact("consumer", "opentoclose", 4)}},
		{name: "no api", step: bt.Step{Req: bt.Admin("GET", "/pact"), Status: 400, Message: "give the API: ?api=NAME (served: opentoclose, spark)"}},
		{name: "unknown api", step: bt.Step{Req: bt.Admin("GET", "/pact?api=pets"), Status: 400, Message: `no API "pets" is served (served: opentoclose, spark)`}},
		{name: "POST", unrouted: true, step: bt.Step{Req: bt.Admin("POST", "/pact?api=spark"), Status: 405, Header: map[string]string{"Allow": "GET"}}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			req, r := admSend(t, m, row.step.Req)
			bt.Check(t, 0, row.step, r)
			if !row.unrouted {
				admValidate(t, router, req, r)
			}
		})
	}
}
