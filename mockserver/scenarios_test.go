package mockserver_test

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
	"github.com/realestate-mocks/mockserver/mockserver/mockservertest"
)

// scRulesScenario is testdata/scenarios/scenario-rules.yaml.
const scRulesScenario = "scenario-rules"

// TestSlowScenario shows every call of the slow scenario takes at least
// its configured latency. Only the lower bound is asserted.
func TestSlowScenario(t *testing.T) {
	t.Parallel()
	set, err := bundled.Default()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := set.Get("slow")
	if err != nil {
		t.Fatal(err)
	}
	m := bt.Scenario(t, "slow")
	rows := []struct {
		api  string
		step bt.Step
	}{
		{"opentoclose", bt.Step{Req: bt.OTC("GET", "/properties/123/contacts"), Status: 200, Check: bt.WantSeedLink}},
		{"opentoclose", bt.Step{Req: bt.OTC("GET", "/properties/999/contacts"), Status: 404}},
		{"spark", bt.Step{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200, Check: bt.WantSeedNote}},
	}
	for _, row := range rows {
		t.Run(row.api+" "+row.step.Req.Target, func(t *testing.T) {
			t.Parallel()
			latency := sc.API(row.api).Latency
			if latency <= 0 {
				t.Fatalf("slow scenario has no latency for %s", row.api)
			}
			start := time.Now()
			r := bt.Send(t, m, row.step.Req)
			if took := time.Since(start); took < latency {
				t.Errorf("took %v, want at least %v", took, latency)
			}
			bt.Check(t, 0, row.step, r)
		})
	}
}

// that POST /__mock/reset and a switch to another scenario and back bring
// back exactly the starting records, as GET /__mock/state reports them.
func TestResetAndSwitchRestoreStartingRecords(t *testing.T) {
	t.Parallel()
	writes := []bt.Step{
		{Req: bt.OTC("POST", "/properties/124/contacts").With(map[string]any{"contact_id": 789, "role": "Seller", "primary": true}), Status: 201,
			Check: func(t testing.TB, r bt.Resp) {
				if id := r.Object(t)["id"]; id != 7484665.0 {
					t.Errorf("first new link id = %v, want 7484665", id)
				}
			}},
		{Req: bt.OTC("PUT", "/properties/123/contacts/456").With(map[string]any{"role": "Seller", "primary": false}), Status: 200},
		{Req: bt.OTC("POST", "/properties/123/contacts").With(map[string]any{"contact_id": 790}), Status: 201},
		{Req: bt.OTC("DELETE", "/properties/123/contacts/456"), Status: 204},
		{Req: bt.Spark(bt.VOWToken, "PUT", bt.NotesPath).With(map[string]any{"D": map[string]any{"Note": "changed"}}), Status: 200},
		{Req: bt.Spark(bt.PortalToken, "PUT", bt.NotesPath).With(map[string]any{"D": map[string]any{"Note": "portal"}}), Status: 200},
		{Req: bt.Spark(bt.PrivateToken, "DELETE", bt.ContactNotesPath+"/"+bt.VOWContact), Status: 200},
	}
	back := []struct {
		name  string
		steps []bt.Step
	}{
		{"reset", []bt.Step{
			{Req: bt.Admin("POST", "/reset"), Status: 200, Check: bt.WantActive("default")},
		}},
		{"switch to empty and back", []bt.Step{
			{Req: bt.Admin("PUT", "/scenario").With(map[string]string{"name": "empty"}), Status: 200, Check: bt.WantActive("empty")},
			{Req: bt.Admin("GET", "/state"), Status: 200, Check: func(t testing.TB, r bt.Resp) {
				if want := `{"opentoclose":{"properties":[]},"spark":{"listings":[]}}`; !bt.JSONEqual(t, r.Body, []byte(want)) {
					t.Errorf("empty state = %s, want %s", r.Body, want)
				}
			}},
			{Req: bt.Admin("PUT", "/scenario").With(map[string]string{"name": "default"}), Status: 200, Check: bt.WantActive("default")},
		}},
		{"switch to the active scenario", []bt.Step{
			{Req: bt.Admin("PUT", "/scenario").With(map[string]string{"name": "default"}), Status: 200, Check: bt.WantActive("default")},
		}},
	}
	for _, b := range back {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			m := bt.Scenario(t, "default")
			start := bt.Send(t, m, bt.Admin("GET", "/state"))
			if start.Status != 200 {
				t.Fatalf("GET /__mock/state: %d %s", start.Status, start.Body)
			}
			for round := range 2 {
				bt.Run(t, m, writes...)
				if changed := bt.Send(t, m, bt.Admin("GET", "/state")); bt.JSONEqual(t, changed.Body, start.Body) {
					t.Fatalf("round %d: the writes left the state unchanged: %s", round, changed.Body)
				}
				bt.Run(t, m, b.steps...)
				if got := bt.Send(t, m, bt.Admin("GET", "/state")); !bt.JSONEqual(t, got.Body, start.Body) {
					t.Fatalf("round %d: state after %s =\n%s\nwant the starting state\n%s", round, b.name, got.Body, start.Body)
				}
				// The reads agree with the state.
				bt.Run(t, m,
					bt.Step{Req: bt.OTC("GET", "/properties/123/contacts"), Status: 200, Check: bt.WantSeedLink},
					bt.Step{Req: bt.OTC("GET", "/properties/124/contacts"), Status: 200, Check: bt.WantEmptyList},
					bt.Step{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200, Check: bt.WantSeedNote},
					bt.Step{Req: bt.Spark(bt.PortalToken, "GET", bt.NotesPath), Status: 200, Check: bt.WantNoNotes},
				)
			}
		})
	}
}

