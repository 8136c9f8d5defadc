package spark_test

import (
	"testing"

	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// TestBundledScenarios shows, through the handler, that each bundled
// scenario keeps the promise its description makes for Spark. Each row
// gets its own Server, so rows that write do not disturb others.
func TestBundledScenarios(t *testing.T) {
	t.Parallel()
	noteBody := map[string]any{"D": map[string]any{"Note": "A new note."}}
	bt.RunScenarios(t, []bt.ScenarioRow{
		{Name: "default/IDX reads notes: 403 1500", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.IDXToken, "GET", bt.NotesPath), Status: 403, Code: 1500},
		}},
		{Name: "default/IDX writes: 405 1017 with Allow", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.IDXToken, "PUT", bt.NotesPath).With(noteBody), Status: 405, Code: 1017,
				Header: map[string]string{"Allow": "GET, PUT, DELETE"}},
		}},
		{Name: "default/Public reads notes: 403 1500", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.PublicToken, "GET", bt.NotesPath), Status: 403, Code: 1500},
		}},
		{Name: "default/Public deletes: 405 1017", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.PublicToken, "DELETE", bt.NotesPath), Status: 405, Code: 1017},
		}},
		{Name: "default/VOW reads its seed note", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200, Check: bt.WantSeedNote},
		}},
		{Name: "default/VOW with the OAuth scheme the Ruby gem sends", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark("", "GET", bt.NotesPath).Hdr("Authorization", "OAuth spark-vow-token"), Status: 200, Check: bt.WantSeedNote},
		}},
		{Name: "default/Portal reads no note", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.PortalToken, "GET", bt.NotesPath), Status: 200, Check: bt.WantNoNotes},
		}},
		{Name: "default/Portal may not list every contact's notes", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.PortalToken, "GET", bt.ContactNotesPath), Status: 403, Code: 1500},
		}},
		{Name: "default/Private lists the seed note", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath), Status: 200, Check: bt.WantSeedNote},
		}},
		{Name: "default/Private reads one contact's note", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath+"/"+bt.VOWContact), Status: 200, Check: bt.WantSeedNote},
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath+"/"+bt.PortalContact), Status: 200, Check: bt.WantNoNotes},
		}},
		{Name: "default/Private may not use the session path", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.NotesPath), Status: 403, Code: 1500},
		}},
		{Name: "default/expired token: 401 1020", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.ExpiredToken, "GET", bt.NotesPath), Status: 401, Code: 1020},
		}},
		{Name: "default/unknown token: 401 1000", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark("no-such-token", "GET", bt.NotesPath), Status: 401, Code: 1000},
		}},
		{Name: "default/no token: 401 1000", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark("", "GET", bt.NotesPath), Status: 401, Code: 1000},
		}},
		{Name: "default/no X-SparkApi-User-Agent: 400 1016", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath).Hdr("X-SparkApi-User-Agent", ""), Status: 400, Code: 1016},
		}},
		{Name: "default/VOW writes then reads its note", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.VOWToken, "PUT", bt.NotesPath).With(noteBody), Status: 200},
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200, Check: func(t testing.TB, r bt.Resp) {
				if res := r.SparkResults(t); len(res) != 1 || res[0].(map[string]any)["Note"] != "A new note." {
					t.Errorf("Results = %v, want the new note", res)
				}
			}},
		}},
		{Name: "default/a read sees every write before it, by either path", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200, Check: bt.WantSeedNote},
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200, Check: bt.WantSeedNote},
			{Req: bt.Spark(bt.PrivateToken, "PUT", bt.ContactNotesPath+"/"+bt.VOWContact).With(noteBody), Status: 200},
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200, Check: wantNote("A new note.")},
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath+"/"+bt.VOWContact), Status: 200, Check: wantNote("A new note.")},
			{Req: bt.Spark(bt.VOWToken, "DELETE", bt.NotesPath), Status: 200},
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath+"/"+bt.VOWContact), Status: 200, Check: bt.WantNoNotes},
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200, Check: bt.WantNoNotes},
		}},

		{Name: "empty/VOW reads the seed listing: 404", Scenario: "empty", Steps: []bt.Step{
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 404, Code: 404},
		}},
		{Name: "empty/Private lists the seed listing: 404", Scenario: "empty", Steps: []bt.Step{
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath), Status: 404, Code: 404},
		}},
		{Name: "empty/roles still apply", Scenario: "empty", Steps: []bt.Step{
			{Req: bt.Spark(bt.IDXToken, "GET", bt.NotesPath), Status: 403, Code: 1500},
			{Req: bt.Spark(bt.PublicToken, "PUT", bt.NotesPath).With(noteBody), Status: 405, Code: 1017},
			{Req: bt.Spark(bt.ExpiredToken, "GET", bt.NotesPath), Status: 401, Code: 1020},
			{Req: bt.Spark("no-such-token", "GET", bt.NotesPath), Status: 401, Code: 1000},
		}},

		{Name: "errors/shared-note-rate-limited", Scenario: "errors", Steps: []bt.Step{
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 429, Code: 1550, Message: "Over rate limit"},
			{Req: bt.Spark(bt.PortalToken, "GET", bt.NotesPath), Status: 429, Code: 1550},
		}},
		{Name: "errors/contact-note-server-error", Scenario: "errors", Steps: []bt.Step{
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath+"/"+bt.VOWContact), Status: 500, Code: 1026},
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath+"/"+bt.VOWContact), Status: 500, Code: 1026},
		}},
		{Name: "errors/other calls are untouched", Scenario: "errors", Steps: []bt.Step{
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath), Status: 200, Check: bt.WantSeedNote},
			{Req: bt.Spark(bt.VOWToken, "PUT", bt.NotesPath).With(noteBody), Status: 200},
		}},
		{Name: "errors/authentication and roles come before the rules", Scenario: "errors", Steps: []bt.Step{
			{Req: bt.Spark(bt.IDXToken, "GET", bt.NotesPath), Status: 403, Code: 1500},
			{Req: bt.Spark("no-such-token", "GET", bt.NotesPath), Status: 401, Code: 1000},
		}},

		{Name: "opentoclose-live/Spark is as in default", Scenario: "opentoclose-live", Steps: []bt.Step{
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200, Check: bt.WantSeedNote},
		}},
	})
}

// TestErrorsScenarioRulesCovered fails when fixtures/errors.yaml gains or
// renames a rule of Spark, so that TestBundledScenarios is extended with it.
func TestErrorsScenarioRulesCovered(t *testing.T) {
	t.Parallel()
	bt.WantRules(t, "errors", "spark", "shared-note-rate-limited", "contact-note-server-error")
}

func wantNote(text string) func(testing.TB, bt.Resp) {
	return func(t testing.TB, r bt.Resp) {
		if res := r.SparkResults(t); len(res) != 1 || res[0].(map[string]any)["Note"] != text {
			t.Errorf("Results = %v, want the one note %q", res, text)
		}
	}
}
