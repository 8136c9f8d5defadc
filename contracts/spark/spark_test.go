package spark_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	. "github.com/realestate-mocks/mockserver/contracts"
)

// suite runs every spec against a fresh in-process mock, or against the
// backend CONTRACT_SPARK_URL names.
var suite = NewSuite("spark")

// do sends a request and checks the answer against the spec.
var do = suite.Do

// The seed's two notes: the one the default scenario holds, and the text
// of the seed's PUT example.
const (
	seedNote    = "Great home, wondering if seller is willing to include hot tub."
	seedPutNote = "Great home, wondering if seller is willing to include hot tub and washer/dryer."
)

// The three paths of the service. onSession serves VOW/Portal sessions
// and acts for the session's contact; the other two serve Private
// sessions, which name the contact.
const (
	onSession  = "/shared/notes"
	onContacts = "/shared/notes/contacts"
	onContact  = "/shared/notes/contacts/{ContactId}"
)

// pathOf fills a path of the service with the target's listing and, for
// onContact, its contact.
func pathOf(which string) string {
	p := "/listings/" + suite.Target.Value("LISTING_ID") + which
	return strings.Replace(p, "{ContactId}", suite.Target.Value("CONTACT_ID"), 1)
}

// as authenticates as the target's token for a role of the seed's table.
func as(role string) Option {
	return WithToken(suite.Target.Value(strings.ToUpper(role) + "_TOKEN"))
}

func noteBody(text string) map[string]any {
	return map[string]any{"D": map[string]any{"Note": text}}
}

type note struct {
	ResourceUri string
	ContactId   string
	Note        string
}

// notesOf decodes the Results of a successful answer.
func notesOf(res *Response) []note {
	GinkgoHelper()
	var body struct{ D struct{ Results []note } }
	Expect(json.Unmarshal(res.Body, &body)).To(Succeed(), "%s", res)
	return body.D.Results
}

// resourceURIOf is the form the Ruby gem follows from a PUT: the
// /contacts/{ContactId} form whatever path was written, keeping /v1; the
// gem's fixtures end it with a slash, the vendor's example does not.
func resourceURIOf(contact string) string {
	return "^" + regexp.QuoteMeta("/v1/listings/"+suite.Target.Value("LISTING_ID")+"/shared/notes/contacts/"+contact) + "/?$"
}

// keepNote puts back, when the spec ends, the note that role sees on path
// now, so a shared backend ends every spec as it started.
func keepNote(role, path string) {
	GinkgoHelper()
	res := do(http.MethodGet, path, as(role))
	Expect(res).To(HaveStatus(http.StatusOK))
	before := notesOf(res)
	DeferCleanup(func() {
		if len(before) == 0 {
			// 404 when the spec left no note behind.
			Expect(do(http.MethodDelete, path, as(role))).To(Or(HaveStatus(http.StatusOK), HaveStatus(http.StatusNotFound)))
			return
		}
		Expect(do(http.MethodPut, path, as(role), WithJSON(noteBody(before[0].Note)))).To(HaveStatus(http.StatusOK))
	})
}

