package opentoclose_test

import (
	"fmt"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// Every call the Open To Close seed shows, in its order, with the answer
// the spec documents. The server is strict, so a response that broke the
// spec would come back as a 500 and fail the row.
func TestSeedOpenToClose(t *testing.T) {
	s := bt.New(t, mockserver.Options{})
	check := func(t testing.TB, req bt.Req, status int) bt.Resp {
		t.Helper()
		r := bt.Send(t, s, req)
		bt.Check(t, 0, bt.Step{Req: req, Status: status}, r)
		if len(r.Body) > 0 {
			r.Value(t) // every body is JSON
		}
		return r
	}
	get := func(path string) bt.Req { return bt.OTC("GET", path) }

	t.Run("list_property_contacts(property_id=123)", func(t *testing.T) {
		list := check(t, get("/properties/123/contacts"), 200).OTCLinks(t)
		if len(list) != 1 || list[0]["contact_id"] != 456.0 {
			t.Fatalf("list = %v", list)
		}
	})
	t.Run(`list with params={"role": "Buyer"}`, func(t *testing.T) {
		list := check(t, get("/properties/123/contacts?role=Buyer"), 200).OTCLinks(t)
		none := check(t, get("/properties/123/contacts?role=Seller"), 200).OTCLinks(t)
		if len(list) != 1 || len(none) != 0 {
			t.Fatalf("Buyer filter %d links, Seller filter %d", len(list), len(none))
		}
	})
	t.Run("create_property_contact on a fresh property", func(t *testing.T) {
		got := check(t, bt.OTC("POST", "/properties/124/contacts").With(`{"contact_id": 456, "role": "Buyer", "primary": true, "notes": "Primary decision maker"}`), 201).Object(t)
		for k, want := range map[string]any{"contact_id": 456.0, "role": "Buyer", "primary": true, "notes": "Primary decision maker"} {
			if got[k] != want {
				t.Errorf("%s = %v, want %v", k, got[k], want)
			}
		}
		if property, _ := got["property"].(map[string]any); got["id"] == nil || got["created"] == nil || property["id"] != 124.0 {
			t.Errorf("live fields missing: %v", got)
		}
	})
	t.Run("retrieve_property_contact(123, 456)", func(t *testing.T) {
		got := check(t, get("/properties/123/contacts/456"), 200).Object(t)
		if got["role"] != "Buyer" || got["start_date"] != "2024-01-15" {
			t.Fatalf("link = %v", got)
		}
		byLinkID := check(t, get(fmt.Sprintf("/properties/123/contacts/%d", int(got["id"].(float64)))), 200).Object(t)
		if byLinkID["contact_id"] != 456.0 {
			t.Errorf("the SDK's link id does not reach the same link: %v", byLinkID)
		}
	})
	t.Run(`update_property_contact role Seller, primary False`, func(t *testing.T) {
		got := check(t, bt.OTC("PUT", "/properties/123/contacts/456").With(`{"role": "Seller", "primary": false}`), 200).Object(t)
		if got["role"] != "Seller" || got["primary"] != false || got["notes"] != "Primary decision maker" || got["start_date"] != "2024-01-15" {
			t.Fatalf("fields not sent must keep their values: %v", got)
		}
	})
	t.Run("delete_property_contact(123, 456)", func(t *testing.T) {
		r := check(t, bt.OTC("DELETE", "/properties/123/contacts/456"), 204)
		if len(r.Body) != 0 {
			t.Errorf("204 with a body: %q", r.Body)
		}
		check(t, get("/properties/123/contacts/456"), 404)
		check(t, bt.OTC("DELETE", "/properties/123/contacts/456"), 404)
	})
	t.Run("Complete Transaction Setup", func(t *testing.T) {
		create := func(contact int, role string, primary bool) {
			check(t, bt.OTC("POST", "/properties/123/contacts").With(fmt.Sprintf(`{"contact_id": %d, "role": %q, "primary": %v}`, contact, role, primary)), 201)
		}
		for i, id := range []int{201} {
			create(id, "Seller", i == 0)
		}
		for i, id := range []int{101, 102} {
			create(id, "Buyer", i == 0)
		}
		create(301, "Listing Agent", true)
		create(302, "Buyer Agent", true)
		list := check(t, get("/properties/123/contacts"), 200).OTCLinks(t)
		if len(list) != 5 {
			t.Fatalf("%d links, want 5", len(list))
		}
		primaries := map[string][]float64{}
		for _, l := range list {
			if l["primary"] == true {
				primaries[l["role"].(string)] = append(primaries[l["role"].(string)], l["contact_id"].(float64))
			}
		}
		want := map[string][]float64{"Seller": {201}, "Buyer": {101}, "Listing Agent": {301}, "Buyer Agent": {302}}
		if fmt.Sprint(primaries) != fmt.Sprint(want) {
			t.Errorf("primaries %v, want %v", primaries, want)
		}
		page := check(t, get("/properties/123/contacts?limit=2&offset=1"), 200).OTCLinks(t)
		if len(page) != 2 || page[0]["contact_id"] != 101.0 {
			t.Errorf("limit=2&offset=1 gave %v", page)
		}
	})
}
