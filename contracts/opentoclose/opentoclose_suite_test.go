package opentoclose_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestOpenToClose(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Open To Close Property Contacts contract")
}
