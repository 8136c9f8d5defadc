package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// statesValue is the repeatable STATE=SCENARIO of serve's --pact-state
// and pact verify's --state. A provider state is free text ("a listing
// with notes, shared"), so the pair splits at its last '=' and its
// environment variable holds one pair a line rather than a
// comma-separated list.
type statesValue struct {
	states map[string]string
}

func (v *statesValue) String() string {
	if v == nil || len(v.states) == 0 {
		return ""
	}
	lines := make([]string, 0, len(v.states))
	for state, scenario := range v.states {
		lines = append(lines, state+"="+scenario)
	}
	return strings.Join(lines, "\n")
}

func (v *statesValue) Set(s string) error {
	i := strings.LastIndexByte(s, '=')
	if i < 0 {
		return fmt.Errorf("want STATE=SCENARIO, got %q", s)
	}
	state, scenario := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:])
	if state == "" || scenario == "" {
		return fmt.Errorf("want STATE=SCENARIO with both given, got %q", s)
	}
	if _, dup := v.states[state]; dup {
		return fmt.Errorf("provider state %q is given twice", state)
	}
	if v.states == nil {
		v.states = map[string]string{}
	}
	v.states[state] = scenario
	return nil
}

// SetEnv reads one STATE=SCENARIO a line.
func (v *statesValue) SetEnv(s string) error { return setLines(v, s) }

// envForm says how the environment variable lists its items.
func (v *statesValue) envForm() string { return "one STATE=SCENARIO a line" }

// setLines sets v to each line of s, skipping blank ones, for a variable
// whose items may hold commas.
func setLines(v flag.Value, s string) error {
	for line := range strings.Lines(s) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if err := v.Set(strings.TrimRight(line, "\r\n")); err != nil {
			return err
		}
	}
	return nil
}

// pactOut is --pact-out DIR and --consumer NAME: the pacts serve writes
// at shutdown, one per API that saw traffic.
type pactOut struct {
	dir      string
	consumer string
}

func (p *pactOut) flags(fs *flagSet) {
	fs.str(&p.dir, "pact-out", "")
	fs.str(&p.consumer, "consumer", mockserver.DefaultConsumer)
}

// check refuses a consumer name that is not a file name part, and makes
// the directory now, so a bad one fails at start rather than after the
// test run.
func (p *pactOut) check(cmd string) error {
	if p.dir == "" {
		if p.consumer != mockserver.DefaultConsumer {
			return usagef(cmd, "--consumer names the consumer of the pacts --pact-out writes: give --pact-out DIR too")
		}
		return nil
	}
	if p.consumer == "" || strings.ContainsAny(p.consumer, `/\`) || p.consumer == "." || p.consumer == ".." {
		return usagef(cmd, "--consumer %q: want a name usable in a file name, such as notes-app", p.consumer)
	}
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		return usagef(cmd, "--pact-out %s: %v", p.dir, err)
	}
	return nil
}

// write writes the pact of every API that saw traffic, each atomically.
func (p *pactOut) write(srv *mockserver.Server, log *slog.Logger) error {
	if p.dir == "" {
		return nil
	}
	var errs []error
	for _, api := range srv.APINames() {
		if len(srv.Requests(mockserver.Filter{API: api})) == 0 {
			continue
		}
		f, err := srv.Pact(api, p.consumer)
		var data []byte
		if err == nil {
			data, err = f.Marshal()
		}
		path := filepath.Join(p.dir, p.consumer+"-"+api+".json")
		if err == nil {
			err = writeFileAtomic(path, data, 0o644)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("--pact-out: pact of %s: %w", api, err))
			continue
		}
		log.Info("pact written", "file", path, "interactions", len(f.Interactions))
	}
	return errors.Join(errs...)
}
