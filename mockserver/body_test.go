package mockserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
	"github.com/realestate-mocks/mockserver/spec"
)

// TestJSONBodies pins what the pipeline says about bodies that are JSON
// with something wrong: data after the value, and whole numbers written
// with an exponent or beyond int64.
func TestJSONBodies(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	tests := []struct {
		name, body string
		status     int
		message    string // a part of the message; "" for success
		contactID  float64
	}{
		{"trailing garbage", `{"contact_id":5,"role":"Buyer"} garbage`, http.StatusBadRequest, "after the JSON value, at byte offset 32", 0},
		{"a second value", `{"contact_id":5} {}`, http.StatusBadRequest, "after the JSON value, at byte offset 17", 0},
		{"trailing white space", "{\"contact_id\":5}\n\t ", http.StatusCreated, "", 5},
		{"exponent of a whole number", `{"contact_id":1e3}`, http.StatusCreated, "", 1000},
		{"exponent with a fraction that is whole", `{"contact_id":12.5e1}`, http.StatusCreated, "", 125},
		// The spec caps ids at 2^53-1, so beyond it is what is wrong.
		{"beyond int64", `{"contact_id":9223372036854775808}`, http.StatusBadRequest, "contact_id: number must be at most", 0},
		{"huge exponent", `{"contact_id":1e999999999}`, http.StatusBadRequest, "contact_id: number is out of range", 0},
		{"beyond float64", `{"contact_id":1e999}`, http.StatusBadRequest, "contact_id: number is out of range (beyond a 64-bit float)", 0},
		{"largest documented id", `{"contact_id":9007199254740991}`, http.StatusCreated, "", 9007199254740991},
		{"not whole", `{"contact_id":1.5}`, http.StatusBadRequest, "must be an integer", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Reset(); err != nil {
				t.Fatal(err)
			}
			a := bt.SendJSON(t, s, otc("POST", "/properties/123/contacts", tt.body))
			if a.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.Status, tt.status, string(a.Body))
			}
			if tt.message != "" {
				if !strings.Contains(a.Message(t), tt.message) {
					t.Fatalf("message %q, want it to contain %q", a.Message(t), tt.message)
				}
				if strings.Contains(a.Message(t), "required") {
					t.Fatalf("message %q calls a present field missing", a.Message(t))
				}
				return
			}
			if got := a.Object(t)["contact_id"]; got != tt.contactID {
				t.Fatalf("contact_id %v, want %v", got, tt.contactID)
			}
		})
	}
}

// TestIntegersBeyondInt64 uses a schema with no maximum, where only the
// int64 range stands between a whole number and the behaviours.
func TestIntegersBeyondInt64(t *testing.T) {
	pets, err := spec.LoadFile("petstore", "testdata/petstore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := engineServer(t, mockserver.Options{APIs: []*spec.API{pets}})
	post := func(body string) bt.Resp {
		return bt.SendJSON(t, s, bt.Req{Method: "POST", Target: "/petstore/api/pets", Body: body, Header: map[string]string{"Content-Type": "application/json"}})
	}
	if a := post(`{"name":"Kit","age":9223372036854775807}`); a.Status != http.StatusCreated {
		t.Errorf("largest int64: %d %s", a.Status, string(a.Body))
	}
	a := post(`{"name":"Kit","age":9223372036854775808}`)
	if a.Status != http.StatusBadRequest || !strings.Contains(string(a.Body), "age: 9223372036854775808 is out of the 64-bit integer range") {
		t.Errorf("beyond int64: %d %s", a.Status, string(a.Body))
	}
}

// TestTrailingDataInSparkEnvelope checks the refusal speaks Spark's
// envelope too.
func TestTrailingDataInSparkEnvelope(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	a := bt.SendJSON(t, s, spark("PUT", notesPath, "spark-vow-token", `{"D":{"Note":"x"}}]`))
	if a.Status != http.StatusBadRequest || a.SparkCode(t) != 1035 {
		t.Fatalf("got %d code %d: %s", a.Status, a.SparkCode(t), string(a.Body))
	}
}

// treeSpec has a self-referencing request schema, where kin-openapi's work
// grows with the body's depth.
const treeSpec = `openapi: 3.0.3
info: {title: trees, version: "1"}
paths:
  /trees:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Node"}
      responses:
        "201": {description: planted}
        "400": {description: refused}
components:
  schemas:
    Node:
      type: object
      properties:
        name: {type: string}
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
`

// TestBodyNestingIsBounded: a body nested deeper than MaxBodyNesting is
// refused in the envelope before kin-openapi walks it; one at the bound
// is validated as usual, and brackets inside strings do not count.
func TestBodyNestingIsBounded(t *testing.T) {
	api, err := spec.Parse("trees", "trees.yaml", []byte(treeSpec))
	if err != nil {
		t.Fatal(err)
	}
	s, err := mockserver.New(mockserver.Options{APIs: []*spec.API{api}})
	if err != nil {
		t.Fatal(err)
	}
	// nested is levels deep: pairs of object and array around a leaf
	// object, which is one level more when it has its own empty array.
	nested := func(levels int, name string) string {
		leaf := `{"name":"` + name + `"}`
		if levels%2 == 0 {
			leaf = `{"name":"` + name + `","children":[]}`
		}
		pairs := (levels - 1) / 2
		return strings.Repeat(`{"children":[`, pairs) + leaf + strings.Repeat(`]}`, pairs)
	}
	tests := []struct {
		name, body string
		status     int
		message    string
	}{
		{"10 000 deep", nested(10000, "leaf"), http.StatusBadRequest, "nests deeper than 128 levels"},
		{"129 deep", nested(129, "leaf"), http.StatusBadRequest, "nests deeper than 128 levels"},
		{"128 deep", nested(128, "leaf"), http.StatusCreated, ""},
		{"brackets in a string", nested(127, strings.Repeat(`[{\\\"`, 50)), http.StatusCreated, ""},
		{"within the bound, then garbage", nested(128, "") + "x", http.StatusBadRequest, "after the JSON value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := bt.SendJSON(t, s, bt.Req{Method: "POST", Target: "/trees/trees", Body: tt.body, Header: map[string]string{"Content-Type": "application/json"}})
			if a.Status != tt.status || !strings.Contains(string(a.Body), tt.message) {
				t.Fatalf("status %d %.300s, want %d with %q", a.Status, string(a.Body), tt.status, tt.message)
			}
		})
	}
}
