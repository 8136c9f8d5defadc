package yamltree

import (
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

const sample = `# a comment, not kept
openapi: 3.0.3
paths:
  /notes:
    get:
      responses:
        200:
          description: "ok"
        '404': {description: missing}
tags: [a, b, 'c']
example: 2020-06-11T16:32:50-03:00
count: 3
ratio: 1.5
flag: true
empty: null
block: |
  two
  lines
`

// A built tree decodes to the node tree YAML parses, with the keys and the
// date retagged as strings and nothing else changed but the comments.
func TestBuildDecode(t *testing.T) {
	tree, err := Build([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(tree)
	if err != nil {
		t.Fatal(err)
	}
	var want yaml.Node
	if err := yaml.Unmarshal([]byte(sample), &want); err != nil {
		t.Fatal(err)
	}
	normalise(&want)
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("decoded tree differs from the parsed one")
	}
	status := got.Content[0].Content[3].Content[1].Content[1].Content[1].Content[0]
	if status.Value != "200" || status.Tag != "!!str" {
		t.Errorf("status key = %q %s, want \"200\" !!str", status.Value, status.Tag)
	}
	var back map[string]any
	if err := got.Decode(&back); err != nil {
		t.Fatal(err)
	}
	if back["example"] != "2020-06-11T16:32:50-03:00" || back["count"] != 3 || back["block"] != "two\nlines\n" {
		t.Errorf("decoded values: %v", back)
	}
}

// normalise is what Build is documented to do to a tree: the expectation,
// written out for the test's one sample.
func normalise(n *yaml.Node) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	if n.Tag == "!!timestamp" {
		n.Tag = "!!str"
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i < len(n.Content); i += 2 {
			n.Content[i].Tag = "!!str"
		}
	}
	for _, c := range n.Content {
		normalise(c)
	}
}

func TestBuildRefuses(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"a: &x 1\nb: *x\n", "anchors and aliases"},
		{"a: !mine 1\n", "local tag"},
		{"a: .inf\n", "no JSON representation"},
		{"~: 1\n", "key is null"},
		{"a: {b: 1}\nc:\n  <<: {d: 2}\n", "merge keys"},
		{"a: [\n", "parse"},
	} {
		_, err := Build([]byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Build(%q) = %v, want an error containing %q", tc.doc, err, tc.want)
		}
	}
}

func TestDecodeRefusesCorrupt(t *testing.T) {
	tree, err := Build([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{nil, {0}, tree[:len(tree)-1], append(tree[:len(tree):len(tree)], 0)} {
		if _, err := Decode(bad); err == nil {
			t.Errorf("Decode(% x...) accepted a corrupt tree", bad[:min(len(bad), 8)])
		}
	}
}

// Decode never panics, and what it accepts encodes to a tree that decodes
// the same.
func FuzzDecode(f *testing.F) {
	tree, err := Build([]byte(sample))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tree)
	f.Add([]byte{1, 0, 1, 8, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := Decode(data)
		if err != nil {
			return
		}
		again, err := Encode(root)
		if err != nil {
			t.Fatalf("Encode of a decoded tree: %v", err)
		}
		back, err := Decode(again)
		if err != nil || !reflect.DeepEqual(back, root) {
			t.Fatalf("re-encoded tree decodes to %v, %v", back, err)
		}
		var v any
		_ = root.Decode(&v)
	})
}
