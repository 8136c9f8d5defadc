// Package yamltree keeps a YAML document's node tree in a compact binary
// form that reads back without parsing YAML.
//
// The bundled OpenAPI documents are parsed at every start, and most of that
// parse is the YAML scanner building the node tree that kin-openapi then
// decodes into its model. Build runs that scan once, at go generate time,
// and Decode rebuilds the same tree from its output in one pass over a few
// tens of kilobytes; kin-openapi decodes it as it would its own.
//
// Build also applies what kin-openapi does to a tree before decoding it,
// for the nodes it can meet in a document it accepts: mapping keys that
// YAML resolves to another type (the unquoted status 200) and date-shaped
// scalars become strings. A tree with anything else kin-openapi would
// rewrite or refuse (aliases, anchors, local tags, null keys, infinities,
// merge keys) is refused, so the stored tree is always one the loader takes
// unchanged. Comments are not kept: no decoder reads them.
package yamltree
