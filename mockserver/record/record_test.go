package record_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	"github.com/realestate-mocks/mockserver/mockserver/crud"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
	"github.com/realestate-mocks/mockserver/mockserver/record"
	"github.com/realestate-mocks/mockserver/spec"
)

const (
	listing = bt.Listing
	other   = bt.PortalContact
)

func spark(token string) map[string]string {
	return map[string]string{"Authorization": "OAuth " + token, "X-SparkApi-User-Agent": "record-test", "Content-Type": "application/json"}
}

type call struct {
	method, path, body string
	header             map[string]string
}

// The traffic of each API: reads, writes and reads again, misses, an
// error the records cannot explain, and a call with no credential.
var traffic = map[string][]call{
	"spark": {
		{"GET", "/listings/" + listing + "/shared/notes", "", spark("spark-vow-token")},
		{"GET", "/listings/" + listing + "/shared/notes/contacts/" + other, "", spark("spark-private-token")},
		{"PUT", "/listings/" + listing + "/shared/notes/contacts/" + other, `{"D":{"Note":"Recorded"}}`, spark("spark-private-token")},
		{"GET", "/listings/" + listing + "/shared/notes/contacts", "", spark("spark-private-token")},
		{"PUT", "/listings/" + listing + "/shared/notes", `{"D":{"Note":"Mine now"}}`, spark("spark-vow-token")},
		{"GET", "/listings/" + listing + "/shared/notes", "", spark("spark-vow-token")},
		{"DELETE", "/listings/" + listing + "/shared/notes/contacts/" + other, "", spark("spark-private-token")},
		{"GET", "/listings/" + listing + "/shared/notes/contacts", "", spark("spark-private-token")},
		{"DELETE", "/listings/" + listing + "/shared/notes/contacts/" + other, "", spark("spark-private-token")},
		{"GET", "/listings/20100815153524571646000099/shared/notes/contacts", "", spark("spark-private-token")},
		{"GET", "/listings/" + listing + "/shared/notes", "", spark("nobody")},
	},
	"opentoclose": {
		{"GET", "/properties/123/contacts?api_token=otc-demo-token", "", nil},
		{"POST", "/properties/124/contacts?api_token=otc-demo-token", `{"contact_id": 900, "role": "Seller"}`, map[string]string{"Content-Type": "application/json"}},
		{"GET", "/properties/124/contacts?api_token=otc-demo-token", "", nil},
		{"GET", "/properties/124/contacts/900?api_token=otc-demo-token", "", nil},
		{"PUT", "/properties/123/contacts/456?api_token=otc-demo-token", `{"notes": "Changed"}`, map[string]string{"Content-Type": "application/json"}},
		{"GET", "/properties/123/contacts/7484664?api_token=otc-demo-token", "", nil},
		{"DELETE", "/properties/124/contacts/900?api_token=otc-demo-token", "", nil},
		{"GET", "/properties/124/contacts?api_token=otc-demo-token", "", nil},
		{"GET", "/properties/124/contacts?limit=1&api_token=otc-demo-token", "", nil},
		{"GET", "/properties/999/contacts?api_token=otc-demo-token", "", nil},
		{"POST", "/properties/123/contacts?api_token=otc-demo-token", `{"contact_id": 456}`, map[string]string{"Content-Type": "application/json"}},
	},
}

type result struct {
	status int
	body   string
}

// stamp is the creation time of a link made during the run.
var stamp = regexp.MustCompile(`"date":"[^"]*"`)

