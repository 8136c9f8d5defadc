package main

import (
	"slices"
	"testing"
)

func TestServerEnvRunsTheDefaults(t *testing.T) {
	env := []string{"PATH=/bin", "MOCKSERVER_LOG_LEVEL=debug", "GOMAXPROCS=8", "HOME=/root"}
	for _, tc := range []struct {
		pin  bool
		want []string
	}{
		{true, []string{"PATH=/bin", "HOME=/root", "GOMAXPROCS=1"}},
		{false, []string{"PATH=/bin", "HOME=/root"}},
	} {
		if got := serverEnv(env, tc.pin); !slices.Equal(got, tc.want) {
			t.Errorf("pin %v: %q, want %q", tc.pin, got, tc.want)
		}
	}
	if env[1] != "MOCKSERVER_LOG_LEVEL=debug" {
		t.Errorf("serverEnv changed its input: %q", env)
	}
}
