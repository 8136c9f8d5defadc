package spark_test

import (
	"slices"
	"testing"

	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// TestBundledScenarios shows, through the handler, that each bundled
// scenario keeps the promise its description makes for Spark. Each row
// gets its own Server, so rows that write do not disturb others.
func TestBundledScenarios(t *testing.T) {
	t.Parallel()
	noteBody := map[string]any{"D": map[string]any{"Note": "A new note."}}
	rows := []struct {
		name     string
		scenario string
		steps    []bt.Step
	}{
		{"default/IDX reads notes: 403 1500", "default", []bt.Step{
			{Req: bt.Spark(bt.IDXToken, "GET", bt.NotesPath), Status: 403, Code: 1500},
		}},
		{"default/IDX writes: 405 1017 with Allow", "default", []bt.Step{
			{Req: bt.Spark(bt.IDXToken, "PUT", bt.NotesPath).With(noteBody), Status: 405, Code: 1017,
				Header: map[string]string{"Allow": "GET, PUT, DELETE"}},
		}},
		{"default/Public reads notes: 403 1500", "default", []bt.Step{
			{Req: bt.Spark(bt.PublicToken, "GET", bt.NotesPath), Status: 403, Code: 1500},
		}},
		{"default/Public deletes: 405 1017", "default", []bt.Step{
			{Req: bt.Spark(bt.PublicToken, "DELETE", bt.NotesPath), Status: 405, Code: 1017},
		}},
		{"default/VOW reads its seed note", "default", []bt.Step{
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200, Check: bt.WantSeedNote},
		}},
		{"default/VOW with the OAuth scheme the Ruby gem sends", "default", []bt.Step{
			{Req: bt.Spark("", "GET", bt.NotesPath).Hdr("Authorization", "OAuth spark-vow-token"), Status: 200, Check: bt.WantSeedNote},
		}},
		{"default/Portal reads no note", "default", []bt.Step{
			{Req: bt.Spark(bt.PortalToken, "GET", bt.NotesPath), Status: 200, Check: bt.WantNoNotes},
		}},
		{"default/Portal may not list every contact's notes", "default", []bt.Step{
			{Req: bt.Spark(bt.PortalToken, "GET", bt.ContactNotesPath), Status: 403, Code: 1500},
		}},
		{"default/Private lists the seed note", "default", []bt.Step{
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath), Status: 200, Check: bt.WantSeedNote},
		}},
		{"default/Private reads one contact's note", "default", []bt.Step{
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath+"/"+bt.VOWContact), Status: 200, Check: bt.WantSeedNote},
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath+"/"+bt.PortalContact), Status: 200, Check: bt.WantNoNotes},
		}},
		{"default/Private may not use the session path", "default", []bt.Step{
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.NotesPath), Status: 403, Code: 1500},
		}},
		{"default/expired token: 401 1020", "default", []bt.Step{
			{Req: bt.Spark(bt.ExpiredToken, "GET", bt.NotesPath), Status: 401, Code: 1020},
		}},
		{"default/unknown token: 401 1000", "default", []bt.Step{
			{Req: bt.Spark("no-such-token", "GET", bt.NotesPath), Status: 401, Code: 1000},
		}},
		{"default/no token: 401 1000", "default", []bt.Step{
			{Req: bt.Spark("", "GET", bt.NotesPath), Status: 401, Code: 1000},
		}},
		{"default/no X-SparkApi-User-Agent: 400 1016", "default", []bt.Step{
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath).Hdr("X-SparkApi-User-Agent", ""), Status: 400, Code: 1016},
		}},
		{"default/VOW writes then reads its note", "default", []bt.Step{
			{Req: bt.Spark(bt.VOWToken, "PUT", bt.NotesPath).With(noteBody), Status: 200},
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200, Check: func(t testing.TB, r bt.Resp) {
				if res := r.SparkResults(t); len(res) != 1 || res[0].(map[string]any)["Note"] != "A new note." {
					t.Errorf("Results = %v, want the new note", res)
				}
			}},
		}},

		{"empty/VOW reads the seed listing: 404", "empty", []bt.Step{
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 404, Code: 404},
		}},
		{"empty/Private lists the seed listing: 404", "empty", []bt.Step{
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath), Status: 404, Code: 404},
		}},
		{"empty/roles still apply", "empty", []bt.Step{
			{Req: bt.Spark(bt.IDXToken, "GET", bt.NotesPath), Status: 403, Code: 1500},
			{Req: bt.Spark(bt.PublicToken, "PUT", bt.NotesPath).With(noteBody), Status: 405, Code: 1017},
			{Req: bt.Spark(bt.ExpiredToken, "GET", bt.NotesPath), Status: 401, Code: 1020},
			{Req: bt.Spark("no-such-token", "GET", bt.NotesPath), Status: 401, Code: 1000},
		}},

		{"errors/shared-note-rate-limited", "errors", []bt.Step{
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 429, Code: 1550, Message: "Over rate limit"},
			{Req: bt.Spark(bt.PortalToken, "GET", bt.NotesPath), Status: 429, Code: 1550},
		}},
		{"errors/contact-note-server-error", "errors", []bt.Step{
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath+"/"+bt.VOWContact), Status: 500, Code: 1026},
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath+"/"+bt.VOWContact), Status: 500, Code: 1026},
		}},
		{"errors/other calls are untouched", "errors", []bt.Step{
			{Req: bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath), Status: 200, Check: bt.WantSeedNote},
			{Req: bt.Spark(bt.VOWToken, "PUT", bt.NotesPath).With(noteBody), Status: 200},
		}},
		{"errors/authentication and roles come before the rules", "errors", []bt.Step{
			{Req: bt.Spark(bt.IDXToken, "GET", bt.NotesPath), Status: 403, Code: 1500},
			{Req: bt.Spark("no-such-token", "GET", bt.NotesPath), Status: 401, Code: 1000},
		}},

		{"opentoclose-live/Spark is as in default", "opentoclose-live", []bt.Step{
			{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200, Check: bt.WantSeedNote},
		}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			bt.Run(t, bt.Scenario(t, row.scenario), row.steps...)
		})
	}
}

// TestErrorsScenarioRulesCovered fails when fixtures/errors.yaml gains or
// renames a rule of Spark, so that TestBundledScenarios is extended with it.
func TestErrorsScenarioRulesCovered(t *testing.T) {
	t.Parallel()
	tested := []string{"shared-note-rate-limited", "contact-note-server-error"}
	if got := bt.Rules(t, "errors", "spark"); !slices.Equal(got, tested) {
		t.Errorf("errors scenario's spark rules = %v; TestBundledScenarios covers %v", got, tested)
	}
}
