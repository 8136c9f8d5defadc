package verify_test

import (
	"context"
	"fmt"
	"os"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	"github.com/realestate-mocks/mockserver/mockserver/pact"
	"github.com/realestate-mocks/mockserver/mockserver/pact/verify"
	"github.com/realestate-mocks/mockserver/spec"
)

// A consumer expects 200 for a created link; Open To Close answers 201,
// which the document says too.
func ExampleVerify() {
	f, err := pact.Parse([]byte(`{
	  "consumer": {"name": "deals-app"}, "provider": {"name": "opentoclose"},
	  "interactions": [{
	    "description": "a created link",
	    "request": {"method": "POST", "path": "/v1/properties/124/contacts", "query": "api_token=otc-demo-token",
	                "headers": {"Content-Type": "application/json"}, "body": {"contact_id": 456}},
	    "response": {"status": 200, "body": {"contact_id": 456}}
	  }],
	  "metadata": {"pactSpecification": {"version": "2.0.0"}}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	packs, _ := bundled.Packs()
	set, _ := bundled.Default()
	report, err := verify.Verify(context.Background(), []*pact.File{f}, verify.Options{
		APIs: []*spec.API{spec.MustLoad("opentoclose")},
		NewMock: func() (*mockserver.Server, error) {
			return mockserver.New(mockserver.Options{Packs: packs, Scenarios: set})
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = report.WriteText(os.Stdout)
	// Output:
	// FAIL    deals-app → opentoclose: a created link
	//   [static] response status: status 200 is not documented for createPropertyContact (documented: 201, 400, 401, 404, 409, 413, 415, 429, 500)
	//   [dynamic] response status: expected 200 but was 201
	// 1 interaction: 0 passed, 1 failed, 0 pending, 0 skipped
}
