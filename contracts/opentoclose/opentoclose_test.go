package opentoclose_test

import (
	"encoding/json"
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	. "github.com/realestate-mocks/mockserver/contracts"
)

// suite runs every spec against a fresh in-process mock, or against the
// backend CONTRACT_OPENTOCLOSE_URL names.
var suite = NewSuite("opentoclose")

// do sends a request and checks the answer against the spec.
var do = suite.Do

// The contacts of the seed's workflow, and one the seed never uses.
const (
	seller, buyer1, buyer2, listingAgent, buyerAgent = 201, 101, 102, 301, 302
	stranger                                         = 789
)

// contactsOf is the contacts path of the property the target's key names
// ("PROPERTY_ID", "EMPTY_PROPERTY_ID"), followed by any suffix.
func contactsOf(property string, suffix ...any) string {
	return "/properties/" + suite.Target.Value(property) + "/contacts" + fmt.Sprint(suffix...)
}

func token() Option { return WithToken(suite.Target.Value("TOKEN")) }

// link is a property-contact link as the seed and the SDK read it.
type link struct {
	ID        int64   `json:"id"`
	ContactID int64   `json:"contact_id"`
	Role      *string `json:"role"`
	Primary   bool    `json:"primary"`
	StartDate *string `json:"start_date"`
	Notes     *string `json:"notes"`
	Property  struct {
		ID int64 `json:"id"`
	} `json:"property"`
}

// linksOf decodes a list, which must be a bare JSON array.
func linksOf(res *Response) []link {
	GinkgoHelper()
	var links []link
	Expect(json.Unmarshal(res.Body, &links)).To(Succeed(), "a bare JSON array:\n%s", res)
	return links
}

func linkOf(res *Response) link {
	GinkgoHelper()
	var l link
	Expect(json.Unmarshal(res.Body, &l)).To(Succeed(), "%s", res)
	return l
}

func contactIDs(links []link) []int64 {
	ids := make([]int64, len(links))
	for i, l := range links {
		ids[i] = l.ContactID
	}
	return ids
}

// create links a contact to a property and, when that worked, unlinks it
// when the spec ends, so a shared backend ends every spec as it started.
func create(property string, body map[string]any) *Response {
	GinkgoHelper()
	res := do(http.MethodPost, contactsOf(property), token(), WithJSON(body))
	if res.StatusCode == http.StatusCreated {
		path := contactsOf(property, "/", body["contact_id"])
		DeferCleanup(func() {
			// 404 when the spec deleted the link itself.
			Expect(do(http.MethodDelete, path, token())).To(Or(HaveStatus(http.StatusNoContent), HaveStatus(http.StatusNotFound)))
		})
	}
	return res
}

// messageOf is the error body's message, which is all the SDK shows.
func messageOf(res *Response) string {
	GinkgoHelper()
	var body struct{ Message string }
	Expect(json.Unmarshal(res.Body, &body)).To(Succeed(), "%s", res)
	return body.Message
}