// of both APIs, and that undocumented choices are refused with 400 in the
// API's own envelope, naming what is documented.
func TestPrefer(t *testing.T) {
	t.Parallel()
	vowGet := bt.Spark(bt.VOWToken, "GET", bt.NotesPath)
	otcList := bt.OTC("GET", "/properties/123/contacts")
	applied := func(v string) map[string]string { return map[string]string{"Preference-Applied": v} }
	rows := []struct {
		name string
		step bt.Step
	}{
		{"spark example=empty hides the stored note", bt.Step{Req: vowGet.Hdr("Prefer", "example=empty"), Status: 200,
			Header: applied("example=empty"), Check: bt.WantNoNotes}},
		{"spark example=hotTub for a contact without a note", bt.Step{
			Req: bt.Spark(bt.PortalToken, "GET", bt.NotesPath).Hdr("Prefer", "example=hotTub"), Status: 200, Check: bt.WantSeedNote}},
		{"spark code=404", bt.Step{Req: vowGet.Hdr("Prefer", "code=404"), Status: 404, Code: 404, Header: applied("code=404")}},
		{"spark code=429 example=overLimit", bt.Step{Req: vowGet.Hdr("Prefer", "code=429, example=overLimit"), Status: 429, Code: 1550,
			Header: applied("code=429, example=overLimit")}},
		{"spark code=401 example=expired", bt.Step{Req: vowGet.Hdr("Prefer", `code=401; example="expired"`), Status: 401, Code: 1020}},
		{"spark code=405 carries Allow", bt.Step{Req: bt.Spark(bt.VOWToken, "DELETE", bt.NotesPath).Hdr("Prefer", "code=405"), Status: 405, Code: 1017,
			Check: bt.WantHeaderPresent("Allow")}},
		{"spark list code=500", bt.Step{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath).Hdr("Prefer", "code=500"), Status: 500, Code: 1026}},
		{"spark code=418 is refused", bt.Step{Req: vowGet.Hdr("Prefer", "code=418"), Status: 400, Code: 1053,
			Message: "code=418 is not documented for getSharedNote; documented: 200, 400, 401, 403, 404, 429, 500"}},
		{"spark code=abc is refused", bt.Step{Req: vowGet.Hdr("Prefer", "code=abc"), Status: 400, Code: 1053, Message: "documented: 200"}},
		{"spark example=nope is refused", bt.Step{Req: vowGet.Hdr("Prefer", "example=nope"), Status: 400, Code: 1053,
			Message: "example=nope is not documented for getSharedNote 200; documented: hotTub, empty"}},
		{"spark example of another status is refused", bt.Step{Req: vowGet.Hdr("Prefer", "code=404, example=hotTub"), Status: 400, Code: 1053,
			Message: "documented: notFound"}},
		{"spark Prefer does not bypass roles", bt.Step{Req: bt.Spark(bt.IDXToken, "GET", bt.NotesPath).Hdr("Prefer", "code=200"), Status: 403, Code: 1500}},

		{"otc example=empty", bt.Step{Req: otcList.Hdr("Prefer", "example=empty"), Status: 200, Header: applied("example=empty"), Check: bt.WantEmptyList}},
		{"otc example=buyer on an empty property", bt.Step{
			Req: bt.OTC("GET", "/properties/124/contacts").Hdr("Prefer", "example=buyer"), Status: 200, Check: bt.WantSeedLink}},
		{"otc code=404", bt.Step{Req: otcList.Hdr("Prefer", "code=404"), Status: 404, Message: "Not found"}},
		{"otc code=429 example=slowDown", bt.Step{Req: otcList.Hdr("Prefer", "code=429,example=slowDown"), Status: 429, Message: "Too many requests"}},
		{"otc code=405 carries Allow", bt.Step{Req: bt.OTC("DELETE", "/properties/123/contacts/456").Hdr("Prefer", "code=405"), Status: 405, Check: bt.WantHeaderPresent("Allow")}},
		{"otc create code=409 example=duplicate", bt.Step{
			Req:    bt.OTC("POST", "/properties/123/contacts").With(map[string]any{"contact_id": 789}).Hdr("Prefer", "code=409, example=duplicate"),
			Status: 409, Message: "already linked"}},
		{"otc delete code=204", bt.Step{Req: bt.OTC("DELETE", "/properties/123/contacts/456").Hdr("Prefer", "code=204"), Status: 204}},
		{"otc code=418 is refused", bt.Step{Req: otcList.Hdr("Prefer", "code=418"), Status: 400,
			Message: "code=418 is not documented for listPropertyContacts; documented: 200, 400, 401, 404, 429, 500"}},
		{"otc example=nope is refused", bt.Step{Req: otcList.Hdr("Prefer", "example=nope"), Status: 400,
			Message: "example=nope is not documented for listPropertyContacts 200; documented: buyer, empty"}},
		{"otc delete example on a bodiless status is refused", bt.Step{
			Req: bt.OTC("DELETE", "/properties/123/contacts/456").Hdr("Prefer", "code=204, example=x"), Status: 400, Message: "documented: none"}},
		{"otc Prefer does not bypass authentication", bt.Step{
			Req: bt.Req{Method: "GET", Target: "/opentoclose/v1/properties/123/contacts?api_token=nope", Header: map[string]string{"Prefer": "code=200"}}, Status: 401}},
	}
	m := bt.Scenario(t, "default")
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			r := bt.Send(t, m, row.step.Req)
			bt.Check(t, 0, row.step, r)
			if r.Status == 400 && r.Header.Get("Preference-Applied") != "" {
				t.Errorf("a refused preference is reported applied: %q", r.Header.Get("Preference-Applied"))
			}
			if r.Status == 400 && !strings.HasPrefix(row.step.Req.Target, "/spark/") {
				// Open To Close errors are {"message": ...} and nothing else here.
				obj := r.Object(t)
				if _, ok := obj["message"].(string); !ok || len(obj) != 1 {
					t.Errorf("Open To Close error body = %s, want only a message", r.Body)
				}
			}
		})
	}
	// A preferred answer is not a write.
	bt.Run(t, m, bt.Step{Req: otcList, Status: 200, Check: bt.WantSeedLink})
}