func run(t *testing.T, base string, calls []call) []result {
	t.Helper()
	out := make([]result, len(calls))
	for i, c := range calls {
		var body io.Reader
		if c.body != "" {
			body = strings.NewReader(c.body)
		}
		req, _ := http.NewRequest(c.method, base+c.path, body)
		for k, v := range c.header {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		out[i] = result{res.StatusCode, stamp.ReplaceAllString(string(b), `"date":"…"`)}
	}
	return out
}

// Record → replay: the same calls against serve with the recording answer
// what the upstream answered, the writes included (the replay is state).
func TestRecordThenReplay(t *testing.T) {
	for _, api := range []string{"spark", "opentoclose"} {
		t.Run(api, func(t *testing.T) {
			packs, err := bundled.Packs()
			if err != nil {
				t.Fatal(err)
			}
			packs = slices.DeleteFunc(packs, func(p *mockserver.Pack) bool { return p.API.Name != api })
			up := httptest.NewServer(bt.New(t, mockserver.Options{Packs: packs, Mounts: map[string]string{api: "/"}}))
			defer up.Close()

			dir := t.TempDir()
			var rec *record.Recorder
			proxy := bt.New(t, mockserver.Options{Proxy: &mockserver.ProxyOptions{
				Upstreams:  map[string]string{api: up.URL + "/v1"},
				OnExchange: func(x *mockserver.Exchange) { rec.Observe(x) },
			}})
			rec, err = record.New(record.Options{Dir: dir, Name: "captured", Learners: map[string]mockserver.Learner{api: proxy.NewLearner(api)}})
			if err != nil {
				t.Fatal(err)
			}
			px := httptest.NewServer(proxy)
			defer px.Close()
			recorded := run(t, px.URL+"/"+api+"/v1", traffic[api])

			data, err := rec.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			path := rec.Path()
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			file, _ := os.ReadFile(path)
			set, err := bundled.Scenarios(fixtures.Options{Dir: dir})
			if err != nil {
				t.Fatalf("the recording does not load: %v\n%s", err, file)
			}
			replay := httptest.NewServer(bt.New(t, mockserver.Options{Scenarios: set, Scenario: "captured"}))
			defer replay.Close()
			replayed := run(t, replay.URL+"/"+api+"/v1", traffic[api])
			for i, c := range traffic[api] {
				if replayed[i] != recorded[i] {
					t.Errorf("%s %s:\n recorded %d %s\n replayed %d %s", c.method, c.path, recorded[i].status, recorded[i].body, replayed[i].status, replayed[i].body)
				}
			}
			if t.Failed() || testing.Verbose() {
				t.Logf("recording:\n%s", file)
			}
			if !bytes.Contains(file, []byte("state:")) {
				t.Errorf("no records in the recording:\n%s", file)
			}
		})
	}
}

// A recorded write is matched on its body: replayed in another order, each
// body gets the answer the upstream gave it, not the next one in line.
func TestReplayMatchesWritesByBody(t *testing.T) {
	api, err := spec.LoadFile("pets", "../../spec/testdata/petstore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pack, err := crud.Pack(api)
	if err != nil {
		t.Fatal(err)
	}
	up := httptest.NewServer(bt.New(t, mockserver.Options{Packs: []*mockserver.Pack{pack}, Scenarios: fixtures.Empty(), Mounts: map[string]string{"pets": "/"}}))
	defer up.Close()
	dir := t.TempDir()
	rec, err := record.New(record.Options{Dir: dir, Name: "pets"})
	if err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewServer(bt.New(t, mockserver.Options{APIs: []*spec.API{api}, Scenarios: fixtures.Empty(), Proxy: &mockserver.ProxyOptions{
		Upstreams: map[string]string{"pets": up.URL + api.BasePath}, OnExchange: rec.Observe,
	}}))
	defer proxy.Close()
	json := map[string]string{"Content-Type": "application/json"}
	rex := call{"POST", "/pets", `{"name":"Rex","tag":"dog"}`, json}
	tom := call{"POST", "/pets", `{"name":"Tom","tag":"cat"}`, json}
	base := "/pets" + api.BasePath
	recorded := run(t, proxy.URL+base, []call{rex, tom})

	data, err := rec.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rec.Path(), data, 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := bundled.Scenarios(fixtures.Options{Dir: dir, APIs: map[string]*spec.API{"pets": api}})
	if err != nil {
		t.Fatalf("the recording does not load: %v\n%s", err, data)
	}
	replay := httptest.NewServer(bt.New(t, mockserver.Options{APIs: []*spec.API{api}, Scenarios: set, Scenario: "pets"}))
	defer replay.Close()
	replayed := run(t, replay.URL+base, []call{tom, rex, tom})
	for i, want := range []result{recorded[1], recorded[0], recorded[1]} {
		if replayed[i] != want {
			t.Errorf("replay %d: %d %s, want %d %s\nrecording:\n%s", i, replayed[i].status, replayed[i].body, want.status, want.body, data)
		}
	}
	if recorded[0] == recorded[1] {
		t.Fatalf("the upstream answered both writes alike (%v): the test shows nothing", recorded[0])
	}
}

// The recording names its upstreams without their passwords, whatever
// the caller passes: recordings are meant to be committed.
func TestRecordingRedactsUpstreamPasswords(t *testing.T) {
	rec, err := record.New(record.Options{Dir: t.TempDir(), Upstreams: map[string]string{
		"spark": "http://user:s3cret@127.0.0.1:1/v1", "bad": "http://user:s3cret@[::1/%zz",
	}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := rec.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("s3cret")) || !bytes.Contains(data, []byte("spark at http://user:xxxxx@127.0.0.1:1/v1")) {
		t.Errorf("recording:\n%s", data)
	}
}
