package crud_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	"github.com/realestate-mocks/mockserver/mockserver/crud"
	"github.com/realestate-mocks/mockserver/mockserver/mockservertest"
	"github.com/realestate-mocks/mockserver/spec"
)

func petstore(t testing.TB) (*spec.API, *mockserver.Pack) {
	t.Helper()
	api, err := spec.LoadFile("pets", "../../spec/testdata/petstore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pack, err := crud.Pack(api)
	if err != nil {
		t.Fatal(err)
	}
	return api, pack
}

// step is one call and what must come back.
type step struct {
	name, method, path, body string
	status                   int
	want                     any // the decoded JSON body; nil checks none
}

func run(t *testing.T, client *http.Client, base string, steps []step) {
	t.Helper()
	for _, s := range steps {
		req, err := http.NewRequest(s.method, base+s.path, strings.NewReader(s.body))
		if err != nil {
			t.Fatal(err)
		}
		if s.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != s.status || resp.Header.Get(mockserver.ViolationHeader) != "" {
			t.Fatalf("%s: %s %s answered %d (%s), want %d\n%s", s.name, s.method, s.path, resp.StatusCode, resp.Header.Get(mockserver.ViolationHeader), s.status, raw)
		}
		if s.want == nil {
			continue
		}
		var got any
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("%s: body is not JSON: %q", s.name, raw)
		}
		if want := decode(t, s.want); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: body %s, want %v", s.name, raw, want)
		}
	}
}

