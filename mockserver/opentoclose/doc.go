// Package opentoclose plugs the Open To Close Property Contacts API into
// the mock engine: properties and the contacts linked to them, listed,
// created, read, updated and deleted as the live service does.
//
// Scenarios give its records under `state:`, a list of properties with
// their contact links:
//
//	state:
//	  properties:
//	    - id: 123
//	      contacts:
//	        - {id: 7484664, contact_id: 456, role: Buyer, primary: true, start_date: "2024-01-15", notes: Primary decision maker}
//
// A link's id may be left out for the store to assign. Ids are checked
// with the spec's Id schema and each link as the create request would be
// (PropertyContactCreate). The quirk create-honours-only-contact-id
// reproduces the live create, which keeps only contact_id.
package opentoclose
