package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// rssSample is the mock's resident set after some requests of the soak.
type rssSample struct {
	requests uint64
	kib      int64
}

// soak drives s alone with the mix, at full speed, in about ten wrk runs
// of a tenth of n each (sized from rate, the req/s it served the mix at),
// until it has answered n requests or ctx ends, reading its RSS after
// each: what "not growing after a million requests" is read from.
func soak(ctx context.Context, gen *generator, s *server, n uint64, rate float64) (samples []rssSample, errs uint64, err error) {
	chunk := time.Second
	if rate > 0 {
		chunk = max(chunk, time.Duration(float64(max(n/10, 1))/rate*float64(time.Second)))
	}
	samples = []rssSample{{0, rss(s.pid())}}
	var done uint64
	for done < n {
		run, _, err := gen.run(ctx, s.base, mix, 0, chunk)
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			return samples, errs, err
		}
		done += run.requests
		errs += run.errors()
		s.requests += run.requests
		samples = append(samples, rssSample{done, rss(s.pid())})
	}
	return samples, errs, nil
}

// reportSoak prints the samples and the growth over the second half,
// which is past the journal's and caches' filling: a leak shows there.
func reportSoak(w io.Writer, s *server, samples []rssSample, errs uint64, took time.Duration) {
	fmt.Fprintf(w, "\nsoak: the mix on %s alone, %d requests (%d errors) in %s\n\n| requests | RSS MB |\n|---:|---:|\n",
		s.name, samples[len(samples)-1].requests, errs, took.Round(time.Second))
	for _, smp := range samples {
		fmt.Fprintf(w, "| %d | %.1f |\n", smp.requests, mb(smp.kib))
	}
	if len(samples) < 3 {
		return
	}
	half, last := samples[len(samples)/2], samples[len(samples)-1]
	fmt.Fprintf(w, "\nRSS from %d to %d requests: %+.1f MB (%.2f×)\n", half.requests, last.requests,
		mb(last.kib-half.kib), float64(last.kib)/float64(half.kib))
}
