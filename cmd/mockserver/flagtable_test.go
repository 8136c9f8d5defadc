package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// Every flag of every command has its environment variable, says it in
// --help, and is listed with it in one of the README's flag tables; the
// README lists no flag that no command has, and flagDefs holds no flag
// that no command declares. The flag package's own -h/--help is not a
// declared flag: it asks for this text and has no variable.
func TestEveryFlagHasItsVariable(t *testing.T) {
	readme := readmeFlagTables(t)
	declared := map[string]bool{}
	for _, cmd := range commands {
		var args []string
		switch cmd.name {
		case "help":
			continue // takes a command's name, no flags
		case "pact":
			args = []string{"pact", "verify", "--help"} // pact's flags are its subcommand's
		default:
			args = []string{cmd.name, "--help"}
		}
		r := runCLI(t, nil, args...)
		if r.code != 0 {
			t.Fatalf("%v: %s", args, r)
		}
		for name, env := range helpFlags(t, strings.Join(args[:len(args)-1], " "), r.stdout) {
			declared[name] = true
			if want := lookupFlag(name).env; env != want {
				t.Errorf("%s --%s: help says %s, flagDefs %s", cmd.name, name, env, want)
			}
			if got, ok := readme[name]; !ok || got != env {
				t.Errorf("%s --%s: the README's flag tables list it with %q, want %s", cmd.name, name, got, env)
			}
		}
	}
	for _, def := range flagDefs {
		if !declared[def.name] {
			t.Errorf("flagDefs has --%s, which no command declares", def.name)
		}
		if !strings.HasPrefix(def.env, "MOCKSERVER_") || def.usage == "" {
			t.Errorf("flagDefs --%s: variable %q, help %q", def.name, def.env, def.usage)
		}
	}
	for name := range readme {
		if !declared[name] {
			t.Errorf("the README lists --%s, which no command has", name)
		}
	}
}

var envInHelp = regexp.MustCompile(`\(env (MOCKSERVER_[A-Z_]+)`)

// helpFlags reads the flags of a --help text (printHelp's "  --name arg"
// line, then its help) and the variable each help names.
func helpFlags(t *testing.T, cmd, help string) map[string]string {
	t.Helper()
	flags := map[string]string{}
	lines := strings.Split(help, "\n")
	for i, line := range lines {
		if !strings.HasPrefix(line, "  --") {
			continue
		}
		name := strings.TrimPrefix(strings.Fields(line)[0], "--")
		m := envInHelp.FindStringSubmatch(lines[min(i+1, len(lines)-1)])
		if m == nil {
			t.Errorf("%s --help: --%s names no environment variable", cmd, name)
			continue
		}
		flags[name] = m[1]
	}
	return flags
}

var (
	flagInCell = regexp.MustCompile("`--([a-z-]+)")
	envInCell  = regexp.MustCompile(`MOCKSERVER_[A-Z_]+`)
)

// readmeFlagTables reads the README's "| Flag | Environment |" tables:
// each flag a row names, with its variable ("`--tls-cert` / `--tls-key`"
// pairs with two variables in order; "`--strict` / `--lenient`" shares one).
func readmeFlagTables(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	flags := map[string]string{}
	inTable := false
	for line := range strings.Lines(string(data)) {
		switch {
		case strings.HasPrefix(line, "| Flag | Environment |"):
			inTable = true
			continue
		case !strings.HasPrefix(line, "|"):
			inTable = false
		}
		cells := strings.Split(strings.ReplaceAll(line, `\|`, "/"), "|")
		if !inTable || len(cells) < 3 || strings.HasPrefix(cells[1], "---") {
			continue
		}
		names, envs := flagInCell.FindAllStringSubmatch(cells[1], -1), envInCell.FindAllString(cells[2], -1)
		if len(envs) != 1 && len(envs) != len(names) || len(names) == 0 {
			t.Errorf("README flag row %q: %d flags, %d variables", strings.TrimSpace(line), len(names), len(envs))
			continue
		}
		for i, m := range names {
			flags[m[1]] = envs[min(i, len(envs)-1)]
		}
	}
	if len(flags) == 0 {
		t.Fatal("the README has no | Flag | Environment | table")
	}
	return flags
}

// The variables of flags that had none before the table: each sets its
// flag, in the form its help gives, and a flag still wins.
func TestVariablesOfEveryCommand(t *testing.T) {
	c := &cli{getenv: getenvFrom(map[string]string{
		"MOCKSERVER_PROXY": "spark=http://127.0.0.1:1/v1", "MOCKSERVER_FAIL_ON_VIOLATION": "true",
		"MOCKSERVER_VERIFY_HEADER": "Authorization=Bearer a, b\nX-Trace=1\n", "MOCKSERVER_VERIFY_API": "spark",
		"MOCKSERVER_VERIFY_STATE": "a note, shared=default", "MOCKSERVER_SPEC": "pets=pets.yaml",
	})}
	serve, err := parseServe(c, nil)
	if err != nil || !serve.proxy.failOnViolation {
		t.Errorf("MOCKSERVER_FAIL_ON_VIOLATION: %v, %+v", err, serve)
	}
	if serve, err = parseServe(c, []string{"--fail-on-violation=false"}); err != nil || serve.proxy.failOnViolation {
		t.Errorf("--fail-on-violation=false lost to its variable: %v", err)
	}
	verify, err := parsePactVerify(c, []string{"--api", "opentoclose", "p.json"})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintln(verify.api, verify.headers.values, verify.states.states, verify.docs.specs.String())
	if want := "opentoclose map[Authorization:[Bearer a, b] X-Trace:[1]] map[a note, shared:default] pets=pets.yaml\n"; got != want {
		t.Errorf("pact verify from the environment:\n got %s\nwant %s", got, want)
	}
}
