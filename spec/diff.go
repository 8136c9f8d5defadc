package spec

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/what-changed/model"
)

// Change is one difference between two versions of a document.
type Change struct {
	// Path says where in the document the change is, as dot-separated keys
	// ending with Property: "paths./pets.get",
	// "components.schemas.NewPet.required".
	Path string
	// Property is the key that changed: "get", "required", "tag".
	Property string
	// Kind is "added", "removed" or "modified".
	Kind string
	// Old and New are the values before and after, when libopenapi has a
	// scalar to show; an added or removed object leaves them empty.
	Old, New string
	// OldLine and NewLine locate the change in each document (1-based);
	// 0 where the change has no position there, as for an addition in the
	// old document.
	OldLine, NewLine int
	// Breaking is libopenapi's verdict: a client written against the old
	// document may fail against the new one.
	Breaking bool
}

// String renders the change on one line, the way a CI log shows it.
func (c Change) String() string {
	var b strings.Builder
	if c.Breaking {
		b.WriteString("BREAKING ")
	}
	fmt.Fprintf(&b, "%s %s", c.Kind, c.Path)
	switch {
	case c.Old != "" && c.New != "":
		fmt.Fprintf(&b, ": %q -> %q", c.Old, c.New)
	case c.Old != "":
		fmt.Fprintf(&b, ": %q", c.Old)
	case c.New != "":
		fmt.Fprintf(&b, ": %q", c.New)
	}
	return b.String()
}

// DiffReport lists every difference between two versions of a document,
// breaking ones first, then by path.
type DiffReport struct {
	Changes []Change
}

// Breaking returns the breaking changes.
func (r *DiffReport) Breaking() []Change {
	var out []Change
	for _, c := range r.Changes {
		if c.Breaking {
			out = append(out, c)
		}
	}
	return out
}

// HasBreaking reports whether any change would break an existing client;
// the diff command fails the build on it.
func (r *DiffReport) HasBreaking() bool {
	return slices.ContainsFunc(r.Changes, func(c Change) bool { return c.Breaking })
}

// Diff compares two versions of an OpenAPI document with libopenapi's
// what-changed and its default breaking-change rules. Unlike Parse it does
// not validate either document with kin-openapi: a diff is about what
// changed, and an invalid new version is the concern of the load that
// serves it.
func Diff(oldDoc, newDoc []byte) (*DiffReport, error) {
	oldLib, err := buildDocument(oldDoc)
	if err != nil {
		return nil, fmt.Errorf("diff: old document: %w", err)
	}
	newLib, err := buildDocument(newDoc)
	if err != nil {
		return nil, fmt.Errorf("diff: new document: %w", err)
	}
	changes, err := libopenapi.CompareDocuments(oldLib, newLib)
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}

	report := &DiffReport{}
	if changes == nil { // libopenapi's way of saying "identical"
		return report, nil
	}
	paths := map[*model.Change]string{}
	walkChanges(reflect.ValueOf(changes), nil, paths)
	for _, c := range changes.GetAllChanges() {
		change := newChange(c, paths[c])
		if change.Path == "openapi" && servedVersion(change.Old) && servedVersion(change.New) {
			// libopenapi calls any version change breaking; between the
			// versions served (3.0 to 3.1, say) the label alone breaks no
			// client, and what the new version's schemas change is
			// reported as changes of their own.
			change.Breaking = false
		}
		report.Changes = append(report.Changes, change)
	}
	slices.SortStableFunc(report.Changes, func(a, b Change) int {
		if a.Breaking != b.Breaking {
			if a.Breaking {
				return -1
			}
			return 1
		}
		return cmp.Or(
			strings.Compare(a.Path, b.Path),
			strings.Compare(a.Kind, b.Kind),
			cmp.Compare(a.OldLine, b.OldLine),
			cmp.Compare(a.NewLine, b.NewLine),
			strings.Compare(a.Old, b.Old),
			strings.Compare(a.New, b.New),
		)
	})
	return report, nil
}