// in process: each matching way, times, order and rule latency. The
// journal's rule field shows which rule answered.
func TestScenarioRules(t *testing.T) {
	t.Parallel()
	set := bt.Scenarios(t, "testdata/scenarios")
	type step struct {
		bt.Step
		rule string // the rule the journal must name; "" for none
	}
	retrieve := bt.OTC("GET", "/properties/123/contacts/456")
	rows := []struct {
		name  string
		steps []step
	}{
		{"times 1 fails once then lets calls through", []step{
			{bt.Step{Req: retrieve, Status: 500, Message: "Internal server error"}, "retrieve-456-fails-once"},
			{bt.Step{Req: retrieve, Status: 200, Check: func(t testing.TB, r bt.Resp) { bt.WantBuyerLink(t, r.Object(t)) }}, ""},
			{bt.Step{Req: retrieve, Status: 200}, ""},
			{bt.Step{Req: bt.Admin("POST", "/reset"), Status: 200}, ""},
			{bt.Step{Req: retrieve, Status: 500}, "retrieve-456-fails-once"},
			{bt.Step{Req: retrieve, Status: 200}, ""},
		}},
		{"path parameter must match", []step{
			// The link's own id reaches the same link but not the rule.
			{bt.Step{Req: bt.OTC("GET", "/properties/123/contacts/7484664"), Status: 200}, ""},
			{bt.Step{Req: retrieve, Status: 500}, "retrieve-456-fails-once"},
		}},
		{"query", []step{
			{bt.Step{Req: bt.OTC("GET", "/properties/123/contacts?role=Seller"), Status: 429, Message: "Seller lists are rate limited",
				Header: map[string]string{"Retry-After": "7"}}, "sellers-rate-limited"},
			{bt.Step{Req: bt.OTC("GET", "/properties/123/contacts?role=Buyer"), Status: 200, Check: bt.WantSeedLink}, ""},
			{bt.Step{Req: bt.OTC("GET", "/properties/123/contacts"), Status: 200}, ""},
		}},
		{"header, case-insensitive", []step{
			{bt.Step{Req: bt.OTC("GET", "/properties/123/contacts").Hdr("X-TEST-CASE", "teapot"), Status: 404, Message: "matched by header"}, "header-teapot"},
			{bt.Step{Req: bt.OTC("GET", "/properties/123/contacts").Hdr("X-Test-Case", "coffee"), Status: 200}, ""},
		}},
		{"body fields", []step{
			{bt.Step{Req: bt.OTC("POST", "/properties/124/contacts").With(map[string]any{"contact_id": 900, "role": "Seller", "notes": "x"}),
				Status: 409, Message: "already linked"}, "body-contact-900"},
			{bt.Step{Req: bt.OTC("POST", "/properties/124/contacts").With(map[string]any{"contact_id": 900, "role": "Buyer"}), Status: 201}, ""},
			{bt.Step{Req: bt.OTC("POST", "/properties/123/contacts").With(map[string]any{"contact_id": 900}), Status: 201}, ""},
		}},
		{"nested body field", []step{
			{bt.Step{Req: bt.Spark(bt.PrivateToken, "PUT", bt.ContactNotesPath+"/"+bt.PortalContact).With(map[string]any{"D": map[string]any{"Note": "trigger the rule"}}),
				Status: 500, Code: 1026, Message: "matched by body"}, "body-note-trigger"},
			{bt.Step{Req: bt.Spark(bt.PrivateToken, "PUT", bt.ContactNotesPath+"/"+bt.PortalContact).With(map[string]any{"D": map[string]any{"Note": "other"}}),
				Status: 200}, ""},
		}},
		{"first matching rule wins, until its times run out", []step{
			{bt.Step{Req: bt.OTC("GET", "/properties/124/contacts"), Status: 429, Message: "first rule"}, "order-first-once"},
			{bt.Step{Req: bt.OTC("GET", "/properties/124/contacts"), Status: 500, Message: "second rule"}, "order-second"},
			{bt.Step{Req: bt.OTC("GET", "/properties/124/contacts"), Status: 500, Message: "second rule"}, "order-second"},
		}},
		{"an earlier rule shadows a later one", []step{
			{bt.Step{Req: bt.OTC("GET", "/properties/124/contacts?role=Seller"), Status: 429, Message: "Seller lists"}, "sellers-rate-limited"},
			{bt.Step{Req: bt.OTC("GET", "/properties/124/contacts"), Status: 429, Message: "first rule"}, "order-first-once"},
		}},
		{"rules apply after authentication", []step{
			{bt.Step{Req: bt.Req{Method: "GET", Target: "/opentoclose/v1/properties/123/contacts/456?api_token=nope"}, Status: 401}, ""},
			{bt.Step{Req: retrieve, Status: 500}, "retrieve-456-fails-once"},
		}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			m := bt.New(t, mockserver.Options{Scenarios: set, Scenario: scRulesScenario})
			for i, s := range row.steps {
				r := bt.Send(t, m, s.Req)
				bt.Check(t, i, s.Step, r)
				if strings.HasPrefix(s.Req.Target, "/__mock/") {
					continue
				}
				entries := m.Requests(mockserver.Filter{})
				if last := entries[len(entries)-1]; last.Rule != s.rule {
					t.Errorf("step %d: journal rule = %q, want %q", i, last.Rule, s.rule)
				}
			}
		})
	}
	t.Run("latency rule delays the normal answer", func(t *testing.T) {
		t.Parallel()
		var rule *fixtures.Rule
		sc, err := set.Get(scRulesScenario)
		if err != nil {
			t.Fatal(err)
		}
		for i := range sc.API("spark").Rules {
			if r := &sc.API("spark").Rules[i]; r.Name == "private-list-late" {
				rule = r
			}
		}
		if rule == nil || rule.Latency <= 0 {
			t.Fatalf("rule private-list-late with a latency not found in %s", scRulesScenario)
		}
		m := bt.New(t, mockserver.Options{Scenarios: set, Scenario: scRulesScenario})
		start := time.Now()
		r := bt.Send(t, m, bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath).Hdr("X-Slow", "yes"))
		if took := time.Since(start); took < rule.Latency {
			t.Errorf("took %v, want at least %v", took, rule.Latency)
		}
		bt.Check(t, 0, bt.Step{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath), Status: 200, Check: bt.WantSeedNote}, r)
	})
}

