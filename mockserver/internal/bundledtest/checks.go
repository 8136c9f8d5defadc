package bundledtest

import (
	"reflect"
	"testing"
)

// Checks of answers on the default scenario's records, for Step.Check.

// WantSeedNote checks Results holds only VOWContact's SeedNote.
func WantSeedNote(t testing.TB, r Resp) {
	t.Helper()
	res := r.SparkResults(t)
	if len(res) != 1 {
		t.Fatalf("Results has %d notes, want the seed note: %s", len(res), r.Body)
	}
	note, _ := res[0].(map[string]any)
	if note["Note"] != SeedNote || note["ContactId"] != VOWContact {
		t.Errorf("Results[0] = %v, want contact %s's note %q", note, VOWContact, SeedNote)
	}
	want := "/v1/listings/" + Listing + "/shared/notes/contacts/" + VOWContact
	if note["ResourceUri"] != want {
		t.Errorf("ResourceUri = %v, want %s", note["ResourceUri"], want)
	}
}

// WantNoNotes checks a successful Spark answer with no Results.
func WantNoNotes(t testing.TB, r Resp) {
	t.Helper()
	if res := r.SparkResults(t); len(res) != 0 {
		t.Errorf("Results = %v, want none", res)
	}
}

// WantSeedLink checks an Open To Close list of the seed's one link.
func WantSeedLink(t testing.TB, r Resp) {
	t.Helper()
	links := r.OTCLinks(t)
	if len(links) != 1 {
		t.Fatalf("got %d links, want the seed's one: %s", len(links), r.Body)
	}
	WantBuyerLink(t, links[0])
}

// WantBuyerLink checks l is the seed's link: contact 456, primary Buyer.
func WantBuyerLink(t testing.TB, l map[string]any) {
	t.Helper()
	want := map[string]any{
		"id": 7484664.0, "contact_id": 456.0, "role": "Buyer", "primary": true,
		"start_date": "2024-01-15", "notes": "Primary decision maker",
		"contact_role": map[string]any{"title": "Buyer"},
	}
	for k, v := range want {
		if !reflect.DeepEqual(l[k], v) {
			t.Errorf("link %s = %#v, want %#v", k, l[k], v)
		}
	}
}

// WantEmptyList checks an Open To Close list with no link.
func WantEmptyList(t testing.TB, r Resp) {
	t.Helper()
	if links := r.OTCLinks(t); len(links) != 0 {
		t.Errorf("got %d links, want none: %s", len(links), r.Body)
	}
}

// WantActive checks an admin answer names scenario name as active.
func WantActive(name string) func(testing.TB, Resp) {
	return func(t testing.TB, r Resp) {
		t.Helper()
		if got := r.Object(t)["active"]; got != name {
			t.Errorf("active = %v, want %s", got, name)
		}
	}
}

// WantHeaderPresent checks the answer carries header name.
func WantHeaderPresent(name string) func(testing.TB, Resp) {
	return func(t testing.TB, r Resp) {
		t.Helper()
		if r.Header.Get(name) == "" {
			t.Errorf("no %s header", name)
		}
	}
}