// buildDocument reads a document and builds its v3 model up front, so a
// failure is reported against the right document; CompareDocuments reuses
// the model libopenapi caches in the Document.
func buildDocument(data []byte) (libopenapi.Document, error) {
	doc, err := libopenapi.NewDocument(data)
	if err != nil {
		return nil, fmt.Errorf("libopenapi cannot read it: %w", err)
	}
	if _, err := doc.BuildV3Model(); err != nil {
		return nil, fmt.Errorf("libopenapi rejects it: %w", err)
	}
	return doc, nil
}

func newChange(c *model.Change, path string) Change {
	out := Change{Path: path, Property: c.Property, Old: c.Original, New: c.New, Breaking: c.Breaking}
	if out.Path == "" { // not reached by walkChanges: say at least what changed
		out.Path = c.Property
	}
	switch c.ChangeType {
	case model.PropertyAdded, model.ObjectAdded:
		out.Kind = "added"
	case model.PropertyRemoved, model.ObjectRemoved:
		out.Kind = "removed"
	default:
		out.Kind = "modified"
	}
	if c.Context != nil {
		if c.Context.OriginalLine != nil {
			out.OldLine = *c.Context.OriginalLine
		}
		if c.Context.NewLine != nil {
			out.NewLine = *c.Context.NewLine
		}
	}
	return out
}

// changesPkg is the package of libopenapi's change tree; walkChanges
// descends only into its types, not into the document models some of them
// carry (ServerChanges.Server).
var changesPkg = reflect.TypeFor[model.Change]().PkgPath()

// walkChanges records, for every change in the tree under v, the document
// path of its parent object. libopenapi leaves Change.Path empty, but its
// change tree mirrors the document: struct fields are document keys (under
// their JSON tags, some spelled differently from the OpenAPI keys) and map
// keys are paths, status codes, media types or schema names.
//
// Maps are walked in key order and a change keeps the first path found, so
// the result does not depend on map iteration order.
func walkChanges(v reflect.Value, path []string, paths map[*model.Change]string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if c, ok := v.Interface().(*model.Change); ok {
			if _, seen := paths[c]; !seen {
				paths[c] = strings.Join(append(slices.Clip(path), c.Property), ".")
			}
			return
		}
		walkChanges(v.Elem(), path, paths)
	case reflect.Slice:
		walkSlice(v, path, paths)
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			walkChanges(v.MapIndex(k), append(slices.Clip(path), k.String()), paths)
		}
	case reflect.Struct:
		if v.Type().PkgPath() == changesPkg {
			walkStruct(v, path, paths)
		}
	}
}

func walkSlice(v reflect.Value, path []string, paths map[*model.Change]string) {
	for i := range v.Len() {
		elem := v.Index(i)
		// Parameters are a list in the document but are known by name.
		if p, ok := elem.Interface().(*model.ParameterChanges); ok && p != nil && p.Name != "" {
			walkChanges(elem, append(slices.Clip(path), p.Name), paths)
			continue
		}
		walkChanges(elem, path, paths)
	}
}

func walkStruct(v reflect.Value, path []string, paths map[*model.Change]string) {
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		key := documentKey(f)
		if f.Anonymous || key == "" {
			// The embedded *PropertyChanges are this object's own changes.
			walkChanges(v.Field(i), path, paths)
			continue
		}
		walkChanges(v.Field(i), append(slices.Clip(path), key), paths)
	}
}

// documentKey is the OpenAPI key for a field of the change tree, "" for a
// level the document does not have: an object's own list of changes, the
// maps of path items under paths, of responses under responses and of
// callback expressions, and extensions, which Change.Property names.
func documentKey(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch tag {
	case "", "-":
		return ""
	case "changes", "pathItems", "response", "expressions", "extensions":
		return ""
	case "schemas":
		// A map under components, one schema elsewhere.
		if f.Type.Kind() == reflect.Map {
			return "schemas"
		}
		return "schema"
	case "requestBodies":
		return "requestBody"
	case "externalDoc":
		return "externalDocs"
	case "securityRequirements":
		return "security"
	case "itemSchemas":
		return "itemSchema"
	case "serverVariables":
		return "variables"
	case "oAuthFlow":
		return "flows"
	case "authCode":
		return "authorizationCode"
	case "mappings":
		return "mapping"
	}
	return tag
}
