package mockserver_test

import (
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// Every documented status of every operation can be made to happen, each
// by its real cause where the pipeline has one (a missing header, a wrong
// role, an unknown id, a body too large...) and through Prefer for the
// rate limit and server failures the mock only stands in for. Afterwards
// the coverage report has nothing missing and nothing undocumented.
func TestEveryDocumentedStatusHappens(t *testing.T) {
	s := newServer(t, mockserver.Options{MaxBodyBytes: 256, Stateless: true})
	big := `{"D":{"Note":"` + strings.Repeat("x", 300) + `"}}`
	bigOTC := `{"contact_id":101,"notes":"` + strings.Repeat("x", 300) + `"}`
	// Each variant edits its own copy of the headers.
	with := func(c bt.Req, edit func(h map[string]string)) bt.Req {
		c.Header = maps.Clone(c.Header)
		edit(c.Header)
		return c
	}
	noUA := func(c bt.Req) bt.Req {
		return with(c, func(h map[string]string) { delete(h, "X-SparkApi-User-Agent") })
	}
	noToken := func(c bt.Req) bt.Req {
		c.Target = strings.Split(c.Target, "?")[0]
		return with(c, func(h map[string]string) { delete(h, "Authorization") })
	}
	withCT := func(c bt.Req, ct string) bt.Req { return with(c, func(h map[string]string) { h["Content-Type"] = ct }) }
	prefer := func(c bt.Req, status int) bt.Req {
		return with(c, func(h map[string]string) { h["Prefer"] = fmt.Sprintf("code=%d", status) })
	}
	note := `{"D":{"Note":"Hot tub?"}}`
	contact := notesPath + "/contacts/" + vowContact
	unknown := "/spark/v1/listings/" + strings.Repeat("9", 26) + "/shared/notes"

	var calls []bt.Req
	sparkOp := func(method, path, unknownPath, owner, other, body string) {
		ok := spark(method, path, owner, body)
		calls = append(calls, ok, noUA(ok), noToken(ok), spark(method, path, other, body),
			spark(method, unknownPath, owner, body), prefer(ok, 429), prefer(ok, 500))
		if method != http.MethodGet {
			calls = append(calls, spark(method, path, "spark-idx-token", body))
		}
		if body != "" {
			calls = append(calls, spark(method, path, owner, big))
		}
	}
	for _, m := range []struct{ method, body string }{{"GET", ""}, {"PUT", note}, {"DELETE", ""}} {
		sparkOp(m.method, notesPath, unknown, "spark-vow-token", "spark-private-token", m.body)
		sparkOp(m.method, contact, unknown+"/contacts/"+vowContact, "spark-private-token", "spark-vow-token", m.body)
	}
	sparkOp("GET", notesPath+"/contacts", unknown+"/contacts", "spark-private-token", "spark-vow-token", "")
	calls = append(calls, spark("POST", notesPath, "", ""), spark("POST", notesPath+"/contacts", "", ""),
		spark("PUT", notesPath+"/contacts", "", ""), spark("DELETE", notesPath+"/contacts", "", ""), spark("POST", contact, "", ""))

	otcOp := func(method, path, unknownPath, bad, body string) {
		ok := otc(method, path, body)
		calls = append(calls, ok, noToken(ok), otc(method, unknownPath, body), otc(method, bad, body),
			prefer(ok, 429), prefer(ok, 500))
		if body != "" {
			calls = append(calls, withCT(otc(method, path, body), "text/plain"), otc(method, path, bigOTC), otc(method, path, `{}`))
		}
	}
	otcOp("GET", "/properties/123/contacts", "/properties/999/contacts", "/properties/abc/contacts", "")
	otcOp("POST", "/properties/124/contacts", "/properties/999/contacts", "/properties/abc/contacts", `{"contact_id":101}`)
	calls = append(calls, otc("POST", "/properties/123/contacts", `{"contact_id":456}`)) // 409
	for _, m := range []struct{ method, body string }{{"GET", ""}, {"PUT", `{"role":"Seller"}`}, {"DELETE", ""}} {
		otcOp(m.method, "/properties/123/contacts/456", "/properties/123/contacts/999", "/properties/123/contacts/abc", m.body)
	}
	for _, c := range calls {
		bt.SendJSON(t, s, c)
	}
	// The live service's 405 on a link's PUT and DELETE.
	if err := s.SwitchScenario("opentoclose-live"); err != nil {
		t.Fatal(err)
	}
	bt.SendJSON(t, s, otc("PUT", "/properties/123/contacts/456", `{"role":"Seller"}`))
	bt.SendJSON(t, s, otc("DELETE", "/properties/123/contacts/456", ""))

	for _, api := range s.Coverage().APIs {
		for _, op := range api.Operations {
			if len(op.Missing) > 0 {
				t.Errorf("%s %s: documented but never answered: %v", api.API, op.Operation, op.Missing)
			}
			documented := s.API(api.API).Operation(op.Operation)
			for status := range op.Answered {
				if !documented.Documents(status) {
					t.Errorf("%s %s: answered %d, which it does not document", api.API, op.Operation, status)
				}
			}
		}
		if api.CoveredStatuses != api.DocumentedStatuses {
			t.Errorf("%s: %d of %d documented statuses covered", api.API, api.CoveredStatuses, api.DocumentedStatuses)
		}
	}
}
