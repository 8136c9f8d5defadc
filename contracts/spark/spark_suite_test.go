package spark_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestSpark(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Spark Listing Notes contract")
}
