// Package spark plugs the Spark Listing Notes API into the mock engine:
// shared notes per listing and contact, as the VOW and Portal sessions
// (acting as their own contact) and the Private session (naming the
// contact in the path) read and write them.
//
// Scenarios give its records under `state:`:
//
//	state:
//	  contacts: ["20100912153422758914000000"]   # contacts that exist without a note
//	  listings:
//	    - id: "20100815153524571646000000"
//	      notes:
//	        - {contact: "20100912536192756362000000", note: Great home}
//
// Ids are checked with the spec's SparkId schema and notes with D.Note of
// NoteWrite; a contact holds one note per listing.
package spark
