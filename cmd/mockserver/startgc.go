package main

import "runtime/debug"

// startGCPercent is the collector's pace while serve loads its documents.
// Loading allocates a few MB in small objects (the YAML trees, kin-openapi's
// models, the scenarios), most of it garbage once loaded; at the default
// pace the collector runs its first cycles in the middle of it, and the
// parsing goroutines pay for the marking in assists: about a fifth of the
// CPU a start takes (make the start, then measure it: the commit that
// added this has the figures).
const startGCPercent = 400

// loosenGC sets the start's looser pace and returns what puts back the
// pace it replaced (the default, or GOGC's). A pace already looser, or a
// collector turned off, is left as it is.
func loosenGC() (restore func()) {
	prev := debug.SetGCPercent(startGCPercent)
	if prev < 0 || prev >= startGCPercent {
		debug.SetGCPercent(prev)
		return func() {}
	}
	return func() { debug.SetGCPercent(prev) }
}
