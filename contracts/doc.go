// Package contracts checks that a backend (the in-process mock, a running
// mockserver binary, or the real vendor service) behaves as the bundled
// OpenAPI documents and the seeds say. It holds the shared toolkit; the
// Ginkgo suites live beside it, one per API:
//
//	contracts/spark        Spark Listing Notes (seed 004)
//	contracts/opentoclose  Open To Close Property Contacts (seed 000)
//
// # Running the suites
//
// By default every spec starts its own in-process mock on the "default"
// fixture scenario, so specs never see each other's writes and nothing
// needs to be running. The suites are part of the ordinary test run:
//
//	go test -race ./contracts/...
//
// To check a running backend instead, give each API's base URL, the root
// that the spec's paths are appended to. For the mockserver binary:
//
//	go run ./cmd/mockserver serve --addr 127.0.0.1:18089 &
//	CONTRACT_SPARK_URL=http://127.0.0.1:18089/spark/v1 \
//	CONTRACT_OPENTOCLOSE_URL=http://127.0.0.1:18089/opentoclose/v1 \
//	go test -count=1 ./contracts/...
//
// A suite whose URL variable is unset keeps running in process. Over TLS
// with the mock's self-signed certificate (Spark at the host's root, where
// its Ruby gem expects it), skip certificate checks:
//
//	go run ./cmd/mockserver serve --addr 127.0.0.1:18089 --tls --mount spark=/ &
//	CONTRACT_INSECURE_TLS=1 CONTRACT_SPARK_URL=https://127.0.0.1:18089/v1 go test -count=1 ./contracts/spark
//
// An external backend is shared by every spec: specs that write put back
// what they changed (with DeferCleanup), so a run leaves the backend as it
// found it, and a second run against it passes too.
//
// Against the real service, point the tokens and ids below at records that
// exist, and choose specs by label. Ginkgo's flags go after -args, and only
// to the two suite packages:
//
//	CONTRACT_SPARK_URL=https://sparkapi.com/v1 CONTRACT_SPARK_VOW_TOKEN=... \
//	go test -count=1 ./contracts/spark -args -ginkgo.label-filter='read && !seed-data' -ginkgo.v
//
// # Environment variables
//
// CONTRACT_<API>_URL selects the backend of a suite; CONTRACT_INSECURE_TLS=1
// trusts any certificate. Every other value defaults to the "default"
// scenario's record (fixtures/default.yaml) and can be overridden by
// CONTRACT_<API>_<KEY>; a spec reads it with Target.Value(KEY).
//
// Spark (CONTRACT_SPARK_...):
//
//	VOW_TOKEN           spark-vow-token      VOW session; its contact is CONTACT_ID
//	PORTAL_TOKEN        spark-portal-token   Portal session, for another contact
//	PRIVATE_TOKEN       spark-private-token  Private (agent) session
//	IDX_TOKEN           spark-idx-token      IDX key: reads only
//	PUBLIC_TOKEN        spark-public-token   Public key: reads only
//	EXPIRED_TOKEN       (in process: spark-expired-token) an expired token;
//	                    against another backend its spec is skipped unless set
//	LISTING_ID          20100815153524571646000000  the seed's listing
//	CONTACT_ID          20100912536192756362000000  the contact holding the seed's note
//	UNKNOWN_LISTING_ID  20991231235959000000000000  a well-formed id of no listing
//	USER_AGENT          mockserver-contracts/1.0    sent as X-Sparkapi-User-Agent
//
// Open To Close (CONTRACT_OPENTOCLOSE_...):
//
//	TOKEN                otc-demo-token  the api_token
//	PROPERTY_ID          123        holds CONTACT_ID as its primary Buyer
//	CONTACT_ID           456        the seed's contact
//	EMPTY_PROPERTY_ID    124        a property with no contacts; write specs link
//	                                the seed's contacts 101, 102, 201, 301, 302,
//	                                456 and 789 to it and unlink them afterwards
//	UNKNOWN_PROPERTY_ID  999999999  an id of no property
//
// # Labels
//
//	read       sends only GET requests
//	write      sends POST, PUT, DELETE or PATCH; restores what it changes
//	seed-data  expects the seed's records exactly (the hot-tub note, the
//	           primary Buyer 456), not just records that exist
//	mock-only  switches the in-process mock's scenario; skipped when the
//	           suite runs against CONTRACT_<API>_URL
//
// # Writing a spec
//
// Target.Do sends a request and returns a *Response whose body is already
// read; the matchers take that Response and print it whole when they fail.
// Every response a suite sees is checked with ConformTo, errors included:
//
//	res, err := target.Do(http.MethodGet, "/listings/"+target.Value("LISTING_ID")+"/shared/notes",
//		contracts.WithToken(target.Value("VOW_TOKEN")))
//	Expect(err).NotTo(HaveOccurred())
//	Expect(res).To(contracts.ConformTo(spec.MustLoad("spark")))
//	Expect(res).To(contracts.HaveStatus(http.StatusOK))
//
//	res, _ = target.Do(http.MethodPost, path, contracts.WithToken(token))
//	Expect(res).To(contracts.HaveStatus(http.StatusMethodNotAllowed))
//	Expect(res).To(contracts.HaveSparkCode(405))
//	Expect(res).To(contracts.HaveAllowHeader("GET", "PUT", "DELETE"))
//
// WithToken puts the token where the API's security scheme says (a Bearer
// header for Spark, the api_token query parameter for Open To Close);
// WithHeader, WithoutHeader, WithJSON and WithBody shape the rest. Passing
// a matcher anything but a *Response is an error, not a mismatch.
package contracts
