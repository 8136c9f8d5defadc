package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver/junit"
)

// pactdata is the pacts mockserver/pact/verify tests with.
const pactdata = "../../mockserver/pact/verify/testdata/"

// runPactCLI runs the program as main would, with a live context (the
// replay honours cancellation, unlike serve's refusals in runCLI).
func runPactCLI(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"pact", "verify"}, args...), getenvFrom(nil), &stdout, &stderr)
	code := exitCode(err, &stderr)
	return result{stdout: stdout.String(), stderr: stderr.String(), err: err, code: code}
}

func TestPactVerifyExitCodes(t *testing.T) {
	dir := t.TempDir()
	notPact := filepath.Join(dir, "not-a-pact.json")
	if err := os.WriteFile(notPact, []byte(`{"consumer": {"name": "x"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	renamed := filepath.Join(dir, "renamed.json")
	data, err := os.ReadFile(pactdata + "spark-v4.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(renamed, bytes.Replace(data, []byte(`"name": "spark"`), []byte(`"name": "Spark Listing Notes"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	faithful := t.TempDir()
	for _, name := range []string{"spark-faithful.json", "opentoclose-faithful.json"} {
		data, err := os.ReadFile(pactdata + name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(faithful, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"a directory of faithful pacts", []string{faithful}, 0, []string{"PASS    deals-app → opentoclose: a created link", "11 interactions: 11 passed, 0 failed"}, nil},
		{"a V4 pact with a pending failure and a message", []string{pactdata + "spark-v4.json"}, 0, []string{"PENDING ", "SKIP    "}, nil},
		{"wrong interactions", []string{pactdata + "opentoclose-wrong.json"}, 1, []string{"FAIL    deals-app → opentoclose: wrong: a created link expected to answer 200", "  [dynamic] response status: expected 200 but was 201"}, nil},
		{"a provider named otherwise, with --api", []string{"--api", "spark", renamed}, 0, []string{"PASS"}, nil},
		{"a provider named otherwise", []string{renamed}, 2, nil, []string{"pact " + renamed + `: unknown API "Spark Listing Notes"`}},
		{"--api naming no API", []string{"--api", "nope", pactdata + "spark-v4.json"}, 2, nil, []string{`unknown API "nope" (--api)`}},
		{"a missing file", []string{filepath.Join(dir, "nope.json")}, 2, nil, []string{"nope.json: no such file or directory"}},
		{"not a pact", []string{notPact}, 2, nil, []string{"pact " + notPact + ": not a pact"}},
		{"a directory with no pacts", []string{t.TempDir()}, 2, nil, []string{"no *.json files"}},
		{"no file", nil, 2, nil, []string{"name at least one pact FILE or DIR"}},
		{"a bad --state", []string{"--state", "x", pactdata + "spark-v4.json"}, 2, nil, []string{"want STATE=SCENARIO"}},
		{"a --state given twice", []string{"--state", "a=default", "--state", "a=errors", pactdata + "spark-v4.json"}, 2, nil, []string{`provider state "a" is given twice`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runPactCLI(t, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.code, r)
			}
			assertContains(t, "stdout", r.stdout, tc.stdout...)
			assertContains(t, "stderr", r.stderr, tc.stderr...)
		})
	}
}

// --state maps a provider state to a scenario; a state named like a
// scenario needs none; no state is the default scenario.
func TestPactVerifyStates(t *testing.T) {
	file := pactdata + "spark-states.json"
	r := runPactCLI(t, file)
	if r.code != 1 {
		t.Fatalf("unmapped: %s", r)
	}
	assertContains(t, "stdout", r.stdout, "FAIL    notes-app → spark: a read while over the rate limit", "PASS    notes-app → spark: a contact's note while the provider fails")
	r = runPactCLI(t, "--state", "the API is over its rate limit=errors", file)
	if r.code != 0 {
		t.Fatalf("mapped: %s", r)
	}
	if r := runPactCLI(t, "--state", "the API is over its rate limit=nope", file); r.code != 2 || !strings.Contains(r.stderr, "nope") {
		t.Fatalf("mapped to no scenario: %s", r)
	}
}

func TestPactVerifyReports(t *testing.T) {
	dir := t.TempDir()
	jsonFile, junitFile := filepath.Join(dir, "report.json"), filepath.Join(dir, "report.xml")
	r := runPactCLI(t, "--json", jsonFile, "--junit", junitFile, pactdata+"spark-wrong.json", pactdata+"spark-v4.json")
	if r.code != 1 {
		t.Fatalf("%s", r)
	}
	var report struct {
		OK           bool `json:"ok"`
		Interactions []struct {
			Description string `json:"description"`
			OK          bool   `json:"ok"`
			Problems    []struct{ Check, Message, Pointer string }
		} `json:"interactions"`
	}
	data, err := os.ReadFile(jsonFile)
	if err != nil || json.Unmarshal(data, &report) != nil {
		t.Fatalf("--json: %v\n%s", err, data)
	}
	if report.OK || len(report.Interactions) != 10 || report.Interactions[0].OK || report.Interactions[0].Problems[0].Check != "dynamic" {
		t.Errorf("--json: %s", data)
	}
	var suites junit.Suites
	data, err = os.ReadFile(junitFile)
	if err != nil || xml.Unmarshal(data, &suites) != nil {
		t.Fatalf("--junit: %v\n%s", err, data)
	}
	if suites.Tests != 10 || suites.Failures != 7 || suites.Skipped != 2 {
		t.Errorf("--junit: tests %d failures %d skipped %d", suites.Tests, suites.Failures, suites.Skipped)
	}
}
