package spec_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/spec"
)

// readDiffDoc reads one document from testdata/diff.
func readDiffDoc(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "diff", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Each variant of testdata/diff/base.yaml makes one change; the test pins
// the change libopenapi reports for it, and whether it breaks clients.
func TestDiff(t *testing.T) {
	base := readDiffDoc(t, "base.yaml")
	spark, err := spec.Embedded("spark")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		old, new []byte
		want     []spec.Change // exactly the changes reported
	}{
		{
			name: "removed operation",
			old:  base, new: readDiffDoc(t, "removed-operation.yaml"),
			want: []spec.Change{{
				Path: "paths./pets/{petId}.delete", Property: "delete", Kind: "removed",
				OldLine: 50, Breaking: true,
			}},
		},
		{
			name: "optional request field made required",
			old:  base, new: readDiffDoc(t, "required-field.yaml"),
			want: []spec.Change{{
				Path: "components.schemas.NewPet.required", Property: "required", Kind: "added",
				New: "tag", NewLine: 60, Breaking: true,
			}},
		},
		{
			name: "optional property added",
			old:  base, new: readDiffDoc(t, "optional-property.yaml"),
			want: []spec.Change{{
				Path: "components.schemas.Pet.properties", Property: "properties", Kind: "added",
				New: "age", NewLine: 77,
			}},
		},
		{name: "identical documents", old: base, new: base},
		{name: "bundled spark against itself", old: spark, new: spark},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			report, err := spec.Diff(tt.old, tt.new)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(report.Changes, tt.want) {
				t.Errorf("changes:\n%s\nwant:\n%s", describe(report.Changes), describe(tt.want))
			}
			wantBreaking := slices.DeleteFunc(slices.Clone(tt.want), func(c spec.Change) bool { return !c.Breaking })
			if got := report.Breaking(); !slices.Equal(got, wantBreaking) {
				t.Errorf("Breaking() = %v, want %v", got, wantBreaking)
			}
			if got := report.HasBreaking(); got != (len(wantBreaking) > 0) {
				t.Errorf("HasBreaking() = %v, want %v", got, !got)
			}
		})
	}
}

// describe lists changes with all their fields, which String leaves out.
func describe(changes []spec.Change) string {
	type fields spec.Change // without the String method
	var b strings.Builder
	for _, c := range changes {
		fmt.Fprintf(&b, "  %+v\n", fields(c))
	}
	return b.String()
}

// A report lists breaking changes first, then by path, whatever order
// libopenapi found them in.
func TestDiffOrder(t *testing.T) {
	old := readDiffDoc(t, "base.yaml")
	// Remove an operation and add an optional property at once.
	newDoc := strings.Replace(string(readDiffDoc(t, "optional-property.yaml")),
		"    delete:\n      operationId: deletePet\n      responses:\n        \"204\":\n          description: Deleted.\n", "", 1)
	report, err := spec.Diff(old, []byte(newDoc))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range report.Changes {
		got = append(got, c.String())
	}
	want := []string{
		`BREAKING removed paths./pets/{petId}.delete`,
		`added components.schemas.Pet.properties: "age"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("changes = %q, want %q", got, want)
	}
}

func TestDiffErrors(t *testing.T) {
	base, malformed := readDiffDoc(t, "base.yaml"), readDiffDoc(t, "malformed.yaml")
	tests := []struct {
		name     string
		old, new []byte
		want     string
	}{
		{"malformed new", base, malformed, "new document"},
		{"malformed old", malformed, base, "old document"},
		{"not OpenAPI", base, []byte("just: yaml\n"), "new document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			report, err := spec.Diff(tt.old, tt.new)
			if err == nil {
				t.Fatalf("no error; report %v", report)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

func ExampleDiff() {
	oldDoc := []byte(`openapi: 3.0.3
info: {title: Pets, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        name: {type: string}
`)
	newDoc := []byte(`openapi: 3.0.3
info: {title: Pets, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
        age: {type: integer}
`)
	report, err := spec.Diff(oldDoc, newDoc)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range report.Changes {
		fmt.Println(c)
	}
	fmt.Println("breaking:", report.HasBreaking())
	// Output:
	// BREAKING added components.schemas.Pet.required: "name"
	// added components.schemas.Pet.properties: "age"
	// breaking: true
}
