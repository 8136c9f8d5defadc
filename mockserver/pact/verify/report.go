package verify

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver/junit"
)

// Checks a problem comes from.
const (
	Static  = "static"
	Dynamic = "dynamic"
)

// Report is the outcome of a verification; it marshals to the JSON that
// --json writes.
type Report struct {
	// OK is true when no interaction failed (pending and skipped ones
	// do not count).
	OK           bool     `json:"ok"`
	Interactions []Result `json:"interactions"`
	// Notes say what the verification could not do for every interaction
	// alike (a target without state control).
	Notes []string `json:"notes,omitempty"`
}

// Result is one interaction's verdict.
type Result struct {
	Consumer    string `json:"consumer"`
	Provider    string `json:"provider"`
	Description string `json:"description"`
	// OK is true when no problem was found (a skipped interaction is OK).
	OK       bool      `json:"ok"`
	Problems []Problem `json:"problems"`
	// Skipped says why the interaction was not verified (not HTTP).
	Skipped string `json:"skipped,omitempty"`
	// Pending is V4's pending flag: its problems are reported, not counted.
	Pending bool `json:"pending,omitempty"`
}

// Problem is one way an interaction and the API part ways.
type Problem struct {
	// Check is Static or Dynamic.
	Check string `json:"check"`
	// Where names the part of the exchange: "request", "request body",
	// "request method", "response status", "response header Allow",
	// "response body".
	Where   string `json:"where"`
	Message string `json:"message"`
	// Pointer is the JSON pointer of the body value at fault; "" when the
	// problem is not about one value.
	Pointer string `json:"pointer"`
	// Path is the same value's Pact path ("$.D.Results[0].Note"), for a
	// dynamic body mismatch.
	Path string `json:"path,omitempty"`
}

func (p Problem) String() string {
	return fmt.Sprintf("[%s] %s: %s", p.Check, p.at(), p.Message)
}

// at is the part of the exchange with the value's pointer, when any.
func (p Problem) at() string {
	if p.Pointer == "" {
		return p.Where
	}
	return p.Where + " " + p.Pointer
}

// Counts are a report's interactions by verdict.
type Counts struct{ Passed, Failed, Pending, Skipped int }

// Counts counts the interactions by verdict.
func (r *Report) Counts() Counts {
	var c Counts
	for _, res := range r.Interactions {
		switch {
		case res.Skipped != "":
			c.Skipped++
		case res.OK:
			c.Passed++
		case res.Pending:
			c.Pending++
		default:
			c.Failed++
		}
	}
	return c
}

// verdict is the first word of a result's line.
func (res Result) verdict() string {
	switch {
	case res.Skipped != "":
		return "SKIP"
	case res.OK:
		return "PASS"
	case res.Pending:
		return "PENDING"
	}
	return "FAIL"
}

func (res Result) title() string {
	return fmt.Sprintf("%s → %s: %s", res.Consumer, res.Provider, res.Description)
}

// WriteText writes one line per interaction, each problem indented below
// it, then the notes and a summary line.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, res := range r.Interactions {
		fmt.Fprintf(&b, "%-7s %s", res.verdict(), res.title())
		switch {
		case res.Skipped != "":
			fmt.Fprintf(&b, " (%s)", res.Skipped)
		case res.Pending && !res.OK:
			b.WriteString(" (pending: reported, not failing the run)")
		}
		b.WriteByte('\n')
		for _, p := range res.Problems {
			fmt.Fprintf(&b, "  %s\n", p)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	c := r.Counts()
	noun := "interactions"
	if len(r.Interactions) == 1 {
		noun = "interaction"
	}
	fmt.Fprintf(&b, "%d %s: %d passed, %d failed, %d pending, %d skipped\n",
		len(r.Interactions), noun, c.Passed, c.Failed, c.Pending, c.Skipped)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJUnit writes one suite per consumer and provider, one case per
// interaction, one failure per problem; a skipped interaction is a
// skipped case, and so is a pending one that failed, its problems in
// the case's output.
func (r *Report) WriteJUnit(w io.Writer) error {
	out := junit.Suites{Name: "mockserver pact verify"}
	now := time.Now().UTC().Format(time.RFC3339)
	var suites []junit.Suite
	at := map[string]int{}
	for _, res := range r.Interactions {
		name := res.Consumer + " → " + res.Provider
		i, ok := at[name]
		if !ok {
			i = len(suites)
			at[name] = i
			suites = append(suites, junit.Suite{Name: name, Timestamp: now})
		}
		suites[i].Add(junitCase(res, name))
	}
	for _, s := range suites {
		out.Add(s)
	}
	return out.Write(w)
}

func junitCase(res Result, classname string) junit.Case {
	c := junit.Case{Name: res.Description, Classname: classname}
	switch {
	case res.Skipped != "":
		c.Skipped = &junit.Skipped{Message: res.Skipped}
		return c
	case res.Pending && !res.OK:
		c.Skipped = &junit.Skipped{Message: "pending interaction failed"}
		lines := make([]string, len(res.Problems))
		for i, p := range res.Problems {
			lines[i] = p.String()
		}
		c.SystemOut = strings.Join(lines, "\n")
		return c
	}
	for _, p := range res.Problems {
		c.Failures = append(c.Failures, junit.Failure{Message: p.at() + ": " + p.Message, Type: p.Check, Text: p.String()})
	}
	return c
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
