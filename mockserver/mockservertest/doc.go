// Package mockservertest starts a mock server for a Go test in one line,
// shaped like net/http/httptest:
//
//	m := mockservertest.New(t)
//	resp, err := m.Client().Get(m.URL("spark") + "/listings/...")
//
// Each call gets its own isolated Server (Mock.Server: state, journal,
// scenario) on its own httptest.Server (Mock.HTTP), closed by t.Cleanup.
// It serves the bundled APIs and scenarios (mockserver/bundled); WithPack
// adds an API of the test's own, such as crud.Pack(api) for records. Server logs go to t.Logf so
// they show next to a failing test. New takes a small interface of its
// own, so *testing.T, *testing.B and Ginkgo's GinkgoT() all fit.
package mockservertest
