package main

import (
	"os"
	"path/filepath"
	"testing"
)

// parseTestdata is parse of the file testdata/name: a real tool's output
// kept as it was printed. Either error fails the test.
func parseTestdata[T any](t *testing.T, name string, parse func([]byte) (T, error)) T {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	v, err := parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
