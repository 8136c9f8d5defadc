package contracts

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/realestate-mocks/mockserver/mockserver/mockservertest"
	"github.com/realestate-mocks/mockserver/spec"
)

// Suite wires one API's Ginkgo contract suite to its backend: the service
// CONTRACT_<API>_URL names when it is set, otherwise a fresh in-process
// mock for every spec, so specs never see each other's writes.
type Suite struct {
	// API is the spec every answer is checked against.
	API *spec.API
	// Target is the backend of the running spec.
	Target Target
	// Mock is the running spec's in-process mock; nil against an external
	// backend, where specs labelled mock-only are skipped.
	Mock *mockservertest.Mock

	external   Target
	isExternal bool
}

// NewSuite registers the suite's BeforeSuite and BeforeEach. Call it once,
// at the package level of the suite's tests:
//
//	var suite = contracts.NewSuite("spark")
func NewSuite(apiName string) *Suite {
	s := &Suite{}
	ginkgo.BeforeSuite(func() {
		s.API = spec.MustLoad(apiName)
		s.external, s.isExternal = TargetFromEnv(apiName)
	})
	ginkgo.BeforeEach(func() {
		if s.isExternal {
			if slices.Contains(ginkgo.CurrentSpecReport().Labels(), "mock-only") {
				ginkgo.Skip(fmt.Sprintf("needs the in-process mock's scenarios; unset CONTRACT_%s_URL to run it", strings.ToUpper(apiName)))
			}
			s.Target, s.Mock = s.external, nil
			return
		}
		s.Mock = mockservertest.New(ginkgo.GinkgoT())
		s.Target = NewTarget(apiName, s.Mock.URL(apiName), s.Mock.Client())
	})
	return s
}

// Do sends a request to the running spec's backend and checks the answer
// against the spec, whatever it is: every response a suite sees must
// conform, errors included.
func (s *Suite) Do(method, path string, opts ...Option) *Response {
	ginkgo.GinkgoHelper()
	res, err := s.Target.Do(method, path, opts...)
	gomega.Expect(err).NotTo(gomega.HaveOccurred())
	gomega.Expect(res).To(ConformTo(s.API))
	return res
}