// TestScenarioFaults runs the fault rules over a real connection: close
// gives the client a transport error, hang keeps it waiting until it gives
// up, and then the handler returns (the server closes without waiting).
func TestScenarioFaults(t *testing.T) {
	t.Parallel()
	set := bt.Scenarios(t, "testdata/scenarios")
	rows := []struct {
		name string
		req  bt.Req
		rule string
		hang bool
	}{
		{"close on Open To Close", bt.OTC("GET", "/properties/123/contacts").Hdr("X-Fault", "close"), "otc-close", false},
		{"close on Spark", bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath+"/"+bt.VOWContact).Hdr("X-Fault", "close"), "spark-close", false},
		{"hang on Open To Close", bt.OTC("GET", "/properties/123/contacts/7484664").Hdr("X-Fault", "hang"), "otc-hang", true},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			m := mockservertest.New(t, mockservertest.WithOptions(func(o *mockserver.Options) {
				o.Scenarios, o.Scenario = set, scRulesScenario
			}))
			client := m.Client()
			if row.hang {
				client.Timeout = 200 * time.Millisecond
			}
			res, err := client.Do(row.req.Build(t, m.HTTP.URL))
			if err == nil {
				_ = res.Body.Close()
				t.Fatalf("got %d, want a transport error", res.StatusCode)
			}
			var ne net.Error
			if timedOut := errors.As(err, &ne) && ne.Timeout(); timedOut != row.hang {
				t.Fatalf("error %v: timeout = %v, want %v", err, timedOut, row.hang)
			}
			if row.hang {
				// The handler must return once the client is gone: Close
				// waits for every handler. The deadline only bounds a failure.
				client.CloseIdleConnections()
				closed := make(chan struct{})
				go func() { m.HTTP.Close(); close(closed) }()
				select {
				case <-closed:
				case <-time.After(10 * time.Second):
					t.Fatal("the server did not close: the hanging handler never returned")
				}
			}
			// Either way the journal holds the request, with no status.
			entries := m.Server.Requests(mockserver.Filter{})
			if len(entries) == 0 {
				t.Fatal("the journal is empty")
			}
			if last := entries[len(entries)-1]; last.Rule != row.rule || last.Status != 0 {
				t.Errorf("journal entry rule %q status %d, want rule %q status 0", last.Rule, last.Status, row.rule)
			}
			if row.hang {
				return
			}
			// The server is still fine for the next request.
			res, err = client.Do(row.req.Hdr("X-Fault", "").Build(t, m.HTTP.URL))
			if err != nil {
				t.Fatalf("next request: %v", err)
			}
			_ = res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("next request: %d, want 200", res.StatusCode)
			}
		})
	}
}
