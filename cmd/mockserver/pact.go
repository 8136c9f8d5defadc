package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/pact"
	"github.com/realestate-mocks/mockserver/mockserver/pact/verify"
)

const pactHelp = `Usage: mockserver pact verify [flags] FILE|DIR...

Verifies consumers' Pact files (specification 2.0, 3.0 and 4.0) against the
APIs, each HTTP interaction two ways:
  static   against the OpenAPI document: the operation exists, the request
           passes the mock's request check, the status is documented and
           the expected body fits its schema (error envelope included);
  dynamic  the request replayed against a fresh in-process mock (or
           --target) in the interaction's provider state, the answer
           compared by Pact's matching rules.
Message and other non-HTTP interactions are listed as SKIP; a failing V4
pending interaction as PENDING, which does not fail the run. A DIR stands
for every *.json file in it.

The API is the pact's provider.name (spark, opentoclose, or a --spec
name), or --api. Paths are the real service's (/v1/listings/...), with or
without the base path. A provider state picks the scenario: --state
'STATE=SCENARIO', else the scenario named like the state, else default;
every interaction starts from its scenario's reset records.

--target is a running mockserver (states through its POST
/__mock/pact/state; MOCKSERVER_ADMIN_TOKEN is sent to its admin API) or the
real service (no state control: pass real credentials with --header or
--query, which replace the pact's values).

Exit status: 0 every interaction passed; 1 one failed; 2 unusable input
(an unreadable file, not a pact, an unknown API) or a usage error.

Examples:
  mockserver pact verify pacts/
  mockserver pact verify --json report.json --junit report.xml notes-app-spark.json
  mockserver pact verify --state 'a note exists=default' notes-app-spark.json
  mockserver pact verify --target https://sparkapi.com \
      --header 'Authorization=Bearer '"$SPARK_TOKEN" notes-app-spark.json
  mockserver pact verify --spec pets=petstore.yaml --stateful pets pets-pact.json
`

// inputError is input that cannot be verified: exit 2, naming the file.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// pactConfig is pact verify's flags.
type pactConfig struct {
	docs           serveConfig // --spec, --stateful, --fixtures, as serve reads them
	api, target    string
	jsonOut, junit string
	headers, query valuesFlag
	states         statesValue // pactflags.go, as serve's --pact-state
	adminToken     string
	files          []string
}

func runPact(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 {
		return usagef("pact", "pact needs a subcommand: verify")
	}
	if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(c.stdout, pactHelp)
		return nil
	}
	if args[0] != "verify" {
		return usagef("pact", "unknown subcommand %q; pact has: verify", args[0])
	}
	cfg, err := parsePactVerify(c, args[1:])
	if err != nil {
		return helpOK(err)
	}
	return cfg.run(ctx, c)
}

func parsePactVerify(c *cli, args []string) (*pactConfig, error) {
	cfg := &pactConfig{docs: serveConfig{specs: pairsValue{what: "FILE"}}, headers: valuesFlag{what: "header"}, query: valuesFlag{what: "query parameter"}}
	fs := newFlagSet("pact verify", pactHelp)
	fs.str(&cfg.api, "api", "")
	fs.str(&cfg.target, "target", "")
	fs.value(&cfg.headers, "header")
	fs.value(&cfg.query, "query")
	fs.value(&cfg.states, "state")
	fs.str(&cfg.jsonOut, "json", "")
	fs.str(&cfg.junit, "junit", "")
	fs.value(&cfg.docs.specs, "spec")
	fs.value(&cfg.docs.stateful, "stateful")
	fs.str(&cfg.docs.fixturesDir, "fixtures", "")
	if err := fs.parse(c, args); err != nil {
		return nil, err
	}
	if fs.NArg() == 0 {
		return nil, usagef("pact verify", "name at least one pact FILE or DIR")
	}
	if cfg.target != "" && len(cfg.states.states) > 0 {
		return nil, usagef("pact verify", "--state maps states for the in-process mock; a --target mockserver maps its own (serve --pact-state)")
	}
	cfg.files, cfg.adminToken = fs.Args(), c.getenv("MOCKSERVER_ADMIN_TOKEN")
	return cfg, nil
}

