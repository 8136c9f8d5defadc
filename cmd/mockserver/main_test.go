package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// lockedBuffer is a bytes.Buffer a running serve writes to while the test
// reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// result is one run of the program.
type result struct {
	stdout string
	stderr string // what run wrote, then what exitCode printed
	err    error
	code   int
}

func getenvFrom(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// runCLI runs the program as main would, with a context that is already
// cancelled: a serve that should have refused to start instead starts,
// prints its lines, shuts down and returns nil, which the test reports.
func runCLI(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr lockedBuffer
	err := run(ctx, args, getenvFrom(env), &stdout, &stderr)
	code := exitCode(err, &stderr)
	return result{stdout: stdout.String(), stderr: stderr.String(), err: err, code: code}
}

func (r result) String() string {
	return fmt.Sprintf("exit %d, err %v\nstdout:\n%s\nstderr:\n%s", r.code, r.err, r.stdout, r.stderr)
}

func assertContains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(got, want) {
			t.Errorf("%s does not contain %q:\n%s", what, want, got)
		}
	}
}

// Every refusal exits non-zero with a message that says what to do.
func TestServeRefusals(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.json")
	corruptData := "{\"spark\": {\"listings\": [}\n"
	if err := os.WriteFile(corrupt, []byte(corruptData), 0o644); err != nil {
		t.Fatal(err)
	}
	wrongAPI := filepath.Join(dir, "wrong-api.json")
	if err := os.WriteFile(wrongAPI, []byte(`{"petstore": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	wrongShape := filepath.Join(dir, "wrong-shape.json")
	if err := os.WriteFile(wrongShape, []byte(`{"spark": {"listings": "none"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.json")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		code  int
		wants []string
	}{
		{name: "unknown flag", args: []string{"serve", "--nope"}, code: 2,
			wants: []string{"flag provided but not defined: -nope", "Run 'mockserver serve --help'"}},
		{name: "unknown flag without a command", args: []string{"--nope"}, code: 2,
			wants: []string{"-nope", "mockserver serve --help"}},
		{name: "bad size", args: []string{"serve", "--max-body", "lots"}, code: 2,
			wants: []string{"-max-body", "512KiB"}},
		{name: "bad log level", args: []string{"serve", "--log-level", "loud"}, code: 2,
			wants: []string{"debug, info, warn, error"}},
		{name: "strict and lenient", args: []string{"serve", "--strict", "--lenient"}, code: 2,
			wants: []string{"only one of --strict and --lenient"}},
		{name: "argument", args: []string{"serve", "extra"}, code: 2,
			wants: []string{"no arguments"}},
		{name: "bad environment value", env: map[string]string{"MOCKSERVER_MAX_BODY": "huge"}, args: []string{"serve"}, code: 2,
			wants: []string{"MOCKSERVER_MAX_BODY", `"huge"`}},
		{name: "bad validation variable", env: map[string]string{"MOCKSERVER_VALIDATION": "loose"}, args: []string{"serve"}, code: 2,
			wants: []string{"MOCKSERVER_VALIDATION", "strict or lenient"}},
		{name: "tls key without cert", args: []string{"serve", "--tls-key", "k.pem"}, code: 2,
			wants: []string{"--tls-cert and --tls-key together"}},
		{name: "API name ..", args: []string{"serve", "--spec", "..=x.yaml"}, code: 2,
			wants: []string{`API name "..": use letters, digits, '-' or '_'`}},
		{name: "API name <script>", args: []string{"proxy", "--upstream", "<script>=http://127.0.0.1:1"}, code: 2,
			wants: []string{`API name "<script>": use letters, digits, '-' or '_'`}},
		{name: "stateful API name ..", args: []string{"serve", "--stateful", ".."}, code: 2,
			wants: []string{`API name "..": use letters, digits, '-' or '_'`}},
		{name: "bad address", args: []string{"serve", "--addr", "8080"}, code: 2,
			wants: []string{"HOST:PORT"}},
		{name: "not loopback without admin token", args: []string{"serve", "--addr", "0.0.0.0:0"}, code: 2,
			wants: []string{"the admin API would be open to the network: give --admin-token"}},
		{name: "not loopback from the environment", env: map[string]string{"MOCKSERVER_ADDR": ":0"}, args: nil, code: 2,
			wants: []string{"the admin API would be open to the network", "MOCKSERVER_ADMIN_TOKEN"}},
		{name: "bad memory limit", args: []string{"serve", "--memory-limit", "lots"}, code: 2,
			wants: []string{"-memory-limit", "512KiB"}},
		{name: "proxy without upstream", args: []string{"proxy"}, code: 2,
			wants: []string{"give at least one --upstream NAME=URL", "mockserver proxy --help"}},
		{name: "proxy to no URL", args: []string{"proxy", "--addr", "127.0.0.1:0", "--upstream", "spark=notaurl"}, code: 1,
			wants: []string{`upstream for "spark"`, "want an http or https URL"}},
		{name: "proxy to an API not served", args: []string{"proxy", "--addr", "127.0.0.1:0", "--upstream", "pets=http://127.0.0.1:1"}, code: 1,
			wants: []string{`upstream for "pets": no such API (known: opentoclose, spark);`, "--spec pets=FILE"}},
		{name: "unknown command", args: []string{"serv"}, code: 2,
			wants: []string{`unknown command "serv"`}},
		{name: "bad spec", args: []string{"serve", "--addr", "127.0.0.1:0", "--spec", "broken=testdata/broken-spec.yaml"}, code: 1,
			wants: []string{"testdata/broken-spec.yaml:18:24", "#/components/schemas/Thingy", "does not exist"}},
		{name: "missing spec file", args: []string{"serve", "--addr", "127.0.0.1:0", "--spec", "pets=testdata/nope.yaml"}, code: 1,
			wants: []string{"--spec pets=testdata/nope.yaml", "no such file"}},
		{name: "broken fixture dir", args: []string{"serve", "--addr", "127.0.0.1:0", "--fixtures", "testdata/broken-fixtures"}, code: 1,
			wants: []string{"testdata/broken-fixtures/bad-rule.yaml:6", `no operation "getSharedNotes"`, "use one of"}},
		{name: "missing fixture dir", args: []string{"serve", "--addr", "127.0.0.1:0", "--fixtures", "testdata/nope"}, code: 1,
			wants: []string{"--fixtures testdata/nope", "no such file or directory"}},
		{name: "unknown scenario", args: []string{"serve", "--addr", "127.0.0.1:0", "--scenario", "nope"}, code: 1,
			wants: []string{`no scenario named "nope"`, "default, empty, errors"}},
		{name: "corrupt state file", args: []string{"serve", "--addr", "127.0.0.1:0", "--state-file", corrupt}, code: 1,
			wants: []string{corrupt + ":1:", "corrupt", "left untouched", "move it away"}},
		{name: "state file for another API", args: []string{"serve", "--addr", "127.0.0.1:0", "--state-file", wrongAPI}, code: 1,
			wants: []string{wrongAPI, "corrupt", `"petstore"`}},
		{name: "state file of the wrong shape", args: []string{"serve", "--addr", "127.0.0.1:0", "--state-file", wrongShape}, code: 1,
			wants: []string{wrongShape + ":1:", "corrupt", "/spark/listings: must be a list"}},
		{name: "empty state file", args: []string{"serve", "--addr", "127.0.0.1:0", "--state-file", empty}, code: 1,
			wants: []string{empty, "is empty"}},
		{name: "state file in a missing directory", args: []string{"serve", "--addr", "127.0.0.1:0", "--state-file", filepath.Join(dir, "nope", "s.json")}, code: 1,
			wants: []string{"does not exist", "create it"}},
		{name: "address in use", args: []string{"serve", "--addr", busy.Addr().String()}, code: 1,
			wants: []string{busy.Addr().String(), "already in use", "choose another --addr"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.env, tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tt.code, r)
			}
			assertContains(t, "stderr", r.stderr, tt.wants...)
			if r.stdout != "" {
				t.Errorf("a refused serve printed to stdout:\n%s", r.stdout)
			}
		})
	}
	if data, err := os.ReadFile(corrupt); err != nil || string(data) != corruptData {
		t.Errorf("the corrupt state file was changed: %q, %v", data, err)
	}
}

func TestParseServeDefaults(t *testing.T) {
	cfg, err := parseServe(&cli{getenv: getenvFrom(nil)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.addr != "127.0.0.1:8080" || cfg.scenario != "default" || cfg.validation != mockserver.Strict ||
		int64(cfg.maxBody) != mockserver.DefaultMaxBodyBytes || cfg.shutdownTimeout != 10*time.Second ||
		cfg.logFormat.value != "text" || cfg.logLevel.value != "info" || cfg.tls || cfg.stateFile != "" ||
		len(cfg.specs.pairs) != 0 || len(cfg.mounts.pairs) != 0 {
		t.Errorf("defaults: %+v", cfg)
	}
}

// Each variable sets its flag; a flag on the command line wins.
func TestParseServeEnvAndFlags(t *testing.T) {
	env := map[string]string{
		"MOCKSERVER_ADDR":             "127.0.0.1:9999",
		"MOCKSERVER_SCENARIO":         "errors",
		"MOCKSERVER_FIXTURES":         "/env/fixtures",
		"MOCKSERVER_SPEC":             "pets=env-pets.yaml, shop=env-shop.yaml",
		"MOCKSERVER_MOUNT":            "spark=/",
		"MOCKSERVER_VALIDATION":       "lenient",
		"MOCKSERVER_MAX_BODY":         "512KiB",
		"MOCKSERVER_ADMIN_TOKEN":      "env-token",
		"MOCKSERVER_LOG_FORMAT":       "json",
		"MOCKSERVER_LOG_LEVEL":        "debug",
		"MOCKSERVER_TLS":              "true",
		"MOCKSERVER_TLS_CERT_OUT":     "/env/cert.pem",
		"MOCKSERVER_STATE_FILE":       "/env/state.json",
		"MOCKSERVER_SHUTDOWN_TIMEOUT": "3s",
	}
	c := &cli{getenv: getenvFrom(env)}

	cfg, err := parseServe(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%s|%s|%s|%s|%s|%v|%d|%s|%s|%s|%v|%s|%s|%s",
		cfg.addr, cfg.scenario, cfg.fixturesDir, cfg.specs.String(), cfg.mounts.String(), cfg.validation == mockserver.Lenient,
		cfg.maxBody, cfg.adminToken, cfg.logFormat.value, cfg.logLevel.value, cfg.tls, cfg.tlsCertOut, cfg.stateFile, cfg.shutdownTimeout)
	want := "127.0.0.1:9999|errors|/env/fixtures|pets=env-pets.yaml,shop=env-shop.yaml|spark=/|true|524288|env-token|json|debug|true|/env/cert.pem|/env/state.json|3s"
	if got != want {
		t.Errorf("from the environment:\n got %s\nwant %s", got, want)
	}

	cfg, err = parseServe(c, []string{
		"--addr", "127.0.0.1:7777", "--scenario", "slow", "--fixtures", "/flag/fixtures",
		"--spec", "only=flag.yaml", "--mount", "opentoclose=/otc", "--mount", "spark=/s",
		"--strict", "--max-body", "2MiB", "--admin-token", "flag-token", "--log-format", "text",
		"--log-level", "warn", "--tls=false", "--state-file", "/flag/state.json", "--shutdown-timeout", "1m",
	})
	if err != nil {
		t.Fatal(err)
	}
	got = fmt.Sprintf("%s|%s|%s|%s|%s|%v|%d|%s|%s|%s|%s|%s",
		cfg.addr, cfg.scenario, cfg.fixturesDir, cfg.specs.String(), cfg.mounts.String(), cfg.validation == mockserver.Strict,
		cfg.maxBody, cfg.adminToken, cfg.logFormat.value, cfg.logLevel.value, cfg.stateFile, cfg.shutdownTimeout)
	want = "127.0.0.1:7777|slow|/flag/fixtures|only=flag.yaml|opentoclose=/otc,spark=/s|true|2097152|flag-token|text|warn|/flag/state.json|1m0s"
	if got != want {
		t.Errorf("flags over the environment:\n got %s\nwant %s", got, want)
	}
	// --tls=false loses to the env's --tls-cert-out, which implies TLS.
	if !cfg.tls {
		t.Error("MOCKSERVER_TLS_CERT_OUT did not imply --tls")
	}

	cfg, err = parseServe(&cli{getenv: getenvFrom(map[string]string{"MOCKSERVER_TLS": "true"})}, []string{"--tls=false", "--lenient"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.tls || cfg.validation != mockserver.Lenient {
		t.Errorf("--tls=false --lenient: tls %v, validation %v", cfg.tls, cfg.validation)
	}

	// The newer switches: environment, then a flag winning, then a refusal.
	cfg, err = parseServe(&cli{getenv: getenvFrom(map[string]string{
		"MOCKSERVER_LATENCY": "250ms", "MOCKSERVER_CORS": "true", "MOCKSERVER_WATCH": "true",
		"MOCKSERVER_STATELESS": "true",
	})}, []string{"--latency", "1s"})
	if err != nil || cfg.latency != time.Second || !cfg.cors || !cfg.watch || !cfg.stateless {
		t.Errorf("latency/cors/watch/stateless: %v, latency %v cors %v watch %v stateless %v", err, cfg.latency, cfg.cors, cfg.watch, cfg.stateless)
	}
	if _, err := parseServe(&cli{getenv: getenvFrom(nil)}, []string{"--latency", "-1s"}); err == nil || !strings.Contains(err.Error(), "--latency must not be negative") {
		t.Errorf("--latency -1s: %v", err)
	}

	// The admin token from the environment opens a non-loopback address.
	cfg, err = parseServe(&cli{getenv: getenvFrom(map[string]string{"MOCKSERVER_ADMIN_TOKEN": "t"})}, []string{"--addr", "0.0.0.0:8080"})
	if err != nil || cfg.adminToken != "t" {
		t.Errorf("non-loopback with MOCKSERVER_ADMIN_TOKEN: %v, %+v", err, cfg)
	}
}

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]int64{
		"1": 1, "1048576": 1 << 20, "512KiB": 512 << 10, "1MiB": 1 << 20, "1mib": 1 << 20, "2 MiB": 2 << 20,
		"1GiB": 1 << 30, "10KB": 10000, "3MB": 3000000, "64k": 64 << 10, "100B": 100,
	} {
		if got, err := parseByteSize(in); err != nil || got != want {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "MiB", "1.5MiB", "1TB", "lots"} {
		if got, err := parseByteSize(in); err == nil {
			t.Errorf("parseByteSize(%q) = %d, want an error", in, got)
		}
	}
	if s := byteSize(1 << 20); s.String() != "1MiB" {
		t.Errorf("1MiB prints as %s", s.String())
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "localhost": true, "LocalHost": true, "::1%lo": true,
		"": false, "0.0.0.0": false, "::": false, "192.168.1.10": false, "example.com": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		err    error
		code   int
		stderr string
	}{
		{nil, 0, ""},
		{errProblems, 1, ""},
		{fmt.Errorf("diff: %w", errProblems), 1, ""},
		{usagef("serve", "bad flag"), 2, "mockserver serve: bad flag\nRun 'mockserver serve --help' for usage.\n"},
		{usagef("", "unknown command"), 2, "mockserver: unknown command\nRun 'mockserver --help' for usage.\n"},
		{errors.New("cannot start: boom"), 1, "mockserver: cannot start: boom\n"},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		if code := exitCode(tt.err, &stderr); code != tt.code || stderr.String() != tt.stderr {
			t.Errorf("exitCode(%v) = %d, %q; want %d, %q", tt.err, code, stderr.String(), tt.code, tt.stderr)
		}
	}
}

// Every command has a --help with an example, on stdout, exit 0.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		r := runCLI(t, nil, args...)
		if r.code != 0 {
			t.Fatalf("%v: %s", args, r)
		}
		assertContains(t, fmt.Sprint(args), r.stdout, "serve", "validate", "routes", "diff", "pact", "version", "Exit status")
	}
	for _, cmd := range []string{"serve", "validate", "routes", "diff", "pact", "version"} {
		for _, args := range [][]string{{cmd, "--help"}, {cmd, "-h"}, {"help", cmd}} {
			r := runCLI(t, nil, args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("%v: %s", args, r)
			}
			assertContains(t, fmt.Sprint(args), r.stdout, "Usage: mockserver "+cmd, "Example", "  mockserver "+cmd)
		}
	}
	r := runCLI(t, nil, "serve", "--help")
	assertContains(t, "serve --help", r.stdout, "--addr address", "MOCKSERVER_ADDR", "MOCKSERVER_SPEC, comma-separated", `(default "10s")`)
	if r := runCLI(t, nil, "help", "nope"); r.code != 2 {
		t.Errorf("help nope: %s", r)
	}
}

func TestVersion(t *testing.T) {
	r := runCLI(t, nil, "version")
	if r.code != 0 || !regexp.MustCompile(`^mockserver \S+\n$`).MatchString(r.stdout) {
		t.Errorf("version: %s", r)
	}
	if r := runCLI(t, nil, "version", "extra"); r.code != 2 {
		t.Errorf("version extra: %s", r)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		wants   []string
		notWant string // "" for none
	}{
		{name: "bundled", code: 0, wants: []string{
			"ok    spec opentoclose (embedded opentoclose.yaml): 5 operations",
			"ok    spec spark (embedded spark.yaml): 12 operations",
			"ok    scenarios (bundled): default, empty, errors, opentoclose-live, slow"}},
		{name: "files", args: []string{"testdata/diff/base.yaml", "testdata/diff/removed-operation.yaml"}, code: 0,
			wants:   []string{"ok    spec base (testdata/diff/base.yaml): OpenAPI 3.0.3, 4 operations", "ok    spec removed-operation"},
			notWant: "scenarios"}, // files alone do not check the scenarios
		{name: "planted spec error", args: []string{"testdata/diff/base.yaml", "testdata/broken-spec.yaml"}, code: 1, wants: []string{
			"ok    spec base",
			"FAIL  testdata/broken-spec.yaml:18:24: component `#/components/schemas/Thingy` does not exist in the specification",
			"1 problem(s)"}},
		{name: "planted fixture error", args: []string{"--fixtures", "testdata/broken-fixtures"}, code: 1, wants: []string{
			"ok    spec spark",
			`FAIL  testdata/broken-fixtures/bad-rule.yaml:6: /apis/spark/rules/0/operation: spark has no operation "getSharedNotes"`}},
		{name: "missing file", args: []string{"testdata/nope.yaml"}, code: 1, wants: []string{"FAIL", "testdata/nope.yaml", "no such file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, append([]string{"validate"}, tt.args...)...)
			if r.code != tt.code || r.stderr != "" {
				t.Fatal(r)
			}
			assertContains(t, "stdout", r.stdout, tt.wants...)
			if tt.notWant != "" && strings.Contains(r.stdout, tt.notWant) {
				t.Errorf("stdout has %q:\n%s", tt.notWant, r.stdout)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		code     int
		wants    []string
		breaking bool
	}{
		{name: "removed operation", old: "base", new: "removed-operation", code: 1, breaking: true,
			wants: []string{"BREAKING  removed  paths./pets/{petId}.delete", "testdata/diff/base.yaml:47", "1 change(s), 1 breaking"}},
		{name: "newly required field", old: "base", new: "required-field", code: 1, breaking: true,
			wants: []string{"BREAKING  added  components.schemas.NewPet.required", `"tag"`, "testdata/diff/required-field.yaml:55"}},
		{name: "added optional field", old: "base", new: "optional-property", code: 0,
			wants: []string{"added  components.schemas.Pet.properties", `"age"`, "1 change(s), 0 breaking"}},
		{name: "identical", old: "base", new: "base", code: 0, wants: []string{"no changes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, "diff", "testdata/diff/"+tt.old+".yaml", "testdata/diff/"+tt.new+".yaml")
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tt.code, r)
			}
			if r.stderr != "" {
				t.Errorf("noise on stderr: %q", r.stderr)
			}
			assertContains(t, "stdout", r.stdout, tt.wants...)
			if got := strings.Contains(r.stdout, "BREAKING"); got != tt.breaking {
				t.Errorf("BREAKING shown: %v, want %v", got, tt.breaking)
			}
		})
	}
	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{{"diff"}, {"diff", "one.yaml"}, {"diff", "a", "b", "c"}, {"diff", "--bogus", "a", "b"}} {
			if r := runCLI(t, nil, args...); r.code != 2 {
				t.Errorf("%v: %s", args, r)
			}
		}
	})
	t.Run("missing file", func(t *testing.T) {
		r := runCLI(t, nil, "diff", "testdata/diff/base.yaml", "testdata/nope.yaml")
		if r.code != 1 {
			t.Fatal(r)
		}
		assertContains(t, "stderr", r.stderr, "testdata/nope.yaml", "no such file")
	})
	t.Run("not OpenAPI", func(t *testing.T) {
		notOpenAPI := filepath.Join(t.TempDir(), "x.yaml")
		if err := os.WriteFile(notOpenAPI, []byte("just: yaml\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, nil, "diff", "testdata/diff/base.yaml", notOpenAPI)
		if r.code != 1 {
			t.Fatal(r)
		}
		assertContains(t, "stderr", r.stderr, "NEW "+notOpenAPI)
	})
}

func TestRoutes(t *testing.T) {
	r := runCLI(t, nil, "routes")
	if r.code != 0 {
		t.Fatal(r)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 1+17 {
		t.Errorf("%d lines, want a header and 17 routes:\n%s", len(lines), r.stdout)
	}
	if fields := strings.Fields(lines[0]); strings.Join(fields, " ") != "API METHOD PATH OPERATION ROLES STATUSES" {
		t.Errorf("header %q", lines[0])
	}
	byOp := map[string][]string{}
	for _, line := range lines[1:] {
		f := strings.Fields(line)
		byOp[f[3]] = f
	}
	want := map[string]string{ // operationId -> API METHOD PATH ROLES STATUSES
		"listPropertyContacts":      "opentoclose GET /opentoclose/v1/properties/{property_id}/contacts any 200 400 401 404 429 500",
		"createPropertyContact":     "opentoclose POST /opentoclose/v1/properties/{property_id}/contacts any",
		"retrievePropertyContact":   "opentoclose GET /opentoclose/v1/properties/{property_id}/contacts/{contact_id} any",
		"updatePropertyContact":     "opentoclose PUT /opentoclose/v1/properties/{property_id}/contacts/{contact_id} any",
		"deletePropertyContact":     "opentoclose DELETE /opentoclose/v1/properties/{property_id}/contacts/{contact_id} any",
		"getSharedNote":             "spark GET /spark/v1/listings/{ListingId}/shared/notes VOW,Portal 200 400 401 403 404 429 500",
		"postSharedNote":            "spark POST /spark/v1/listings/{ListingId}/shared/notes VOW,Portal 405",
		"replaceSharedNote":         "spark PUT /spark/v1/listings/{ListingId}/shared/notes VOW,Portal",
		"deleteSharedNote":          "spark DELETE /spark/v1/listings/{ListingId}/shared/notes VOW,Portal",
		"listContactSharedNotes":    "spark GET /spark/v1/listings/{ListingId}/shared/notes/contacts Private",
		"postContactSharedNotes":    "spark POST /spark/v1/listings/{ListingId}/shared/notes/contacts Private 405",
		"replaceContactSharedNotes": "spark PUT /spark/v1/listings/{ListingId}/shared/notes/contacts Private 405",
		"deleteContactSharedNotes":  "spark DELETE /spark/v1/listings/{ListingId}/shared/notes/contacts Private 405",
		"getContactSharedNote":      "spark GET /spark/v1/listings/{ListingId}/shared/notes/contacts/{ContactId} Private",
		"postContactSharedNote":     "spark POST /spark/v1/listings/{ListingId}/shared/notes/contacts/{ContactId} Private 405",
		"replaceContactSharedNote":  "spark PUT /spark/v1/listings/{ListingId}/shared/notes/contacts/{ContactId} Private",
		"deleteContactSharedNote":   "spark DELETE /spark/v1/listings/{ListingId}/shared/notes/contacts/{ContactId} Private",
	}
	for id, w := range want {
		f := byOp[id]
		if f == nil {
			t.Errorf("no route for %s", id)
			continue
		}
		got := strings.Join(append(f[:3:3], f[4:]...), " ")
		if !strings.HasPrefix(got, w) {
			t.Errorf("%s: %q, want it to start %q", id, got, w)
		}
	}

	// The --mount flags replace MOCKSERVER_MOUNT's list; MOCKSERVER_SPEC applies.
	r = runCLI(t, map[string]string{"MOCKSERVER_SPEC": "pets=testdata/diff/base.yaml", "MOCKSERVER_MOUNT": "opentoclose=/ignored"},
		"routes", "--mount", "spark=/", "--mount", "pets=/animals")
	if r.code != 0 {
		t.Fatal(r)
	}
	assertContains(t, "stdout", r.stdout,
		" /v1/listings/{ListingId}/shared/notes ", " /opentoclose/v1/properties/{property_id}/contacts ",
		" /animals/v1/pets/{petId} ", "deletePet")
	if strings.Contains(r.stdout, "/spark/v1") || strings.Contains(r.stdout, "/ignored") {
		t.Errorf("--mount spark=/ still lists /spark/v1, or MOCKSERVER_MOUNT was not replaced:\n%s", r.stdout)
	}
	if r := runCLI(t, nil, "routes", "--mount", "nope=/x"); r.code != 1 || !strings.Contains(r.stderr, `mount for "nope"`) {
		t.Errorf("routes --mount nope=/x: %s", r)
	}
}

// The help lists flag names; the flag package is set up not to print on its own.
func TestFlagSetSilentOnError(t *testing.T) {
	var stdout, stderr bytes.Buffer
	fs := newFlagSet("x", "help\n")
	fs.String("a", "", "a flag")
	err := fs.parse(&cli{getenv: getenvFrom(nil), stdout: &stdout, stderr: &stderr}, []string{"--b"})
	var usage *usageError
	if !errors.As(err, &usage) || stdout.Len() != 0 || stderr.Len() != 0 {
		t.Errorf("err %v, stdout %q, stderr %q", err, stdout.String(), stderr.String())
	}
	err = fs.parse(&cli{getenv: getenvFrom(nil), stdout: &stdout, stderr: &stderr}, []string{"--help"})
	if !errors.Is(err, flag.ErrHelp) || !strings.HasPrefix(stdout.String(), "help\n") {
		t.Errorf("--help: err %v, stdout %q", err, stdout.String())
	}
}
