package yamltree

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v4"
)

// The tags kin-openapi rewrites before decoding a tree.
const (
	strTag       = "!!str"
	nullTag      = "!!null"
	floatTag     = "!!float"
	timestampTag = "!!timestamp"
	mergeTag     = "!!merge"
)

// minNodeBytes is the smallest encoding of a node: seven uvarints.
const minNodeBytes = 7

// Build parses a YAML document, prepares its tree as kin-openapi would,
// and encodes it.
func Build(document []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(document, &root); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if err := prepare(&root); err != nil {
		return nil, err
	}
	return Encode(&root)
}

// prepare retags what kin-openapi retags and refuses what it would rewrite
// in other ways or refuse.
func prepare(n *yaml.Node) error {
	switch {
	case n.Kind == yaml.AliasNode || n.Anchor != "":
		return fmt.Errorf("line %d: anchors and aliases are not kept", n.Line)
	case strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!"):
		return fmt.Errorf("line %d: local tag %s is not kept", n.Line, n.Tag)
	case n.Tag == floatTag && isInfOrNaN(n.Value):
		return fmt.Errorf("line %d: %s has no JSON representation", n.Line, n.Value)
	case n.Tag == timestampTag:
		n.Tag = strTag
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			switch {
			case k.Tag == mergeTag:
				return fmt.Errorf("line %d: merge keys are not kept", k.Line)
			case k.Tag == nullTag:
				return fmt.Errorf("line %d: mapping key is null", k.Line)
			case k.Kind == yaml.ScalarNode:
				k.Tag = strTag
			}
		}
	}
	for _, c := range n.Content {
		if err := prepare(c); err != nil {
			return err
		}
	}
	return nil
}

func isInfOrNaN(v string) bool {
	switch strings.ToLower(strings.TrimLeft(v, "+-")) {
	case ".inf", ".nan":
		return true
	}
	return false
}

// Encode writes a tree of document, mapping, sequence and scalar nodes:
// a table of the distinct strings, then each node in preorder as kind,
// style, tag, value (indexes into the table), line, column and number of
// children, every number a uvarint. Comments are left out.
func Encode(root *yaml.Node) ([]byte, error) {
	e := encoder{index: map[string]uint64{}}
	if err := e.collect(root); err != nil {
		return nil, err
	}
	out := binary.AppendUvarint(nil, uint64(len(e.table)))
	for _, s := range e.table {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	out = binary.AppendUvarint(out, uint64(e.nodes))
	return e.appendNode(out, root), nil
}

type encoder struct {
	table []string
	index map[string]uint64
	nodes int
}

func (e *encoder) collect(n *yaml.Node) error {
	if n.Kind == yaml.AliasNode || n.Kind == yaml.StreamNode || n.Kind == 0 || n.Anchor != "" {
		return fmt.Errorf("line %d: node of kind %d (anchor %q) cannot be encoded", n.Line, n.Kind, n.Anchor)
	}
	e.nodes++
	e.intern(n.Tag)
	e.intern(n.Value)
	for _, c := range n.Content {
		if err := e.collect(c); err != nil {
			return err
		}
	}
	return nil
}

func (e *encoder) intern(s string) {
	if _, ok := e.index[s]; !ok {
		e.index[s] = uint64(len(e.table))
		e.table = append(e.table, s)
	}
}

func (e *encoder) appendNode(out []byte, n *yaml.Node) []byte {
	for _, v := range []uint64{uint64(n.Kind), uint64(n.Style), e.index[n.Tag], e.index[n.Value],
		uint64(n.Line), uint64(n.Column), uint64(len(n.Content))} {
		out = binary.AppendUvarint(out, v)
	}
	for _, c := range n.Content {
		out = e.appendNode(out, c)
	}
	return out
}

// errCorrupt is any input Encode cannot have written.
var errCorrupt = errors.New("yamltree: corrupt tree")

// Decode rebuilds the tree Encode wrote. Every node comes from one
// allocation and every string from one copy of data.
func Decode(data []byte) (*yaml.Node, error) {
	d := decoder{text: string(data)}
	n := d.uvarint()
	if d.err != nil || n > uint64(len(data)) {
		return nil, errCorrupt
	}
	d.table = make([]string, n)
	for i := range d.table {
		size := d.uvarint()
		if d.err != nil || size > uint64(len(d.text)-d.at) {
			return nil, errCorrupt
		}
		d.table[i] = d.text[d.at : d.at+int(size)]
		d.at += int(size)
	}
	count := d.uvarint()
	if d.err != nil || count == 0 || count > uint64(len(d.text)-d.at)/minNodeBytes {
		return nil, errCorrupt
	}
	d.nodes = make([]yaml.Node, count)
	d.children = make([]*yaml.Node, count-1)
	root := d.node()
	if d.err != nil || d.used != len(d.nodes) || d.at != len(d.text) {
		return nil, errCorrupt
	}
	return root, nil
}

type decoder struct {
	text     string
	at       int
	table    []string
	nodes    []yaml.Node
	used     int // nodes handed out
	children []*yaml.Node
	linked   int // children handed out
	err      error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		if d.at >= len(d.text) {
			break
		}
		b := d.text[d.at]
		d.at++
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return v
		}
	}
	d.err = errCorrupt
	return 0
}

func (d *decoder) str() string {
	i := d.uvarint()
	if i >= uint64(len(d.table)) {
		d.err = errCorrupt
		return ""
	}
	return d.table[i]
}

// node decodes one node and its children, depth first.
func (d *decoder) node() *yaml.Node {
	if d.used == len(d.nodes) {
		d.err = errCorrupt
		return nil
	}
	n := &d.nodes[d.used]
	d.used++
	switch n.Kind = yaml.Kind(d.uvarint()); n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode, yaml.MappingNode, yaml.ScalarNode:
	default: // an alias without its target would crash a decoder
		d.err = errCorrupt
		return nil
	}
	n.Style = yaml.Style(d.uvarint())
	n.Tag = d.str()
	n.Value = d.str()
	n.Line = int(d.uvarint())
	n.Column = int(d.uvarint())
	kids := d.uvarint()
	if d.err != nil || kids > uint64(len(d.children)-d.linked) {
		d.err = errCorrupt
		return nil
	}
	if kids == 0 {
		return n
	}
	n.Content = d.children[d.linked : d.linked+int(kids) : d.linked+int(kids)]
	d.linked += int(kids)
	for i := range n.Content {
		if n.Content[i] = d.node(); d.err != nil {
			return nil
		}
	}
	return n
}