// decode turns a Go literal into what encoding/json decodes its JSON to.
func decode(t testing.TB, v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

type obj = map[string]any

// lifecycle is create → list → read → update → delete → 404 on the
// petstore, every answer validated by the engine in strict mode.
var lifecycle = []step{
	{"create", "POST", "/pets", `{"name":"Rex","tag":"dog"}`, 201, obj{"id": 1, "name": "Rex", "tag": "dog"}},
	{"create another", "POST", "/pets", `{"name":"Tom"}`, 201, obj{"id": 2, "name": "Tom"}},
	{"invalid create", "POST", "/pets", `{"tag":"no name"}`, 400, nil},
	{"list", "GET", "/pets", "", 200, []any{obj{"id": 1, "name": "Rex", "tag": "dog"}, obj{"id": 2, "name": "Tom"}}},
	{"list with limit", "GET", "/pets?limit=1", "", 200, []any{obj{"id": 1, "name": "Rex", "tag": "dog"}}},
	{"read", "GET", "/pets/2", "", 200, obj{"id": 2, "name": "Tom"}},
	{"replace", "PUT", "/pets/1", `{"name":"Max","id":99}`, 200, obj{"id": 1, "name": "Max"}},
	{"patch", "PATCH", "/pets/1", `{"tag":"cat"}`, 200, obj{"id": 1, "name": "Max", "tag": "cat"}},
	{"read after update", "GET", "/pets/1", "", 200, obj{"id": 1, "name": "Max", "tag": "cat"}},
	{"delete", "DELETE", "/pets/1", "", 204, nil},
	{"read deleted", "GET", "/pets/1", "", 404, obj{"message": "Not found: pets 1 does not exist"}},
	{"replace deleted", "PUT", "/pets/1", `{"name":"Max"}`, 404, nil},
	{"patch deleted", "PATCH", "/pets/1", `{"name":"Max"}`, 404, nil},
	{"delete deleted", "DELETE", "/pets/1", "", 404, nil},
	{"list after delete", "GET", "/pets", "", 200, []any{obj{"id": 2, "name": "Tom"}}},
	{"ids are not reused", "POST", "/pets", `{"name":"Kit"}`, 201, obj{"id": 3, "name": "Kit"}},
}

func TestPetstoreLifecycleThroughMockservertest(t *testing.T) {
	_, pack := petstore(t)
	m := mockservertest.New(t, mockservertest.WithPack(pack))
	run(t, m.Client(), m.URL("pets"), lifecycle)
	if m.URL("spark") == m.HTTP.URL {
		t.Error("the bundled APIs are no longer served beside a user pack")
	}
	if err := m.Server.Reset(); err != nil {
		t.Fatal(err)
	}
	run(t, m.Client(), m.URL("pets"), []step{{"reset empties the store", "GET", "/pets", "", 200, []any{}}})
}

func TestScenarioRecords(t *testing.T) {
	api, pack := petstore(t)
	set, err := bundled.Scenarios(fixtures.Options{Dir: "testdata/scenarios", APIs: map[string]*spec.API{"pets": api}, Vocabularies: mockserver.Vocabularies(pack)})
	if err != nil {
		t.Fatal(err)
	}
	m := mockservertest.New(t, mockservertest.WithPack(pack), mockservertest.WithOptions(func(o *mockserver.Options) { o.Scenarios = set }),
		mockservertest.WithScenario("pets-seeded"))
	run(t, m.Client(), m.URL("pets"), []step{
		{"seeded list", "GET", "/pets", "", 200, []any{obj{"id": 4, "name": "Rex", "tag": "dog"}, obj{"id": 9, "name": "Tom"}}},
		{"numbering after the highest seeded id", "POST", "/pets", `{"name":"Kit"}`, 201, obj{"id": 10, "name": "Kit"}},
	})
	state, err := json.Marshal(m.Server.State()["pets"])
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"$next":{"pets":11},"pets":[{"id":4,"name":"Rex","tag":"dog"},{"id":9,"name":"Tom"},{"id":10,"name":"Kit"}]}`; string(state) != want {
		t.Errorf("State() = %s, want %s", state, want)
	}
	var saved map[string]json.RawMessage
	_ = json.Unmarshal([]byte(`{"pets":{"pets":[{"id":7,"name":"Ada"}]}}`), &saved)
	if err := m.Server.RestoreState(saved); err != nil {
		t.Fatal(err)
	}
	run(t, m.Client(), m.URL("pets"), []step{{"restored", "GET", "/pets/7", "", 200, obj{"id": 7, "name": "Ada"}}})
}

func TestScenarioRecordProblems(t *testing.T) {
	api, pack := petstore(t)
	_, err := bundled.Scenarios(fixtures.Options{Dir: "testdata/broken", APIs: map[string]*spec.API{"pets": api}, Vocabularies: mockserver.Vocabularies(pack)})
	if err == nil {
		t.Fatal("broken records loaded")
	}
	for _, want := range []string{
		"pets-broken.yaml:7: /apis/pets/state/pets/1/id: pets 1 is listed twice (first at line 6)",
		"pets-broken.yaml:8: /apis/pets/state/pets/2",
		`pets-broken.yaml:9: /apis/pets/state/cats: unknown key "cats"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestPackRefusesADocumentWithoutCollections(t *testing.T) {
	api, err := spec.Parse("ping", "ping.yaml", []byte(`openapi: 3.0.3
info: {title: Ping, version: "1"}
paths:
  /ping:
    get:
      operationId: ping
      responses: {"204": {description: pong}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := crud.Pack(api); err == nil || !strings.Contains(err.Error(), "no collection path") {
		t.Errorf("crud.Pack(ping) = %v, want a no collection path error", err)
	}
}

// uuidSpec has string ids, which the store generates as UUIDs.
const uuidSpec = `openapi: 3.0.3
info: {title: Notes, version: "1"}
paths:
  /notes:
    post:
      operationId: createNote
      requestBody: {required: true, content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}}
      responses:
        "201": {description: made, content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}}
  /notes/{noteId}:
    get:
      operationId: getNote
      parameters: [{name: noteId, in: path, required: true, schema: {type: string, format: uuid}}]
      responses:
        "200": {description: one, content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}}
        "404": {description: none, content: {application/json: {schema: {type: object, properties: {message: {type: string}}}}}}
components:
  schemas:
    Note:
      type: object
      required: [text]
      properties:
        noteId: {type: string, format: uuid, readOnly: true}
        text: {type: string}
`

func TestStringIDsAreUUIDs(t *testing.T) {
	api, err := spec.Parse("notes", "notes.yaml", []byte(uuidSpec))
	if err != nil {
		t.Fatal(err)
	}
	pack, err := crud.Pack(api)
	if err != nil {
		t.Fatal(err)
	}
	m := mockservertest.New(t, mockservertest.WithPack(pack))
	resp, err := m.Client().Post(m.URL("notes")+"/notes", "application/json", bytes.NewReader([]byte(`{"text":"hi"}`)))
	if err != nil {
		t.Fatal(err)
	}
	var note struct{ NoteID, Text string }
	_ = json.NewDecoder(resp.Body).Decode(&note)
	resp.Body.Close()
	if resp.StatusCode != 201 || len(note.NoteID) != 36 || note.Text != "hi" {
		t.Fatalf("create: %d %+v", resp.StatusCode, note)
	}
	run(t, m.Client(), m.URL("notes"), []step{
		{"read by uuid", "GET", "/notes/" + note.NoteID, "", 200, obj{"noteId": note.NoteID, "text": "hi"}},
		{"unknown uuid", "GET", "/notes/00000000-0000-4000-8000-000000000000", "", 404, nil},
	})
}
