package bundledtest

import (
	"net/http"
	"strings"
	"testing"
)

// Step is one request and what its answer must be.
type Step struct {
	Req    Req
	Status int
	// Code, when set, is the Spark D.Code the answer must carry.
	Code int
	// Message, when set, must be part of the error message (Spark
	// D.Message, or Open To Close and admin "message").
	Message string
	// Header lists headers the answer must carry with exactly these values.
	Header map[string]string
	Check  func(t testing.TB, r Resp)
}

// Run sends each step to h in order and checks its answer.
func Run(t testing.TB, h http.Handler, steps ...Step) {
	t.Helper()
	for i, s := range steps {
		Check(t, i, s, Send(t, h, s.Req))
	}
}

// Check checks r, the answer to step number i, against s.
func Check(t testing.TB, i int, s Step, r Resp) {
	t.Helper()
	where := s.Req.Method + " " + s.Req.Target
	if r.Status != s.Status {
		t.Fatalf("step %d %s: status %d, want %d; body %s", i, where, r.Status, s.Status, r.Body)
	}
	for k, v := range s.Header {
		if got := r.Header.Get(k); got != v {
			t.Errorf("step %d %s: header %s = %q, want %q", i, where, k, got, v)
		}
	}
	if s.Code != 0 || (s.Message != "" && strings.HasPrefix(s.Req.Target, SparkBase+"/")) {
		checkSparkFailure(t, where, i, s, r)
	} else if s.Message != "" {
		if msg, _ := r.Object(t)["message"].(string); !strings.Contains(msg, s.Message) {
			t.Errorf("step %d %s: message %q does not contain %q", i, where, msg, s.Message)
		}
	}
	if s.Check != nil {
		s.Check(t, r)
	}
}

func checkSparkFailure(t testing.TB, where string, i int, s Step, r Resp) {
	t.Helper()
	d := r.SparkD(t)
	if s.Code != 0 && d["Success"] != false {
		t.Errorf("step %d %s: D.Success = %v, want false", i, where, d["Success"])
	}
	if got, _ := d["Code"].(float64); s.Code != 0 && int(got) != s.Code {
		t.Errorf("step %d %s: D.Code = %v, want %d; body %s", i, where, d["Code"], s.Code, r.Body)
	}
	if msg, _ := d["Message"].(string); !strings.Contains(msg, s.Message) {
		t.Errorf("step %d %s: D.Message %q does not contain %q", i, where, msg, s.Message)
	}
}

// ScenarioRow is steps on a Server of one bundled scenario.
type ScenarioRow struct {
	Name, Scenario string
	Steps          []Step
}

// RunScenarios runs each row in parallel on a Server of its own, so rows
// that write do not disturb others.
func RunScenarios(t *testing.T, rows []ScenarioRow) {
	t.Helper()
	for _, row := range rows {
		t.Run(row.Name, func(t *testing.T) {
			t.Parallel()
			Run(t, Scenario(t, row.Scenario), row.Steps...)
		})
	}
}