// run verifies, prints the report and writes the files asked for.
func (cfg *pactConfig) run(ctx context.Context, c *cli) error {
	docs, err := cfg.docs.loadDocuments()
	if err != nil {
		return &inputError{err}
	}
	for state, scenario := range cfg.states.states {
		if _, err := docs.set.Get(scenario); err != nil {
			return &inputError{fmt.Errorf("--state %q: %w", state, err)}
		}
	}
	opts := verify.Options{
		APIs: docs.apis, API: cfg.api, Target: cfg.target, AdminToken: cfg.adminToken,
		Header: http.Header(cfg.headers.values), Query: url.Values(cfg.query.values),
		NewMock: func() (*mockserver.Server, error) {
			return mockserver.New(mockserver.Options{
				Packs: docs.packs, APIs: docs.apis, Scenarios: docs.set, PactStates: cfg.states.states, Logger: slog.New(slog.DiscardHandler),
				OptionNames: map[string]string{"PactStates": "--state"},
			})
		},
	}
	files, err := readPacts(cfg.files, &opts)
	if err != nil {
		return err
	}
	report, err := verify.Verify(ctx, files, opts)
	if err != nil {
		return err
	}
	if err := report.WriteText(c.stdout); err != nil {
		return err
	}
	if err := cfg.writeReports(report); err != nil {
		return err
	}
	if !report.OK {
		return errProblems
	}
	return nil
}

// readPacts reads every file, and every *.json in each directory, and
// checks that each names an API.
func readPacts(args []string, opts *verify.Options) ([]*pact.File, error) {
	var files []*pact.File
	for _, arg := range args {
		paths, err := pactPaths(arg)
		if err != nil {
			return nil, err
		}
		for _, path := range paths {
			f, err := pact.ReadFile(path)
			if err != nil {
				return nil, &inputError{err} // names the file
			}
			if _, err := opts.APIFor(f); err != nil {
				return nil, &inputError{fmt.Errorf("pact %s: %w", path, err)}
			}
			files = append(files, f)
		}
	}
	return files, nil
}

func pactPaths(arg string) ([]string, error) {
	info, err := os.Stat(arg)
	if err != nil {
		return nil, &inputError{fmt.Errorf("pact %s: %w", arg, errors.Unwrap(err))}
	}
	if !info.IsDir() {
		return []string{arg}, nil
	}
	paths, err := filepath.Glob(filepath.Join(arg, "*.json"))
	if err != nil || len(paths) == 0 {
		return nil, &inputError{fmt.Errorf("pact directory %s: no *.json files in it", arg)}
	}
	return paths, nil // Glob sorts
}

func (cfg *pactConfig) writeReports(r *verify.Report) error {
	for _, out := range []struct {
		flag, path string
		write      func(io.Writer) error
	}{
		{"--json", cfg.jsonOut, r.WriteJSON},
		{"--junit", cfg.junit, r.WriteJUnit},
	} {
		if out.path == "" {
			continue
		}
		var buf bytes.Buffer
		if err := out.write(&buf); err != nil {
			return fmt.Errorf("%s %s: %w", out.flag, out.path, err)
		}
		if err := writeFileAtomic(out.path, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("%s %s: %w", out.flag, out.path, err)
		}
	}
	return nil
}

// valuesFlag is a repeatable K=V flag gathering values by name.
type valuesFlag struct {
	what   string
	values map[string][]string
}

func (v *valuesFlag) String() string {
	if v == nil {
		return ""
	}
	var parts []string
	for k, vs := range v.values {
		for _, x := range vs {
			parts = append(parts, k+"="+x)
		}
	}
	return strings.Join(parts, ",")
}

func (v *valuesFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return fmt.Errorf("want %s K=V, got %q", v.what, s)
	}
	if v.values == nil {
		v.values = map[string][]string{}
	}
	if v.what == "header" {
		name = http.CanonicalHeaderKey(name)
	}
	v.values[name] = append(v.values[name], value)
	return nil
}

// SetEnv reads one K=V a line: a header's value may hold commas.
func (v *valuesFlag) SetEnv(s string) error { return setLines(v, s) }

func (v *valuesFlag) envForm() string { return "one K=V a line" }
