package verify

import (
	"os"
	"testing"
)

func TestScratch(t *testing.T) {
	r := verifyFiles(t, bundledOptions(t), "spark-faithful.json", "opentoclose-faithful.json", "spark-v4.json", "spark-wrong.json", "opentoclose-wrong.json")
	r.WriteText(os.Stdout)
}
