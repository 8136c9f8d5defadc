package main

import (
	"runtime/debug"
	"testing"
)

// The start's pace applies only where it is looser than the one set, and
// the one set comes back after.
func TestLoosenGC(t *testing.T) {
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })
	tests := []struct {
		name        string
		set, during int
	}{
		{"the default", 100, startGCPercent},
		{"a tighter GOGC", 50, startGCPercent},
		{"a looser GOGC", 2 * startGCPercent, 2 * startGCPercent},
		{"GOGC=off", -1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			debug.SetGCPercent(tt.set)
			restore := loosenGC()
			if got := debug.SetGCPercent(tt.during); got != tt.during {
				t.Errorf("while loading: %d, want %d", got, tt.during)
			}
			restore()
			if got := debug.SetGCPercent(tt.set); got != tt.set {
				t.Errorf("after: %d, want %d back", got, tt.set)
			}
		})
	}
}
