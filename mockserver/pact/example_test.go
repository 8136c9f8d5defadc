package pact_test

import (
	"fmt"
	"net/http"

	"github.com/realestate-mocks/mockserver/mockserver/pact"
)

// A consumer expects a 403 with an error code; the provider answers 405
// with a code of the wrong type.
func Example() {
	f, err := pact.Parse([]byte(`{
	  "consumer": {"name": "notes-app"}, "provider": {"name": "spark"},
	  "metadata": {"pactSpecification": {"version": "3.0.0"}},
	  "interactions": [{
	    "description": "an IDX key cannot write a note",
	    "providerStates": [{"name": "idx key"}],
	    "request": {"method": "PUT", "path": "/v1/listings/1/notes"},
	    "response": {
	      "status": 403,
	      "headers": {"Content-Type": "application/json"},
	      "body": {"D": {"Success": false, "Code": 1017}},
	      "matchingRules": {"body": {"$.D.Code": {"matchers": [{"match": "type"}]}}}
	    }
	  }]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	it := f.Interactions[0]
	answer := pact.Actual{
		Status: 405,
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:   []byte(`{"D": {"Success": false, "Code": "x", "Message": "not allowed"}}`),
	}
	fmt.Println(it.Description, "given", it.States[0].Name)
	for _, m := range pact.Compare(it.Response, answer) {
		fmt.Printf("%s %s (%s)\n", m.Where, m, m.Pointer)
	}
	// Output:
	// an IDX key cannot write a note given idx key
	// status expected 403 but was 405 ()
	// body $.D.Code: expected 1017 (number) to match type but was "x" (string) (/D/Code)
}
