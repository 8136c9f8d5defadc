package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
)

// EnterPactState puts the mock in the scenario a Pact provider state
// names, reset to its starting records, so each interaction starts afresh:
// Options.PactStates[state], else the scenario named state, else
// "default" ("" is "default" too). It returns the scenario chosen.
func (s *Server) EnterPactState(state string) (scenario string, err error) {
	name, _, err := s.pactScenario(state)
	if err != nil {
		return "", err
	}
	if err := s.SwitchScenario(name); err != nil {
		return "", fmt.Errorf("provider state %q: %w", state, err)
	}
	return name, nil
}

// pactScenario picks the scenario of one provider state, reporting
// whether the state named it (by Options.PactStates or by its own name)
// rather than fell back to "default".
func (s *Server) pactScenario(state string) (scenario string, named bool, err error) {
	if name, ok := s.opts.PactStates[state]; ok {
		if _, err := s.set.Get(name); err != nil {
			return "", false, fmt.Errorf("provider state %q maps to %w", state, err)
		}
		return name, true, nil
	}
	if state != "" {
		if _, err := s.set.Get(state); err == nil {
			return state, true, nil
		}
	}
	return "default", false, nil
}

// checkPactStates refuses, at New, a PactStates entry that names no
// scenario: a typo would otherwise surface only mid-verification.
func (s *Server) checkPactStates() error {
	for state, name := range s.opts.PactStates {
		if _, err := s.set.Get(name); err != nil {
			return fmt.Errorf("pact state %q: %w", state, err)
		}
	}
	return nil
}

// pactStateRequest is every body a Pact verifier sends to its provider
// states setup URL: V3+ ({"state", "params", "action"}) and the older
// {"consumer", "state"} / {"consumer", "states": [...]}.
type pactStateRequest struct {
	Consumer string          `json:"consumer"`
	State    *string         `json:"state"`
	States   []string        `json:"states"`
	Params   json.RawMessage `json:"params"`
	Action   string          `json:"action"`
}

const pactStateUsage = `send {"state": "<provider state>", "params": {...}, "action": "setup"|"teardown"} or {"consumer": "<name>", "states": ["<provider state>", ...]}`

// adminPactState answers POST /__mock/pact/state. Setup enters the
// scenario of the state (or the one scenario the states agree on);
// teardown changes nothing, since the next setup resets anyway and the
// records stay readable for a failing verification. The answer is the
// state's params with the scenario chosen, the JSON object a verifier
// injects into ProviderState generators.
func (s *Server) adminPactState(w http.ResponseWriter, r *http.Request) {
	req, params, err := decodePactState(r.Body)
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	scenario := s.Scenario()
	if req.Action != "teardown" {
		states := req.States
		if req.State != nil {
			states = append(states, *req.State)
		}
		if scenario, err = s.enterPactStates(states); err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		if err := s.loadPactRecords(params); err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	answer := map[string]any{"scenario": scenario}
	maps.Copy(answer, params) // a param named "scenario" is the consumer's value to inject
	adminJSON(w, http.StatusOK, answer)
}

// decodePactState reads and checks a provider state request.
func decodePactState(body io.Reader) (pactStateRequest, map[string]any, error) {
	var req pactStateRequest
	data, err := io.ReadAll(io.LimitReader(body, 1<<20+1))
	if err != nil {
		return req, nil, fmt.Errorf("read the body: %w", err)
	}
	if len(data) > 1<<20 {
		return req, nil, errors.New("the body is over 1 MiB; " + pactStateUsage)
	}
	if err := json.Unmarshal(data, &req); err != nil {
		return req, nil, fmt.Errorf("not JSON (%v); %s", err, pactStateUsage)
	}
	switch req.Action {
	case "", "setup", "teardown":
	default:
		return req, nil, fmt.Errorf("action %q: want setup or teardown", req.Action)
	}
	if req.State == nil && req.States == nil {
		return req, nil, errors.New("no state: " + pactStateUsage)
	}
	var params map[string]any
	if p := bytes.TrimSpace(req.Params); len(p) > 0 && !bytes.Equal(p, []byte("null")) {
		if err := json.Unmarshal(p, &params); err != nil {
			return req, nil, fmt.Errorf("params must be a JSON object of the state's values, not %s", truncate(string(p), 64))
		}
	}
	return req, params, nil
}

// enterPactStates enters the scenario of several states at once: the one
// those that name a scenario agree on, else "default".
func (s *Server) enterPactStates(states []string) (string, error) {
	chosen, by := "", ""
	for _, state := range states {
		name, named, err := s.pactScenario(state)
		if err != nil {
			return "", err
		}
		if !named {
			continue
		}
		if chosen != "" && name != chosen {
			return "", fmt.Errorf("provider states %q and %q pick scenarios %q and %q; the mock runs one scenario at a time: map them to one with %s", by, state, chosen, name, s.option("PactStates"))
		}
		chosen, by = name, state
	}
	return s.EnterPactState(by)
}