var _ = Describe("Listing Notes", func() {
	Describe("the seed's calls", func() {
		Context("under a VOW session, on /listings/{ListingId}/shared/notes", func() {
			It("reads the session contact's note", Label("read", "seed-data"), func() {
				res := do(http.MethodGet, pathOf(onSession), as("VOW"))
				Expect(res).To(HaveStatus(http.StatusOK))
				notes := notesOf(res)
				Expect(notes).To(HaveLen(1))
				Expect(notes[0].ContactId).To(Equal(suite.Target.Value("CONTACT_ID")))
				Expect(notes[0].ResourceUri).To(MatchRegexp(resourceURIOf(suite.Target.Value("CONTACT_ID"))))
				Expect(notes[0].Note).To(Equal(seedNote))
			})

			It("replaces the note with the seed's PUT body, which GET then shows", Label("write"), func() {
				keepNote("VOW", pathOf(onSession))
				res := do(http.MethodPut, pathOf(onSession), as("VOW"), WithJSON(noteBody(seedPutNote)))
				Expect(res).To(HaveStatus(http.StatusOK))
				By("answering Results[0].ResourceUri, which the Ruby gem's Note#save! reads")
				saved := notesOf(res)
				Expect(saved).NotTo(BeEmpty())
				Expect(saved[0].ResourceUri).To(MatchRegexp(resourceURIOf(suite.Target.Value("CONTACT_ID"))))

				notes := notesOf(do(http.MethodGet, pathOf(onSession), as("VOW")))
				Expect(notes).To(ConsistOf(HaveField("Note", seedPutNote)))
			})

			It("deletes the note, after which GET shows none", Label("write"), func() {
				keepNote("VOW", pathOf(onSession))
				Expect(do(http.MethodPut, pathOf(onSession), as("VOW"), WithJSON(noteBody(seedPutNote)))).To(HaveStatus(http.StatusOK))

				Expect(do(http.MethodDelete, pathOf(onSession), as("VOW"))).To(HaveStatus(http.StatusOK))
				Expect(notesOf(do(http.MethodGet, pathOf(onSession), as("VOW")))).To(BeEmpty())
			})
		})

		Context("under a Private session, on /shared/notes/contacts[/{ContactId}]", func() {
			It("lists every contact's note, each with its own ResourceUri", Label("read", "seed-data"), func() {
				res := do(http.MethodGet, pathOf(onContacts), as("Private"))
				Expect(res).To(HaveStatus(http.StatusOK))
				notes := notesOf(res)
				Expect(notes).To(ContainElement(note{
					ResourceUri: "/v1/listings/" + suite.Target.Value("LISTING_ID") + "/shared/notes/contacts/" + suite.Target.Value("CONTACT_ID"),
					ContactId:   suite.Target.Value("CONTACT_ID"),
					Note:        seedNote,
				}))
				for _, n := range notes {
					Expect(n.ResourceUri).To(MatchRegexp(resourceURIOf(n.ContactId)))
				}
			})

			It("reads one contact's note", Label("read", "seed-data"), func() {
				res := do(http.MethodGet, pathOf(onContact), as("Private"))
				Expect(res).To(HaveStatus(http.StatusOK))
				Expect(notesOf(res)).To(ConsistOf(HaveField("Note", seedNote)))
			})

			It("replaces one contact's note, which GET then shows", Label("write"), func() {
				keepNote("Private", pathOf(onContact))
				res := do(http.MethodPut, pathOf(onContact), as("Private"), WithJSON(noteBody(seedPutNote)))
				Expect(res).To(HaveStatus(http.StatusOK))
				By("answering Results[0].ResourceUri, which the Ruby gem's Note#save! reads")
				saved := notesOf(res)
				Expect(saved).NotTo(BeEmpty())
				Expect(saved[0].ResourceUri).To(MatchRegexp(resourceURIOf(suite.Target.Value("CONTACT_ID"))))

				Expect(notesOf(do(http.MethodGet, pathOf(onContact), as("Private")))).To(ConsistOf(HaveField("Note", seedPutNote)))
			})

			It("deletes one contact's note, after which GET shows none", Label("write"), func() {
				keepNote("Private", pathOf(onContact))
				Expect(do(http.MethodPut, pathOf(onContact), as("Private"), WithJSON(noteBody(seedPutNote)))).To(HaveStatus(http.StatusOK))

				Expect(do(http.MethodDelete, pathOf(onContact), as("Private"))).To(HaveStatus(http.StatusOK))
				Expect(notesOf(do(http.MethodGet, pathOf(onContact), as("Private")))).To(BeEmpty())
			})
		})
	})

	// The seed's method tables: POST is not implemented anywhere, nor PUT
	// or DELETE on the list of all contacts' notes. Each call carries the
	// path's own session, so only the method can be wrong.
	DescribeTable("methods the service does not implement answer 405 with Allow", Label("write"),
		func(method, which, role string, allow ...string) {
			res := do(method, pathOf(which), as(role), WithJSON(noteBody(seedPutNote)))
			Expect(res).To(HaveStatus(http.StatusMethodNotAllowed))
			Expect(res).To(HaveSparkCode(405))
			Expect(res).To(HaveAllowHeader(allow...))
		},
		Entry("POST /shared/notes", http.MethodPost, onSession, "VOW", "GET", "PUT", "DELETE"),
		Entry("POST /shared/notes/contacts", http.MethodPost, onContacts, "Private", "GET"),
		Entry("PUT /shared/notes/contacts", http.MethodPut, onContacts, "Private", "GET"),
		Entry("DELETE /shared/notes/contacts", http.MethodDelete, onContacts, "Private", "GET"),
		Entry("POST /shared/notes/contacts/{ContactId}", http.MethodPost, onContact, "Private", "GET", "PUT", "DELETE"),
	)

	// The seed's role table (IDX and Public read only) crossed with the
	// two kinds of session path. A read-only role writing is refused
	// before its session is looked at: 405/1017; a role the path does not
	// serve is 403/1500.
	DescribeTable("the role matrix",
		func(role, method, which string, status, code int) {
			var opts []Option
			if method == http.MethodPut {
				opts = append(opts, WithJSON(noteBody(seedPutNote)))
				if status == http.StatusOK {
					keepNote(role, pathOf(which))
				}
			}
			res := do(method, pathOf(which), append(opts, as(role))...)
			Expect(res).To(HaveStatus(status))
			if code != 0 {
				Expect(res).To(HaveSparkCode(code))
			}
		},
		func(role, method, which string, status, code int) string {
			verb := "reads"
			if method == http.MethodPut {
				verb = "writes"
			}
			if code == 0 {
				return fmt.Sprintf("%s %s %s: %d", role, verb, which, status)
			}
			return fmt.Sprintf("%s %s %s: %d, code %d", role, verb, which, status, code)
		},
		Entry(nil, Label("read"), "IDX", http.MethodGet, onSession, 403, 1500),
		Entry(nil, Label("read"), "Public", http.MethodGet, onSession, 403, 1500),
		Entry(nil, Label("read"), "VOW", http.MethodGet, onSession, 200, 0),
		Entry(nil, Label("read"), "Portal", http.MethodGet, onSession, 200, 0),
		Entry(nil, Label("read"), "Private", http.MethodGet, onSession, 403, 1500),
		Entry(nil, Label("write"), "IDX", http.MethodPut, onSession, 405, 1017),
		Entry(nil, Label("write"), "Public", http.MethodPut, onSession, 405, 1017),
		Entry(nil, Label("write"), "VOW", http.MethodPut, onSession, 200, 0),
		Entry(nil, Label("write"), "Portal", http.MethodPut, onSession, 200, 0),
		Entry(nil, Label("write"), "Private", http.MethodPut, onSession, 403, 1500),
		Entry(nil, Label("read"), "IDX", http.MethodGet, onContact, 403, 1500),
		Entry(nil, Label("read"), "Public", http.MethodGet, onContact, 403, 1500),
		Entry(nil, Label("read"), "VOW", http.MethodGet, onContact, 403, 1500),
		Entry(nil, Label("read"), "Portal", http.MethodGet, onContact, 403, 1500),
		Entry(nil, Label("read"), "Private", http.MethodGet, onContact, 200, 0),
		Entry(nil, Label("write"), "IDX", http.MethodPut, onContact, 405, 1017),
		Entry(nil, Label("write"), "Public", http.MethodPut, onContact, 405, 1017),
		Entry(nil, Label("write"), "VOW", http.MethodPut, onContact, 403, 1500),
		Entry(nil, Label("write"), "Portal", http.MethodPut, onContact, 403, 1500),
		Entry(nil, Label("write"), "Private", http.MethodPut, onContact, 200, 0),
	)

	Describe("authentication", Label("read"), func() {
		It("refuses a request without a token: 401, code 1000", func() {
			res := do(http.MethodGet, pathOf(onSession))
			Expect(res).To(HaveStatus(http.StatusUnauthorized))
			Expect(res).To(HaveSparkCode(1000))
		})

		It("refuses an unknown token: 401, code 1000", func() {
			res := do(http.MethodGet, pathOf(onSession), WithToken("no-such-token"))
			Expect(res).To(HaveStatus(http.StatusUnauthorized))
			Expect(res).To(HaveSparkCode(1000))
		})

		It("accepts the legacy OAuth prefix, which the Ruby gem sends", func() {
			res := do(http.MethodGet, pathOf(onSession), WithHeader("Authorization", "OAuth "+suite.Target.Value("VOW_TOKEN")))
			Expect(res).To(HaveStatus(http.StatusOK))
		})

		It("refuses an expired token: 401, code 1020, on which the Ruby gem re-authenticates", func() {
			if suite.Target.Value("EXPIRED_TOKEN") == "" {
				Skip("set CONTRACT_SPARK_EXPIRED_TOKEN to an expired token to check this backend")
			}
			res := do(http.MethodGet, pathOf(onSession), as("expired"))
			Expect(res).To(HaveStatus(http.StatusUnauthorized))
			Expect(res).To(HaveSparkCode(1020))
		})

		It("refuses a request without X-SparkApi-User-Agent: 400, code 1016", func() {
			res := do(http.MethodGet, pathOf(onSession), as("VOW"), WithoutHeader("X-SparkApi-User-Agent"))
			Expect(res).To(HaveStatus(http.StatusBadRequest))
			Expect(res).To(HaveSparkCode(1016))
		})

		// The gem's header arrives as X-Sparkapi-User-Agent.
		DescribeTable("reads the X-SparkApi-User-Agent header name in any case",
			func(name string) {
				res := do(http.MethodGet, pathOf(onSession), as("VOW"), WithHeader(name, "Spark API Ruby Gem 2.0.3"))
				Expect(res).To(HaveStatus(http.StatusOK))
			},
			Entry("as the spec spells it", "X-SparkApi-User-Agent"),
			Entry("as the Ruby gem sends it", "X-Sparkapi-User-Agent"),
			Entry("in lower case", "x-sparkapi-user-agent"),
		)
	})

	Describe("validation", func() {
		DescribeTable("a PUT body the service cannot take answers 400", Label("write"),
			func(contentType, body string, code int) {
				res := do(http.MethodPut, pathOf(onSession), as("VOW"), WithBody(contentType, []byte(body)))
				Expect(res).To(HaveStatus(http.StatusBadRequest))
				Expect(res).To(HaveSparkCode(code))
			},
			Entry("not JSON: code 1035", "application/json", `Great home`, 1035),
			Entry("JSON sent as text/plain: code 1035", "text/plain", `{"D":{"Note":"Great home"}}`, 1035),
			Entry("no Note: code 1050", "application/json", `{"D":{}}`, 1050),
		)

		It("refuses a ListingId that is not 26 digits: 400, code 1053", Label("read"), func() {
			res := do(http.MethodGet, "/listings/12345/shared/notes", as("VOW"))
			Expect(res).To(HaveStatus(http.StatusBadRequest))
			Expect(res).To(HaveSparkCode(1053))
		})

		It("answers an unknown listing 404, code 404", Label("read"), func() {
			res := do(http.MethodGet, "/listings/"+suite.Target.Value("UNKNOWN_LISTING_ID")+"/shared/notes", as("VOW"))
			Expect(res).To(HaveStatus(http.StatusNotFound))
			Expect(res).To(HaveSparkCode(404))
		})
	})

	// The bundled errors scenario's failures must still be answers the
	// spec documents, since clients are tested against them.
	Describe("the errors scenario", Label("mock-only", "read"), func() {
		BeforeEach(func() {
			Expect(suite.Mock.Server.SwitchScenario("errors")).To(Succeed())
		})

		It("rate-limits the session's note: 429, code 1550", func() {
			res := do(http.MethodGet, pathOf(onSession), as("VOW"))
			Expect(res).To(HaveStatus(http.StatusTooManyRequests))
			Expect(res).To(HaveSparkCode(1550))
		})

		It("fails one contact's note: 500, code 1026", func() {
			res := do(http.MethodGet, pathOf(onContact), as("Private"))
			Expect(res).To(HaveStatus(http.StatusInternalServerError))
			Expect(res).To(HaveSparkCode(1026))
		})
	})
})
