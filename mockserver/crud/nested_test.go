package crud_test

import (
	"encoding/json"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/crud"
	"github.com/realestate-mocks/mockserver/mockserver/mockservertest"
	"github.com/realestate-mocks/mockserver/spec"
)

func nested(t testing.TB) *mockserver.Pack {
	t.Helper()
	api, err := spec.LoadFile("zoo", "testdata/nested.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pack, err := crud.Pack(api)
	if err != nil {
		t.Fatal(err)
	}
	return pack
}

// /pets and /owners/{ownerId}/pets are two collections, each with its own
// id rules (id against petId); a list under /owners/1 holds owner 1's
// pets only; a path through a parent that does not exist answers 404 in
// the envelope, at every level.
func TestNestedCollections(t *testing.T) {
	m := mockservertest.New(t, mockservertest.WithPack(nested(t)))
	run(t, m.Client(), m.URL("zoo"), []step{
		{"a pet of no one", "POST", "/pets", `{"name":"Rex"}`, 201, obj{"id": 1, "name": "Rex"}},
		{"alice", "POST", "/owners", `{"name":"alice"}`, 201, obj{"ownerId": 1, "name": "alice"}},
		{"bob", "POST", "/owners", `{"name":"bob"}`, 201, obj{"ownerId": 2, "name": "bob"}},
		{"alice's pet", "POST", "/owners/1/pets", `{"nick":"cat"}`, 201, obj{"petId": 1, "nick": "cat"}},
		{"bob's pet", "POST", "/owners/2/pets", `{"nick":"dog"}`, 201, obj{"petId": 2, "nick": "dog"}},
		{"pets of no one", "GET", "/pets", "", 200, []any{obj{"id": 1, "name": "Rex"}}},
		{"alice's pets", "GET", "/owners/1/pets", "", 200, []any{obj{"petId": 1, "nick": "cat"}}},
		{"bob's pets", "GET", "/owners/2/pets", "", 200, []any{obj{"petId": 2, "nick": "dog"}}},
		{"bob's pet read under bob", "GET", "/owners/2/pets/2", "", 200, obj{"petId": 2, "nick": "dog"}},
		{"bob's pet read under alice", "GET", "/owners/1/pets/2", "", 404, obj{"message": "Not found: pets 2 does not exist"}},
		{"bob's pet patched under alice", "PATCH", "/owners/1/pets/2", `{"nick":"x"}`, 404, nil},
		{"pets of an owner that does not exist", "GET", "/owners/3/pets", "", 404, obj{"message": "Not found: owners 3 does not exist"}},
		{"a pet for an owner that does not exist", "POST", "/owners/3/pets", `{"nick":"ghost"}`, 404, nil},
		{"a toy of bob's pet", "POST", "/owners/2/pets/2/toys", `{"kind":"ball"}`, 201, nil},
		{"bob's pet's toys under alice", "GET", "/owners/1/pets/2/toys", "", 404, obj{"message": "Not found: pets 2 does not exist"}},
		{"alice's pet has no toys", "GET", "/owners/1/pets/1/toys", "", 200, []any{}},
		{"alice leaves", "DELETE", "/owners/1", "", 204, nil},
		{"her pets with her", "GET", "/owners/1/pets", "", 404, nil},
	})
	state, err := json.Marshal(m.Server.State()["zoo"])
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Pets      []map[string]any `json:"pets"`
		OwnedPets []crud.Group     `json:"owners/{ownerId}/pets"`
		Toys      []crud.Group     `json:"owners/{ownerId}/pets/{petId}/toys"`
		Next      map[string]int64 `json:"$next"`
	}
	if err := json.Unmarshal(state, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Pets) != 1 || len(got.OwnedPets) != 2 || got.OwnedPets[1].Parent["ownerId"] != "2" || len(got.Toys) != 1 ||
		got.Toys[0].Parent["ownerId"] != "2" || got.Toys[0].Parent["petId"] != "2" || got.Next["owners/{ownerId}/pets"] != 3 {
		t.Errorf("state: %s", state)
	}
}

// The id counter goes into the state: a deleted id is not handed out
// again once the state is restored, as after a restart.
func TestIDCounterSurvivesRestore(t *testing.T) {
	_, pack := petstore(t)
	m := mockservertest.New(t, mockservertest.WithPack(pack))
	run(t, m.Client(), m.URL("pets"), []step{
		{"create", "POST", "/pets", `{"name":"Rex"}`, 201, obj{"id": 1, "name": "Rex"}},
		{"create", "POST", "/pets", `{"name":"Tom"}`, 201, obj{"id": 2, "name": "Tom"}},
		{"delete the last", "DELETE", "/pets/2", "", 204, nil},
	})
	saved, err := json.Marshal(m.Server.State())
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Server.RestoreStateFile("state.json", saved); err != nil {
		t.Fatal(err)
	}
	run(t, m.Client(), m.URL("pets"), []step{
		{"after the restore", "POST", "/pets", `{"name":"Kit"}`, 201, obj{"id": 3, "name": "Kit"}},
	})
}
