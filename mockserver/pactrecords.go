package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
)

// PactRecordsParam is the provider-state param in which a written pact
// carries an API's records as they stood just before a call, when the
// app's earlier calls had changed them from the scenario's starting
// records. A verifier replays each interaction from a reset scenario, so
// a read of a record the app had just created could never pass without
// them; POST /__mock/pact/state loads them after entering the scenario.
const PactRecordsParam = "mockserver.records"

// recordsReplay rebuilds, on a fresh mock of the same packs and
// scenarios, the records each journaled call of one API met: the calls
// are replayed in order, each scenario switch resetting the records as it
// did in the run.
type recordsReplay struct {
	w        *pactWriter
	fresh    *Server
	scenario string
	start    []byte // the records the active scenario starts with
	diverged string // why the replay stopped matching the run, once it has
}

// attachRecords gives each kept interaction whose call met records other
// than its scenario's starting ones a PactRecordsParam with them. A
// forwarded or stateless API keeps no records of ours; nor does a replay
// that stops answering as the run did (the journal dropped calls, or one
// depended on time), whose later interactions are left as they are and
// noted.
func (s *Server) attachRecords(w *pactWriter, entries []Entry) (note string, err error) {
	if w.m.up != nil || w.m.store == nil || s.opts.Stateless || len(w.kept) == 0 {
		return "", nil
	}
	opts := s.opts
	opts.Logger = slog.New(slog.DiscardHandler)
	opts.OnSnapshot, opts.AdminUI, opts.Proxy, opts.Latency = nil, nil, nil, 0
	fresh, err := New(opts)
	if err != nil {
		return "", fmt.Errorf("replay the journal for its records: %w", err)
	}
	fresh.replaying = true
	r := &recordsReplay{w: w, fresh: fresh}
	kept := make(map[int64]*keptInteraction, len(w.kept))
	for i := range w.kept {
		kept[w.kept[i].seq] = &w.kept[i]
	}
	for i := range entries {
		e := &entries[i]
		if r.diverged != "" {
			break
		}
		if err := r.enter(e.Scenario); err != nil {
			return "", err
		}
		if k := kept[e.Seq]; k != nil {
			r.attach(k)
		}
		r.replay(e)
	}
	return r.diverged, nil
}

// enter switches the fresh mock to a call's scenario when the run had
// switched, and notes the records it starts with.
func (r *recordsReplay) enter(scenario string) error {
	if scenario == "" || scenario == r.scenario {
		return nil
	}
	if err := r.fresh.SwitchScenario(scenario); err != nil {
		return fmt.Errorf("replay the journal for its records: %w", err)
	}
	r.scenario, r.start = scenario, r.records()
	return nil
}

func (r *recordsReplay) records() []byte {
	data, _ := json.Marshal(r.fresh.State()[r.w.m.name]) // a store's snapshot is plain data
	return data
}

// attach adds the records to an interaction whose call met changed ones.
func (r *recordsReplay) attach(k *keptInteraction) {
	now := r.records()
	if bytes.Equal(now, r.start) || len(k.it.States) == 0 {
		return
	}
	st := &k.it.States[0]
	st.Params = map[string]any{PactRecordsParam: map[string]json.RawMessage{r.w.m.name: now}}
}

// replay sends a call again; one a scenario rule answered changed no
// records and is not sent.
func (r *recordsReplay) replay(e *Entry) {
	if e.Rule != "" || e.Status == 0 {
		return
	}
	req, reason := r.w.request(e, strings.TrimPrefix(e.Path, r.w.m.prefix))
	if reason != "" {
		r.diverged = fmt.Sprintf("call %d (%s %s) could not be replayed: %s; later interactions carry no records", e.Seq, e.Method, e.Path, reason)
		return
	}
	target := e.Path
	if e.Query != "" {
		target += "?" + url.Values(req.Query).Encode()
	}
	hr := httptest.NewRequest(e.Method, target, strings.NewReader(e.Body))
	for name, vs := range req.Headers {
		hr.Header[name] = vs
	}
	rec := httptest.NewRecorder()
	// serveAPI, not ServeHTTP: the admin routes reach Pact, and through it
	// this replay, which would make the router's initialisation a cycle.
	m := r.fresh.byName[r.w.m.name]
	r.fresh.serveAPI(rec, hr, m, strings.TrimPrefix(hr.URL.EscapedPath(), m.prefix))
	_, _ = io.Copy(io.Discard, rec.Result().Body)
	if rec.Code != e.Status {
		r.diverged = fmt.Sprintf("call %d (%s %s) answered %d on replay, %d in the run; later interactions carry no records", e.Seq, e.Method, e.Path, rec.Code, e.Status)
	}
}

// loadPactRecords loads the records a provider state's params carry, as
// a state file of those APIs.
func (s *Server) loadPactRecords(params map[string]any) error {
	raw, ok := params[PactRecordsParam]
	if !ok {
		return nil
	}
	if _, ok := raw.(map[string]any); !ok {
		return fmt.Errorf("params.%s must be an object of records by API name", PactRecordsParam)
	}
	data, err := json.Marshal(raw) // decoded JSON
	if err != nil {
		return fmt.Errorf("params.%s: %w", PactRecordsParam, err)
	}
	return s.RestoreStateFile("params."+PactRecordsParam, data)
}
