package contracts

import (
	"strings"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver/spark"
)

// unknownListing is a well-formed listing id no scenario holds.
const unknownListing = "20991231235959000000000000"

// sparkSettings derives the suite's values from a scenario: a live token per
// role (VOW_TOKEN…PUBLIC_TOKEN), the expired VOW token, the first listing
// with notes, and the VOW session's contact.
func sparkSettings(part *fixtures.APIScenario) []setting {
	var out []setting
	for _, role := range []string{"VOW", "Portal", "Private", "IDX", "Public"} {
		token, _ := principalWith(part, role, false)
		out = append(out, setting{Key: strings.ToUpper(role) + "_TOKEN", Value: token})
	}
	expired, _ := principalWith(part, "VOW", true)
	_, vow := principalWith(part, "VOW", false)
	var listing string
	if st, ok := part.State.(*spark.State); ok {
		for _, l := range st.Listings {
			if len(l.Notes) > 0 && listing == "" {
				listing = l.ID
			}
		}
	}
	return append(out,
		setting{Key: "EXPIRED_TOKEN", Value: expired, MockOnly: true},
		setting{Key: "LISTING_ID", Value: listing},
		setting{Key: "CONTACT_ID", Value: vow.Contact},
		setting{Key: "UNKNOWN_LISTING_ID", Value: unknownListing},
		// The Ruby gem's casing on the wire; the spec says X-SparkApi-User-Agent.
		setting{Key: "USER_AGENT", Value: "mockserver-contracts/1.0", Header: "X-Sparkapi-User-Agent"},
	)
}
