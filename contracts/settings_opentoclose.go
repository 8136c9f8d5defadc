package contracts

import (
	"strconv"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver/opentoclose"
)

// unknownProperty is a property id no scenario holds.
const unknownProperty = "999999999"

// opentocloseSettings derives the suite's values from a scenario: its live token,
// the first property with a contact link and that contact, and the first
// property without links.
func opentocloseSettings(part *fixtures.APIScenario) []setting {
	token, _ := principalWith(part, "", false)
	var property, contact, empty string
	if st, ok := part.State.(*opentoclose.State); ok {
		for _, p := range st.Properties {
			switch {
			case len(p.Contacts) > 0 && property == "":
				property, contact = strconv.FormatInt(p.ID, 10), strconv.FormatInt(p.Contacts[0].ContactID, 10)
			case len(p.Contacts) == 0 && empty == "":
				empty = strconv.FormatInt(p.ID, 10)
			}
		}
	}
	return []setting{
		{Key: "TOKEN", Value: token},
		{Key: "PROPERTY_ID", Value: property},
		{Key: "CONTACT_ID", Value: contact},
		{Key: "EMPTY_PROPERTY_ID", Value: empty},
		{Key: "UNKNOWN_PROPERTY_ID", Value: unknownProperty},
	}
}
