package spark

import (
	"strings"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
)

// unknownListing is a well-formed listing id no scenario holds.
const unknownListing = "20991231235959000000000000"

// contract derives the suite's values from a scenario: a live token per
// role (VOW_TOKEN…PUBLIC_TOKEN), the expired VOW token, the first listing
// with notes, and the VOW session's contact.
func contract(part *fixtures.APIScenario) []mockserver.ContractValue {
	var out []mockserver.ContractValue
	for _, role := range []string{"VOW", "Portal", "Private", "IDX", "Public"} {
		token, _ := mockserver.PrincipalWith(part, role, false)
		out = append(out, mockserver.ContractValue{Key: strings.ToUpper(role) + "_TOKEN", Value: token})
	}
	expired, _ := mockserver.PrincipalWith(part, "VOW", true)
	_, vow := mockserver.PrincipalWith(part, "VOW", false)
	var listing string
	if st, ok := part.State.(*State); ok {
		for _, l := range st.Listings {
			if len(l.Notes) > 0 && listing == "" {
				listing = l.ID
			}
		}
	}
	return append(out,
		mockserver.ContractValue{Key: "EXPIRED_TOKEN", Value: expired, MockOnly: true},
		mockserver.ContractValue{Key: "LISTING_ID", Value: listing},
		mockserver.ContractValue{Key: "CONTACT_ID", Value: vow.Contact},
		mockserver.ContractValue{Key: "UNKNOWN_LISTING_ID", Value: unknownListing},
		// The Ruby gem's casing on the wire; the spec says X-SparkApi-User-Agent.
		mockserver.ContractValue{Key: "USER_AGENT", Value: "mockserver-contracts/1.0", Header: "X-Sparkapi-User-Agent"},
	)
}
