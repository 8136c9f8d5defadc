package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const petstoreSpec = "../../spec/testdata/petstore.yaml"

// serve --spec pets=petstore.yaml --stateful pets keeps records through
// the real run() wiring: create → list → read → update → delete → 404, and
// the records go to the state file at shutdown.
func TestServeStatefulPetstore(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	p := startInProcess(t, map[string]string{"MOCKSERVER_STATE_FILE": stateFile},
		"serve", "--addr", "127.0.0.1:0", "--spec", "pets="+petstoreSpec, "--stateful", "pets")
	base := startupLines(t, p.stdout.String())["pets"]
	if base == "" || !strings.HasSuffix(base, "/pets/api") {
		t.Fatalf("no pets line in:\n%s", p.stdout)
	}
	headers := map[string]string{"Content-Type": "application/json"}
	for _, s := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/pets", `{"name":"Rex","tag":"dog"}`, 201, `{"id":1,"name":"Rex","tag":"dog"}`},
		{"POST", "/pets", `{"name":"Tom"}`, 201, `{"id":2,"name":"Tom"}`},
		{"GET", "/pets", "", 200, `[{"id":1,"name":"Rex","tag":"dog"},{"id":2,"name":"Tom"}]`},
		{"GET", "/pets/1", "", 200, `{"id":1,"name":"Rex","tag":"dog"}`},
		{"PATCH", "/pets/1", `{"name":"Max"}`, 200, `{"id":1,"name":"Max","tag":"dog"}`},
		{"PUT", "/pets/2", `{"name":"Kit"}`, 200, `{"id":2,"name":"Kit"}`},
		{"DELETE", "/pets/1", "", 204, ``},
		{"GET", "/pets/1", "", 404, `{"message":"Not found: pets 1 does not exist"}`},
	} {
		code, got := do(t, http.DefaultClient, s.method, base+s.path, s.body, headers)
		if code != s.status || strings.TrimSpace(got) != s.want {
			t.Fatalf("%s %s: %d %s, want %d %s\nstderr:\n%s", s.method, s.path, code, got, s.status, s.want, p.stderr)
		}
	}
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(stateFile)
	if err != nil {
		t.Fatal(err)
	}
	var saved map[string]any
	if err := json.Unmarshal(data, &saved); err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(saved["pets"]); string(got) != `{"$next":{"pets":3},"pets":[{"id":2,"name":"Kit"}]}` {
		t.Errorf("pets in the state file after shutdown: %s", got)
	}
}

func TestServeStatefulRefusals(t *testing.T) {
	noCollections := filepath.Join(t.TempDir(), "ping.yaml")
	ping := "openapi: 3.0.3\ninfo: {title: Ping, version: \"1\"}\npaths:\n  /ping:\n    get:\n      operationId: ping\n      responses: {\"204\": {description: pong}}\n"
	if err := os.WriteFile(noCollections, []byte(ping), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		env   map[string]string
		args  []string
		code  int
		wants []string
	}{
		{"no such --spec", nil, []string{"serve", "--stateful", "pets"}, 2, []string{"--stateful pets: no --spec pets=FILE is given"}},
		{"no such --spec from the environment", map[string]string{"MOCKSERVER_STATEFUL": "pets"}, []string{"serve"}, 2, []string{"--stateful pets"}},
		{"a document without collections", nil, []string{"serve", "--spec", "ping=" + noCollections, "--stateful", "ping"}, 1,
			[]string{"--stateful ping", "no collection path with an item path"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.env, tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tt.code, r)
			}
			assertContains(t, "stderr", r.stderr, tt.wants...)
		})
	}
}

// A --spec API under --stateful and --store-limit refuses a write that
// would pass the limit with 413 in its (default) envelope, and keeps
// nothing of it: never an empty 200 for a record it dropped.
func TestServeStatefulStoreLimit(t *testing.T) {
	p := startInProcess(t, nil, "serve", "--addr", "127.0.0.1:0", "--spec", "pets="+petstoreSpec,
		"--stateful", "pets", "--store-limit", "20KiB")
	base := startupLines(t, p.stdout.String())["pets"]
	headers := map[string]string{"Content-Type": "application/json"}
	body := `{"name":"` + strings.Repeat("n", 3000) + `"}`
	created := 0
	for _, w := range [][2]string{{"POST", "/pets"}, {"PATCH", "/pets/1"}} {
		method, path := w[0], w[1]
		var code int
		var got string
		for range 10 {
			if code, got = do(t, http.DefaultClient, method, base+path, body, headers); code/100 != 2 {
				break
			}
			if method == "POST" {
				created++
			}
		}
		if code != http.StatusRequestEntityTooLarge || !strings.Contains(got, `"message":"The mock's store is full: the mock keeps at most 20480 bytes`) {
			t.Fatalf("%s past the store limit: %d %q\nstderr:\n%s", method, code, got, p.stderr)
		}
	}
	code, list := do(t, http.DefaultClient, "GET", base+"/pets", "", nil)
	var pets []map[string]any
	if err := json.Unmarshal([]byte(list), &pets); code != 200 || err != nil || len(pets) != created {
		t.Errorf("after %d acknowledged creates the list holds %d (%d, %v)", created, len(pets), code, err)
	}
}
