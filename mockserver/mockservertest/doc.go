// Package mockservertest starts a mock server for a Go test in one line,
// shaped like net/http/httptest:
//
//	m := mockservertest.New(t)
//	resp, err := m.Client().Get(m.URL("spark") + "/listings/...")
//
// Each call gets its own isolated Server (state, journal, scenario) on its
// own httptest.Server, closed by t.Cleanup. Server logs go to t.Logf so
// they show next to a failing test. New takes a small interface of its
// own, so *testing.T, *testing.B and Ginkgo's GinkgoT() all fit.
package mockservertest
