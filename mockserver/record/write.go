package record

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v4"

	"github.com/realestate-mocks/mockserver/mockserver/internal/oneline"
)

// file is the scenario file's shape (fixtures' format).
type file struct {
	Description string              `yaml:"description"`
	Extends     string              `yaml:"extends"`
	APIs        map[string]*apiPart `yaml:"apis,omitempty"`
}

type apiPart struct {
	State any        `yaml:"state,omitempty"`
	Rules []ruleFile `yaml:"rules,omitempty"`
}

type ruleFile struct {
	Name      string     `yaml:"name"`
	Operation string     `yaml:"operation"`
	Match     *matchFile `yaml:"match,omitempty"`
	Respond   answer     `yaml:"respond"`
	Times     int        `yaml:"times,omitempty"`
}

type matchFile struct {
	Path  map[string]string `yaml:"path,omitempty"`
	Query map[string]string `yaml:"query,omitempty"`
	// Body matches each top-level field of the recorded request body.
	Body map[string]any `yaml:"body,omitempty"`
}

// Marshal is the scenario file of what was recorded so far, its header
// comment first; the caller writes it to Path (the command writes it
// aside and renames it, as it writes every file).
func (r *Recorder) Marshal() ([]byte, error) {
	r.mu.Lock()
	f, header, err := r.build()
	r.mu.Unlock()
	if err != nil {
		return nil, err
	}
	body, err := yaml.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	return append([]byte(header), body...), nil
}

// build makes the file and its header comment; r.mu is held.
func (r *Recorder) build() (*file, string, error) {
	f := &file{Extends: r.opts.Extends, APIs: map[string]*apiPart{}}
	var header strings.Builder
	fmt.Fprintf(&header, "# Recorded by mockserver proxy from %s to %s: %d exchanges.\n",
		r.start.UTC().Format(time.RFC3339), time.Now().UTC().Format(time.RFC3339), r.seen)
	header.WriteString("# Replay: mockserver serve --fixtures " + r.opts.Dir + " --scenario " + r.opts.Name + "\n")
	header.WriteString("# No credential is written. The principals are those of \"" + r.opts.Extends + "\"; a client that\n")
	header.WriteString("# recorded with real tokens needs principals for the tokens it replays with.\n")
	rules := 0
	for _, name := range slices.Sorted(maps.Keys(r.apis)) {
		a := r.apis[name]
		part := &apiPart{}
		if a.learner != nil && a.learnt {
			state, err := plain(a.learner.State())
			if err != nil {
				return nil, "", fmt.Errorf("record %s's records: %w", name, err)
			}
			part.State = state
		}
		part.Rules = a.ruleFiles()
		rules += len(part.Rules)
		if part.State != nil || len(part.Rules) > 0 {
			f.APIs[name] = part
		}
		if len(a.notes) > 0 {
			fmt.Fprintf(&header, "#\n# %s: exchanges left out:\n", name)
			for _, n := range a.notes {
				header.WriteString("#   " + oneline.Cut(n, noteLine) + "\n")
			}
		}
	}
	f.Description = fmt.Sprintf("Recorded from %s: %d exchanges, %d rules.", upstreamList(r.opts.Upstreams), r.seen, rules)
	return f, header.String(), nil
}

// ruleFiles writes each call's answers in order: consecutive equal
// answers are one rule with times, and the last answer holds for good.
// Calls matching on more (parameters, body fields) come first so that a
// rule matching fewer does not shadow them.
func (a *apiRecording) ruleFiles() []ruleFile {
	calls := slices.Clone(a.rules)
	slices.SortStableFunc(calls, func(x, y *callRecording) int { return y.constraints() - x.constraints() })
	var out []ruleFile
	for _, c := range calls {
		var m *matchFile
		if c.constraints() > 0 {
			m = &matchFile{Path: c.path, Query: c.query, Body: c.body}
		}
		runs := runsOf(c.answers)
		for i, run := range runs {
			rf := ruleFile{
				Name:      fmt.Sprintf("recorded-%s-%d", c.operation, len(out)+1),
				Operation: c.operation, Match: m, Respond: run.answer,
			}
			if i < len(runs)-1 {
				rf.Times = run.times
			}
			out = append(out, rf)
		}
	}
	return out
}

type run struct {
	answer answer
	times  int
}

func runsOf(answers []answer) []run {
	var out []run
	for _, a := range answers {
		if n := len(out); n > 0 && out[n-1].answer.key == a.key {
			out[n-1].times++
			continue
		}
		out = append(out, run{answer: a, times: 1})
	}
	return out
}

// plain turns records into plain maps and lists through their JSON form,
// which is the scenario format's.
func plain(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonValue(b), nil
}

func upstreamList(ups map[string]string) string {
	if len(ups) == 0 {
		return "the real services"
	}
	parts := make([]string, 0, len(ups))
	for _, name := range slices.Sorted(maps.Keys(ups)) {
		parts = append(parts, name+" at "+ups[name])
	}
	return strings.Join(parts, ", ")
}

// noteLine bounds a note in the written scenario's header comment.
const noteLine = 300
