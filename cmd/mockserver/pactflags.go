package main

import (
	"fmt"
	"strings"
)

// statesValue is the repeatable --pact-state STATE=SCENARIO. A provider
// state is free text ("a listing with notes, shared"), so the pair splits
// at its last '=' and its environment variable holds one pair a line
// rather than a comma-separated list.
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

// SetEnv reads one STATE=SCENARIO a line; blank lines are skipped.
func (v *statesValue) SetEnv(s string) error {
	for line := range strings.Lines(s) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if err := v.Set(line); err != nil {
			return err
		}
	}
	return nil
}

// envForm says how the environment variable lists its items.
func (v *statesValue) envForm() string { return "one STATE=SCENARIO a line" }
