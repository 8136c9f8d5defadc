package main

import (
	"context"
	"fmt"
	"io"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// rssSample is the mock's resident set after some requests of the soak.
type rssSample struct {
	requests uint64
	kib      int64
}

// soak drives the mock alone with the mix, at full speed, until it has
// answered n requests (or ctx ends), reading its RSS ten times on the way:
// what "not growing after a million requests" is read from.
func soak(ctx context.Context, cfg config, s *server, n uint64) []rssSample {
	a := newAttacker(cfg)
	stop := context.AfterFunc(ctx, func() { a.Stop() })
	defer stop()
	step := max(n/10, 1)
	samples := []rssSample{{0, rss(s.cmd.Process.Pid)}}
	var done uint64
	for range a.Attack(targeter(s.base, mix), vegeta.Rate{}, 0, "soak") {
		done++
		if done%step == 0 {
			samples = append(samples, rssSample{done, rss(s.cmd.Process.Pid)})
		}
		if done == n {
			a.Stop()
		}
	}
	return samples
}

// reportSoak prints the samples and the growth over the second half,
// which is past the journal's and caches' filling: a leak shows there.
func reportSoak(w io.Writer, samples []rssSample, took time.Duration) {
	fmt.Fprintf(w, "\nsoak: the mix on the mock alone, %d requests in %s\n\n| requests | RSS MB |\n|---:|---:|\n",
		samples[len(samples)-1].requests, took.Round(time.Second))
	for _, s := range samples {
		fmt.Fprintf(w, "| %d | %.1f |\n", s.requests, mb(s.kib))
	}
	if len(samples) < 3 {
		return
	}
	half, last := samples[len(samples)/2], samples[len(samples)-1]
	fmt.Fprintf(w, "\nRSS from %d to %d requests: %+.1f MB (%.2f×)\n", half.requests, last.requests,
		mb(last.kib-half.kib), float64(last.kib)/float64(half.kib))
}
