package bundledtest

// The records and credentials of the bundled default scenario
// (fixtures/default.yaml); every test names them from here.
const (
	// Listing is the Spark listing that holds the seed note.
	Listing = "20100815153524571646000000"
	// VOWContact wrote the seed note; the VOW token acts as this contact.
	VOWContact = "20100912536192756362000000"
	// PortalContact has no note; the Portal token acts as this contact.
	PortalContact = "20100912153422758914000000"
	// SeedNote is the text of VOWContact's note on Listing.
	SeedNote = "Great home, wondering if seller is willing to include hot tub."

	// NotesPath is the session's shared-notes path under Spark's base path.
	NotesPath = "/listings/" + Listing + "/shared/notes"
	// ContactNotesPath lists every contact's note (private role).
	ContactNotesPath = NotesPath + "/contacts"
	// SparkBase is where the command and New mount Spark.
	SparkBase = "/spark/v1"

	// Spark tokens, one per role of the seed's role table.
	IDXToken     = "spark-idx-token"
	PublicToken  = "spark-public-token"
	VOWToken     = "spark-vow-token"
	PortalToken  = "spark-portal-token"
	PrivateToken = "spark-private-token"
	ExpiredToken = "spark-expired-token"

	// OTCToken is Open To Close's api_token.
	OTCToken = "otc-demo-token"
	// OTCBase is where the command and New mount Open To Close.
	OTCBase = "/opentoclose/v1"
)
