package crud_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/crud"
	"github.com/realestate-mocks/mockserver/spec"
)

// Pack gives a document with /pets and /pets/{petId} records in memory;
// every answer is still checked against the document's response schemas.
func ExamplePack() {
	api, err := spec.LoadFile("pets", "../../spec/testdata/petstore.yaml")
	if err != nil {
		panic(err)
	}
	pack, err := crud.Pack(api)
	if err != nil {
		panic(err)
	}
	srv, err := mockserver.New(mockserver.Options{Packs: []*mockserver.Pack{pack}})
	if err != nil {
		panic(err)
	}
	for _, c := range []struct{ method, path, body string }{
		{http.MethodPost, "/pets/api/pets", `{"name":"Rex"}`},
		{http.MethodPatch, "/pets/api/pets/1", `{"tag":"dog"}`},
		{http.MethodDelete, "/pets/api/pets/1", ``},
		{http.MethodGet, "/pets/api/pets/1", ``},
	} {
		req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		fmt.Println(strings.TrimSpace(fmt.Sprint(c.method, " ", w.Code, " ", w.Body.String())))
	}
	// Output:
	// POST 201 {"id":1,"name":"Rex"}
	// PATCH 200 {"id":1,"name":"Rex","tag":"dog"}
	// DELETE 204
	// GET 404 {"message":"Not found: pets 1 does not exist"}
}
