package main

import (
	"maps"
	"net/http"
	"strings"
	"testing"
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