var _ = Describe("Property Contacts", func() {
	Describe("listing", Label("read"), func() {
		It("answers a bare JSON array holding the seed's primary buyer", Label("seed-data"), func() {
			res := do(http.MethodGet, contactsOf("PROPERTY_ID"), token())
			Expect(res).To(HaveStatus(http.StatusOK))
			Expect(linksOf(res)).To(ContainElement(SatisfyAll(
				HaveField("ContactID", BeEquivalentTo(456)),
				HaveField("Role", HaveValue(Equal("Buyer"))),
				HaveField("Primary", BeTrue()),
			)))
		})

		It("answers an empty array for a property without contacts", Label("seed-data"), func() {
			res := do(http.MethodGet, contactsOf("EMPTY_PROPERTY_ID"), token())
			Expect(res).To(HaveStatus(http.StatusOK))
			Expect(string(res.Body)).To(MatchJSON(`[]`))
		})

		It("takes a bodyless GET with the SDK's JSON Content-Type", func() {
			res := do(http.MethodGet, contactsOf("PROPERTY_ID"), token(),
				WithHeader("Content-Type", "application/json"), WithHeader("Accept", "application/json"))
			Expect(res).To(HaveStatus(http.StatusOK))
		})

		It("answers 404 for an unknown property", func() {
			Expect(do(http.MethodGet, contactsOf("UNKNOWN_PROPERTY_ID"), token())).To(HaveStatus(http.StatusNotFound))
		})

		DescribeTable("refuses paging out of range: 400",
			func(query string) {
				Expect(do(http.MethodGet, contactsOf("PROPERTY_ID", "?", query), token())).To(HaveStatus(http.StatusBadRequest))
			},
			Entry("limit 0", "limit=0"),
			Entry("limit over 100", "limit=101"),
			Entry("a negative offset", "offset=-1"),
			Entry("a limit that is not a number", "limit=all"),
		)
	})

	Describe("filtering and paging", Label("write"), func() {
		It("keeps only the links whose role is exactly the one asked for", func() {
			Expect(create("EMPTY_PROPERTY_ID", map[string]any{"contact_id": buyer1, "role": "Buyer"})).To(HaveStatus(http.StatusCreated))
			Expect(create("EMPTY_PROPERTY_ID", map[string]any{"contact_id": buyerAgent, "role": "Buyer Agent"})).To(HaveStatus(http.StatusCreated))

			Expect(contactIDs(linksOf(do(http.MethodGet, contactsOf("EMPTY_PROPERTY_ID", "?role=Buyer"), token())))).To(Equal([]int64{buyer1}))
			Expect(contactIDs(linksOf(do(http.MethodGet, contactsOf("EMPTY_PROPERTY_ID", "?role=Buyer+Agent"), token())))).To(Equal([]int64{buyerAgent}))
			Expect(linksOf(do(http.MethodGet, contactsOf("EMPTY_PROPERTY_ID", "?role=buyer"), token()))).To(BeEmpty())
		})

		It("pages with limit and offset in creation order, until a page is short", func() {
			for _, id := range []int{buyer1, buyer2, seller} {
				Expect(create("EMPTY_PROPERTY_ID", map[string]any{"contact_id": id})).To(HaveStatus(http.StatusCreated))
			}
			// As the clients page: there is no total count.
			var all []int64
			for offset := 0; ; offset += 2 {
				page := linksOf(do(http.MethodGet, contactsOf("EMPTY_PROPERTY_ID", fmt.Sprintf("?limit=2&offset=%d", offset)), token()))
				Expect(len(page)).To(BeNumerically("<=", 2))
				all = append(all, contactIDs(page)...)
				if len(page) < 2 {
					break
				}
			}
			Expect(all).To(Equal([]int64{buyer1, buyer2, seller}))
		})
	})

	Describe("creating", Label("write"), func() {
		It("links a contact with the seed's fields: 201 with the new link, which both of its ids find", func() {
			res := create("EMPTY_PROPERTY_ID", map[string]any{
				"contact_id": 456, "role": "Buyer", "primary": true, "notes": "Primary decision maker",
			})
			Expect(res).To(HaveStatus(http.StatusCreated))
			created := linkOf(res)
			Expect(created.ContactID).To(BeEquivalentTo(456))
			Expect(created.Role).To(HaveValue(Equal("Buyer")))
			Expect(created.Primary).To(BeTrue())
			Expect(created.Notes).To(HaveValue(Equal("Primary decision maker")))
			Expect(fmt.Sprint(created.Property.ID)).To(Equal(suite.Target.Value("EMPTY_PROPERTY_ID")))

			By("retrieving it by the contact's id, as the seed does, and by its own id, as the SDK does")
			Expect(linkOf(do(http.MethodGet, contactsOf("EMPTY_PROPERTY_ID", "/", 456), token()))).To(Equal(created))
			Expect(linkOf(do(http.MethodGet, contactsOf("EMPTY_PROPERTY_ID", "/", created.ID), token()))).To(Equal(created))
		})

		It("refuses a second link of the same contact: 409", func() {
			Expect(create("EMPTY_PROPERTY_ID", map[string]any{"contact_id": stranger})).To(HaveStatus(http.StatusCreated))
			Expect(create("EMPTY_PROPERTY_ID", map[string]any{"contact_id": stranger})).To(HaveStatus(http.StatusConflict))
		})
	})

	It("retrieves the seed's link by the contact's id", Label("read", "seed-data"), func() {
		res := do(http.MethodGet, contactsOf("PROPERTY_ID", "/", suite.Target.Value("CONTACT_ID")), token())
		Expect(res).To(HaveStatus(http.StatusOK))
		l := linkOf(res)
		Expect(fmt.Sprint(l.ContactID)).To(Equal(suite.Target.Value("CONTACT_ID")))
		Expect(fmt.Sprint(l.Property.ID)).To(Equal(suite.Target.Value("PROPERTY_ID")))
		Expect(l.Role).To(HaveValue(Equal("Buyer")))
		Expect(l.Primary).To(BeTrue())
	})

	It("updates only the fields sent, as the seed's role-and-primary update expects", Label("write"), func() {
		Expect(create("EMPTY_PROPERTY_ID", map[string]any{
			"contact_id": 456, "role": "Buyer", "primary": true, "start_date": "2024-01-15", "notes": "Primary decision maker",
		})).To(HaveStatus(http.StatusCreated))

		res := do(http.MethodPut, contactsOf("EMPTY_PROPERTY_ID", "/", 456), token(), WithJSON(map[string]any{"role": "Seller", "primary": false}))
		Expect(res).To(HaveStatus(http.StatusOK))
		updated := linkOf(res)
		Expect(updated.Role).To(HaveValue(Equal("Seller")))
		Expect(updated.Primary).To(BeFalse())
		Expect(updated.StartDate).To(HaveValue(Equal("2024-01-15")))
		Expect(updated.Notes).To(HaveValue(Equal("Primary decision maker")))

		Expect(linkOf(do(http.MethodGet, contactsOf("EMPTY_PROPERTY_ID", "/", 456), token()))).To(Equal(updated))
	})

	It("deletes a link: 204 without a body, then 404 for it", Label("write"), func() {
		Expect(create("EMPTY_PROPERTY_ID", map[string]any{"contact_id": stranger})).To(HaveStatus(http.StatusCreated))

		res := do(http.MethodDelete, contactsOf("EMPTY_PROPERTY_ID", "/", stranger), token())
		Expect(res).To(HaveStatus(http.StatusNoContent))
		Expect(res.Body).To(BeEmpty())
		Expect(do(http.MethodGet, contactsOf("EMPTY_PROPERTY_ID", "/", stranger), token())).To(HaveStatus(http.StatusNotFound))
		Expect(do(http.MethodDelete, contactsOf("EMPTY_PROPERTY_ID", "/", stranger), token())).To(HaveStatus(http.StatusNotFound))
	})

	// setup_property_transaction from the seed, with its usage's data.
	It("runs the seed's Complete Transaction Setup, leaving one primary per role", Label("write"), func() {
		type agent struct {
			id   int
			role string
		}
		sellers, buyers := []int{seller}, []int{buyer1, buyer2}
		agents := []agent{{listingAgent, "Listing Agent"}, {buyerAgent, "Buyer Agent"}}
		for i, id := range sellers {
			Expect(create("EMPTY_PROPERTY_ID", map[string]any{"contact_id": id, "role": "Seller", "primary": i == 0})).To(HaveStatus(http.StatusCreated))
		}
		for i, id := range buyers {
			Expect(create("EMPTY_PROPERTY_ID", map[string]any{"contact_id": id, "role": "Buyer", "primary": i == 0})).To(HaveStatus(http.StatusCreated))
		}
		for _, a := range agents {
			Expect(create("EMPTY_PROPERTY_ID", map[string]any{"contact_id": a.id, "role": a.role, "primary": true})).To(HaveStatus(http.StatusCreated))
		}

		links := linksOf(do(http.MethodGet, contactsOf("EMPTY_PROPERTY_ID"), token()))
		Expect(contactIDs(links)).To(Equal([]int64{seller, buyer1, buyer2, listingAgent, buyerAgent}), "creation order")
		primaries := map[string][]int64{}
		for _, l := range links {
			Expect(l.Role).NotTo(BeNil())
			if l.Primary {
				primaries[*l.Role] = append(primaries[*l.Role], l.ContactID)
			}
		}
		Expect(primaries).To(Equal(map[string][]int64{
			"Seller": {seller}, "Buyer": {buyer1}, "Listing Agent": {listingAgent}, "Buyer Agent": {buyerAgent},
		}))

		buyerLinks := linksOf(do(http.MethodGet, contactsOf("EMPTY_PROPERTY_ID", "?role=Buyer"), token()))
		Expect(buyerLinks).To(HaveExactElements(
			SatisfyAll(HaveField("ContactID", BeEquivalentTo(buyer1)), HaveField("Primary", BeTrue())),
			SatisfyAll(HaveField("ContactID", BeEquivalentTo(buyer2)), HaveField("Primary", BeFalse())),
		))
	})

	Describe("authentication: the api_token query parameter and nothing else", Label("read"), func() {
		It("refuses a request without a token: 401", func() {
			Expect(do(http.MethodGet, contactsOf("PROPERTY_ID"))).To(HaveStatus(http.StatusUnauthorized))
		})

		It("refuses an unknown token: 401", func() {
			Expect(do(http.MethodGet, contactsOf("PROPERTY_ID"), WithToken("no-such-token"))).To(HaveStatus(http.StatusUnauthorized))
		})

		It("refuses the token in a Bearer header: 401", func() {
			res := do(http.MethodGet, contactsOf("PROPERTY_ID"), WithHeader("Authorization", "Bearer "+suite.Target.Value("TOKEN")))
			Expect(res).To(HaveStatus(http.StatusUnauthorized))
		})
	})

	Describe("validation", Label("write"), func() {
		It("refuses a link without contact_id: 400, with a message naming it", func() {
			res := do(http.MethodPost, contactsOf("EMPTY_PROPERTY_ID"), token(), WithJSON(map[string]any{"role": "Buyer"}))
			Expect(res).To(HaveStatus(http.StatusBadRequest))
			Expect(messageOf(res)).To(ContainSubstring("contact_id"))
		})

		It("refuses a body that is not application/json: 415", func() {
			res := do(http.MethodPost, contactsOf("EMPTY_PROPERTY_ID"), token(), WithBody("text/plain", []byte(`{"contact_id": 789}`)))
			Expect(res).To(HaveStatus(http.StatusUnsupportedMediaType))
		})

		It("refuses malformed JSON: 400", func() {
			res := do(http.MethodPost, contactsOf("EMPTY_PROPERTY_ID"), token(), WithBody("application/json", []byte(`{"contact_id": `)))
			Expect(res).To(HaveStatus(http.StatusBadRequest))
		})
	})

	DescribeTable("PATCH answers 405 with the path's methods in Allow", Label("write"),
		func(suffix string, allow ...string) {
			res := do(http.MethodPatch, contactsOf("PROPERTY_ID", suffix), token(), WithJSON(map[string]any{"role": "Seller"}))
			Expect(res).To(HaveStatus(http.StatusMethodNotAllowed))
			Expect(res).To(HaveAllowHeader(allow...))
		},
		Entry("on the list", "", "GET", "POST"),
		Entry("on one link", "/456", "GET", "PUT", "DELETE"),
	)

	// The live service as the SDK's authors report it.
	Describe("the opentoclose-live scenario", Label("mock-only", "write"), func() {
		BeforeEach(func() {
			Expect(suite.Mock.Server.SwitchScenario("opentoclose-live")).To(Succeed())
		})

		DescribeTable("a link cannot be changed in place: 405 with Allow: GET",
			func(method string) {
				res := do(method, contactsOf("PROPERTY_ID", "/", suite.Target.Value("CONTACT_ID")), token(), WithJSON(map[string]any{"role": "Seller"}))
				Expect(res).To(HaveStatus(http.StatusMethodNotAllowed))
				Expect(res).To(HaveAllowHeader("GET"))
			},
			Entry("PUT", http.MethodPut),
			Entry("DELETE", http.MethodDelete),
		)

		It("keeps only contact_id from a create", func() {
			res := do(http.MethodPost, contactsOf("EMPTY_PROPERTY_ID"), token(), WithJSON(map[string]any{"contact_id": stranger, "role": "Buyer", "primary": true}))
			Expect(res).To(HaveStatus(http.StatusCreated))
			Expect(linkOf(res)).To(SatisfyAll(HaveField("Role", BeNil()), HaveField("Primary", BeFalse())))
		})
	})
})
