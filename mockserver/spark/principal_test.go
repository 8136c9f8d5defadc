package spark_test

import (
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// A contact that a principal acts as exists for the agent's paths even
// before it has written a note.
func TestPrincipalContactExists(t *testing.T) {
	s := bt.New(t, mockserver.Options{Scenarios: bt.Scenarios(t, "testdata/principal-contact"), Scenario: "new-consumer"})
	one := bt.ContactNotesPath + "/20201231235959000000000000"
	bt.Run(t, s,
		bt.Step{Req: bt.Spark(bt.PrivateToken, "GET", one), Status: 200, Check: bt.WantNoNotes},
		bt.Step{Req: bt.Spark(bt.PrivateToken, "PUT", one).With(`{"D":{"Note":"Welcome!"}}`), Status: 200},
		bt.Step{Req: bt.Spark("new-consumer-token", "GET", bt.NotesPath), Status: 200, Check: func(t testing.TB, r bt.Resp) {
			if len(r.SparkResults(t)) != 1 {
				t.Fatalf("the consumer does not see the agent's note: %s", r.Body)
			}
		}},
	)
}
