package mockserver_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// Stateless: each write is validated and answered as it would be, but the
// next request sees the scenario's records again; the journal and the
// coverage count every call.
func TestStateless(t *testing.T) {
	note := `{"D":{"Note":"Hot tub and washer/dryer?"}}`
	tests := []struct {
		name  string
		steps []testStep
	}{
		{"otc delete then read", callSteps(
			callStep(otc("DELETE", "/properties/123/contacts/456", ""), 204, nil),
			callStep(otc("DELETE", "/properties/123/contacts/456", ""), 204, nil),
			callStep(otc("GET", "/properties/123/contacts/456", ""), 200, field("contact_id", float64(456))),
		)},
		{"otc create twice, then list", callSteps(
			callStep(otc("POST", "/properties/124/contacts", `{"contact_id":101,"role":"Seller"}`), 201, field("contact_id", float64(101))),
			callStep(otc("POST", "/properties/124/contacts", `{"contact_id":101,"role":"Seller"}`), 201, nil),
			callStep(otc("GET", "/properties/124/contacts", ""), 200, func(t testing.TB, a bt.Resp) error {
				if list, _ := a.Value(t).([]any); len(list) != 0 {
					return fmt.Errorf("property 124 lists %v, want no links", list)
				}
				return nil
			}),
		)},
		{"otc a write still meets validation and conflicts", callSteps(
			callStep(otc("POST", "/properties/123/contacts", `{"role":"Seller"}`), 400, nil),
			callStep(otc("POST", "/properties/123/contacts", `{"contact_id":456}`), 409, nil),
			callStep(otc("PUT", "/properties/123/contacts/999", `{"role":"Seller"}`), 404, nil),
		)},
		{"spark put then get sees the starting note", callSteps(
			callStep(spark("PUT", notesPath, "spark-vow-token", note), 200, nil),
			callStep(spark("GET", notesPath, "spark-vow-token", ""), 200, func(t testing.TB, a bt.Resp) error {
				got := fmt.Sprint(a.Object(t)["D"])
				if want := "Great home, wondering if seller is willing to include hot tub."; !strings.Contains(got, want) {
					return fmt.Errorf("GET after PUT: %s, want the starting note", got)
				}
				return nil
			}),
		)},
		{"spark delete twice", callSteps(
			callStep(spark("DELETE", notesPath, "spark-vow-token", ""), 200, nil),
			callStep(spark("DELETE", notesPath, "spark-vow-token", ""), 200, nil),
		)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, mockserver.Options{Stateless: true})
			before := s.State()
			for i, st := range tt.steps {
				a := bt.SendJSON(t, s, st.c)
				if a.Status != st.status {
					t.Fatalf("step %d %s %s: status %d, want %d: %s", i, st.c.Method, st.c.Target, a.Status, st.status, string(a.Body))
				}
				if st.check != nil {
					if err := st.check(t, a); err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
				}
			}
			if after := s.State(); !reflect.DeepEqual(before, after) {
				t.Errorf("records changed under Stateless:\nbefore %+v\nafter  %+v", before, after)
			}
			if n := len(s.Requests(mockserver.Filter{})); n != len(tt.steps) {
				t.Errorf("journal holds %d entries, want %d", n, len(tt.steps))
			}
		})
	}
}

// Without the option the same calls change the records: the test above
// is not passing by accident.
func TestStatefulByDefault(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	bt.SendJSON(t, s, otc("DELETE", "/properties/123/contacts/456", ""))
	if a := bt.SendJSON(t, s, otc("GET", "/properties/123/contacts/456", "")); a.Status != 404 {
		t.Fatalf("read after delete: %d, want 404", a.Status)
	}
}

type testStep = struct {
	c      bt.Req
	status int
	check  func(testing.TB, bt.Resp) error
}

func callStep(c bt.Req, status int, check func(testing.TB, bt.Resp) error) testStep {
	return testStep{c: c, status: status, check: check}
}

func callSteps(s ...testStep) []testStep { return s }

func field(name string, want any) func(testing.TB, bt.Resp) error {
	return func(t testing.TB, a bt.Resp) error {
		if got := a.Object(t)[name]; got != want {
			return fmt.Errorf("%s = %v, want %v", name, got, want)
		}
		return nil
	}
}
