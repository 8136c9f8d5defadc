package dashboard

import (
	"net/http"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
)

func TestCurl(t *testing.T) {
	packs, err := bundled.Packs()
	if err != nil {
		t.Fatal(err)
	}
	set, err := bundled.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := mockserver.New(mockserver.Options{Packs: packs, Scenarios: set})
	if err != nil {
		t.Fatal(err)
	}
	u := &ui{s: s}
	for _, c := range []struct {
		name  string
		entry mockserver.Entry
		want  string
	}{
		{"tokens that redact alike are told apart by the role", mockserver.Entry{API: "spark", Method: "GET", Path: "/spark/v1/x", Role: "VOW",
			Header: http.Header{"Authorization": {"Bearer spar…en"}, "X-Sparkapi-User-Agent": {"app"}}},
			`curl -i 'http://127.0.0.1:8080/spark/v1/x' -H 'Authorization: Bearer spark-vow-token' -H 'X-Sparkapi-User-Agent: app'`},
		{"an ambiguous token becomes $TOKEN", mockserver.Entry{API: "spark", Method: "GET", Path: "/spark/v1/x",
			Header: http.Header{"Authorization": {"Bearer spar…en"}}},
			`curl -i 'http://127.0.0.1:8080/spark/v1/x' -H "Authorization: Bearer $TOKEN"`},
		{"an unknown token becomes $TOKEN", mockserver.Entry{API: "spark", Method: "DELETE", Path: "/spark/v1/x",
			Header: http.Header{"Authorization": {"Bearer abcd…yz"}}},
			`curl -i -X DELETE 'http://127.0.0.1:8080/spark/v1/x' -H "Authorization: Bearer $TOKEN"`},
		{"a query token is put back", mockserver.Entry{API: "opentoclose", Method: "GET", Path: "/o/v1/p", Query: "api_token=otc-%E2%80%A6en&limit=2"},
			`curl -i 'http://127.0.0.1:8080/o/v1/p?api_token=otc-demo-token&limit=2'`},
		{"single quotes in the body survive", mockserver.Entry{API: "opentoclose", Method: "POST", Path: "/o", Body: `{"notes":"it's"}`},
			`curl -i -X POST 'http://127.0.0.1:8080/o' --data-raw '{"notes":"it'\''s"}'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := u.curl(&c.entry, "http://127.0.0.1:8080"); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestStateTables(t *testing.T) {
	got := stateTables("x", map[string]any{
		"things": []map[string]any{{"name": "a", "id": 2, "tags": []map[string]any{{"k": "v"}}}, {"id": 3, "extra": nil}},
		"ids":    []string{"p", "q"},
	})
	if len(got.Tables) != 2 || got.Empty {
		t.Fatalf("tables %+v", got)
	}
	ids, things := got.Tables[0], got.Tables[1]
	if ids.Name != "ids" || len(ids.Rows) != 2 || ids.Rows[1][0].Text != "q" {
		t.Errorf("ids table %+v", ids)
	}
	if want := []string{"id", "name", "tags", "extra"}; !equal(things.Columns, want) {
		t.Errorf("columns %v, want %v (id first, then by first appearance)", things.Columns, want)
	}
	if c := things.Rows[0][0]; c.Text != "2" || c.Kind != "num" {
		t.Errorf("id cell %+v", c)
	}
	if nested := things.Rows[0][2].Table; nested == nil || nested.Rows[0][0].Text != "v" {
		t.Errorf("tags cell is not a nested table: %+v", things.Rows[0][2])
	}
	if c := things.Rows[1][3]; c.Kind != "null" {
		t.Errorf("null cell %+v", c)
	}
	if empty := stateTables("y", map[string]any{"things": []any{}}); !empty.Empty {
		t.Error("a store without records is not reported empty")
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
