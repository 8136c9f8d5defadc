package main

import (
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver/pact"
)

// --pact-state and MOCKSERVER_PACT_STATE fill Options.PactStates; a flag
// wins over the variable.
func TestParsePactState(t *testing.T) {
	rows := []struct {
		name    string
		env     string
		args    []string
		want    map[string]string
		wantErr string
	}{
		{name: "none", want: nil},
		{name: "flags", args: []string{"--pact-state", "a listing with notes=default", "--pact-state", " no contacts = empty "},
			want: map[string]string{"a listing with notes": "default", "no contacts": "empty"}},
		{name: "a state with '=' and ','", args: []string{"--pact-state", "price >= 100, shared=errors"},
			want: map[string]string{"price >= 100, shared": "errors"}},
		{name: "environment, one a line", env: "a listing, shared=default\n\nno contacts=empty\n",
			want: map[string]string{"a listing, shared": "default", "no contacts": "empty"}},
		{name: "a flag wins over the environment", env: "no contacts=empty", args: []string{"--pact-state", "x=slow"},
			want: map[string]string{"x": "slow"}},
		{name: "no '='", args: []string{"--pact-state", "a listing"}, wantErr: `want STATE=SCENARIO, got "a listing"`},
		{name: "no scenario", args: []string{"--pact-state", "a listing="}, wantErr: "with both given"},
		{name: "twice", args: []string{"--pact-state", "a=default", "--pact-state", "a=empty"}, wantErr: `provider state "a" is given twice`},
		{name: "bad environment", env: "a listing", wantErr: "MOCKSERVER_PACT_STATE"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			cfg, err := parseServe(&cli{getenv: getenvFrom(map[string]string{"MOCKSERVER_PACT_STATE": row.env})}, row.args)
			if row.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), row.wantErr) {
					t.Fatalf("err = %v, want %q", err, row.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(cfg.pactStates.states, row.want) {
				t.Errorf("states = %v, want %v", cfg.pactStates.states, row.want)
			}
		})
	}
}

// A served mock answers POST /__mock/pact/state with the --pact-state
// mapping, and refuses at start a mapping to no scenario.
func TestServePactState(t *testing.T) {
	r := runCLI(t, nil, "serve", "--addr", "127.0.0.1:0", "--pact-state", "a listing=nope")
	if r.code != 1 || !strings.Contains(r.stderr, `pact state "a listing": no scenario named "nope"`) {
		t.Errorf("mapping to an unknown scenario: %s", r)
	}
	p := startInProcess(t, map[string]string{"MOCKSERVER_PACT_STATE": "no contacts=empty"}, "serve", "--addr", "127.0.0.1:0")
	admin := startupLines(t, p.stdout.String())["admin"]
	status, body := do(t, http.DefaultClient, "POST", admin+"pact/state", `{"state":"no contacts","action":"setup"}`, map[string]string{"Content-Type": "application/json"})
	if status != http.StatusOK || body != `{"scenario":"empty"}` {
		t.Errorf("POST /__mock/pact/state = %d %s, want 200 and scenario empty", status, body)
	}
}

// --pact-out writes, at shutdown, one pact per API that saw traffic.
func TestServePactOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pacts") // made by serve
	p := startInProcess(t, map[string]string{"MOCKSERVER_CONSUMER": "notes-app"}, "serve", "--addr", "127.0.0.1:0", "--pact-out", dir)
	spark := startupLines(t, p.stdout.String())["spark"]
	for _, token := range []string{"spark-vow-token", "spark-idx-token", "spark-vow-token"} {
		do(t, http.DefaultClient, "GET", spark+"/listings/"+listingID+"/shared/notes", "", sparkHeaders(token))
	}
	if err := p.stop(t); err != nil {
		t.Fatalf("serve: %v\n%s", err, p.stderr)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"notes-app-spark.json"}) {
		t.Fatalf("files %v, want only notes-app-spark.json (Open To Close saw no traffic; no temporary file left)", names)
	}
	f, err := pact.ReadFile(filepath.Join(dir, "notes-app-spark.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range f.Interactions {
		got = append(got, fmt.Sprintf("%s %s %d %v", it.Request.Method, it.Request.Path, it.Response.Status, it.Request.Headers["Authorization"]))
	}
	want := []string{
		"GET /v1/listings/" + listingID + "/shared/notes 403 [OAuth spark-idx-token]",
		"GET /v1/listings/" + listingID + "/shared/notes 200 [OAuth spark-vow-token]",
	}
	if f.Consumer != "notes-app" || f.Provider != "spark" || !slices.Equal(got, want) {
		t.Errorf("pact of %s for %s:\n got %q\nwant %q", f.Consumer, f.Provider, got, want)
	}
	assertContains(t, "stderr", p.stderr.String(), "pact written", "interactions=2")
}

func TestServePactOutRefusals(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	rows := []struct {
		name string
		args []string
		want string
	}{
		{"consumer without pact-out", []string{"--consumer", "app"}, "give --pact-out DIR too"},
		{"consumer with a slash", []string{"--pact-out", t.TempDir(), "--consumer", "a/b"}, `--consumer "a/b": want a name usable in a file name`},
		{"pact-out is a file", []string{"--pact-out", file}, "--pact-out " + file},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			r := runCLI(t, nil, append([]string{"serve", "--addr", "127.0.0.1:0"}, row.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, row.want) {
				t.Errorf("want exit 2 and %q: %s", row.want, r)
			}
		})
	}
}
