package spec

import (
	"net/url"
	"regexp"
	"strings"
)

// PathMatch is a request path matched to one of the document's path
// templates.
type PathMatch struct {
	// Template is the path as the document writes it, below BasePath.
	Template string
	// Params are the path parameters, unescaped.
	Params map[string]string
}

// pathTable matches request paths against the document's templates
// segment by segment. It is built once at load: the mock matches every
// request through it and a profile put regexp routing at a third of a
// GET, so only segments that mix a parameter with text use a regexp.
type pathTable []pathTemplate

type pathTemplate struct {
	template string
	segments []segment
}

// segment is a literal, a whole-segment parameter ("{id}"), or, rarely,
// text around parameters ("{name}.json"), matched by re.
type segment struct {
	literal string
	param   string
	re      *regexp.Regexp
	names   []string
}

var templateParam = regexp.MustCompile(`\{[^}]+\}`)

// newPathTable keeps the document's matching order (literal segments
// before parameters, as OpenAPI asks), which decides between templates
// that both match.
func newPathTable(templates []string) pathTable {
	table := make(pathTable, 0, len(templates))
	for _, t := range templates {
		pt := pathTemplate{template: t}
		for _, s := range strings.Split(strings.TrimPrefix(t, "/"), "/") {
			pt.segments = append(pt.segments, newSegment(s))
		}
		table = append(table, pt)
	}
	return table
}

func newSegment(s string) segment {
	locs := templateParam.FindAllStringIndex(s, -1)
	switch {
	case len(locs) == 0:
		return segment{literal: s}
	case len(locs) == 1 && locs[0][0] == 0 && locs[0][1] == len(s):
		return segment{param: s[1 : len(s)-1]}
	}
	var b strings.Builder
	var names []string
	last := 0
	for _, loc := range locs {
		b.WriteString(regexp.QuoteMeta(s[last:loc[0]]))
		b.WriteString("(.+?)")
		names = append(names, s[loc[0]+1:loc[1]-1])
		last = loc[1]
	}
	return segment{re: regexp.MustCompile("^" + b.String() + regexp.QuoteMeta(s[last:]) + "$"), names: names}
}

// match binds the template to exactly these segments.
func (pt *pathTemplate) match(segs []string) (map[string]string, bool) {
	if len(segs) != len(pt.segments) {
		return nil, false
	}
	var params map[string]string
	bind := func(name, raw string) {
		if params == nil {
			params = make(map[string]string, len(pt.segments))
		}
		if v, err := url.PathUnescape(raw); err == nil {
			raw = v
		}
		params[name] = raw
	}
	for i, seg := range pt.segments {
		got := segs[i]
		switch {
		case seg.re != nil:
			sub := seg.re.FindStringSubmatch(got)
			if sub == nil {
				return nil, false
			}
			for j, name := range seg.names {
				bind(name, sub[j+1])
			}
		case seg.param != "":
			if got == "" {
				return nil, false
			}
			bind(seg.param, got)
		case seg.literal != got:
			return nil, false
		}
	}
	return params, true
}

// MatchPath finds the template that an escaped request path (BasePath
// included, as in "/v1/listings/1/shared/notes") names, in the document's
// matching order.
func (a *API) MatchPath(escaped string) (PathMatch, bool) {
	rest, ok := strings.CutPrefix(escaped, a.BasePath)
	if !ok || !strings.HasPrefix(rest, "/") {
		return PathMatch{}, false
	}
	var buf [maxStackSegments]string
	segs := appendSegments(buf[:0], rest[1:])
	for i := range a.paths {
		if params, ok := a.paths[i].match(segs); ok {
			return PathMatch{Template: a.paths[i].template, Params: params}, true
		}
	}
	return PathMatch{}, false
}

// maxStackSegments is how many path segments are split without
// allocating; a longer path still matches, on the heap.
const maxStackSegments = 16

// appendSegments is strings.Split(path, "/") into dst, which the caller
// may keep on its stack: the mock splits every request path.
func appendSegments(dst []string, path string) []string {
	for {
		seg, rest, found := strings.Cut(path, "/")
		dst = append(dst, seg)
		if !found {
			return dst
		}
		path = rest
	}
}

// MatchPathSuffix finds the template that the end of an escaped path
// names, whatever prefix a backend serves the API under; when several
// match, the longest template wins, then the document's matching order.
func (a *API) MatchPathSuffix(escaped string) (PathMatch, bool) {
	var buf [maxStackSegments]string
	segs := appendSegments(buf[:0], strings.TrimPrefix(escaped, "/"))
	var best PathMatch
	found := false
	for i := range a.paths {
		pt := &a.paths[i]
		n := len(pt.segments)
		if n > len(segs) || (found && len(pt.template) <= len(best.Template)) {
			continue
		}
		if params, ok := pt.match(segs[len(segs)-n:]); ok {
			best, found = PathMatch{Template: pt.template, Params: params}, true
		}
	}
	return best, found
}

// Templates lists the document's path templates in matching order.
func (a *API) Templates() []string {
	out := make([]string, len(a.paths))
	for i := range a.paths {
		out[i] = a.paths[i].template
	}
	return out
}
