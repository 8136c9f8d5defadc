package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/record"
	"github.com/realestate-mocks/mockserver/spec"
)

const proxyHelp = `Usage: mockserver proxy --upstream NAME=URL [--upstream NAME=URL ...] [flags]

Stands between a client and the real service: serves the APIs named by
--upstream at the same mounts as serve, forwards every call to that API's
upstream unchanged (method, path below the mount, query, headers with the
credentials, body), and streams the real answer back unchanged. Each request
and each real answer is checked against the spec: the rules broken are named
in the X-Mock-Violation header (nothing else changes), kept in the journal
(GET /__mock/requests) and grouped in GET /__mock/violations. An upstream
that cannot be reached answers 502, one slower than --upstream-timeout 504,
both in the API's own error envelope.

--report FILE writes, at shutdown, the violations and the coverage as JSON
to FILE and as JUnit XML (one case per operation, one failure per rule
broken) beside it, with .junit.xml in place of the extension. --record DIR
writes what was seen as a scenario, DIR/<name>.yaml, that
'mockserver serve --fixtures DIR --scenario <name>' replays.
Credentials (Authorization, api_token, any security scheme's value) are
never written: not to the journal, the logs, the report or the recording.

Examples:
  mockserver proxy --upstream spark=https://sparkapi.com/v1 --mount spark=/ --tls
  mockserver proxy --upstream opentoclose=https://api.opentoclose.com/v1 \
      --report drift.json --fail-on-violation
  mockserver proxy --upstream spark=https://sparkapi.com/v1 --record fixtures/ --record-name live
  mockserver serve --proxy spark=https://sparkapi.com/v1    (Open To Close mocked)
`

// proxyConfig is what proxy, and serve --proxy, add to serve.
type proxyConfig struct {
	// only serves the upstreams' APIs (the proxy command).
	only            bool
	upstreams       pairsValue
	timeout         time.Duration
	report          string
	recordDir       string
	recordName      string
	failOnViolation bool

	// Set by prepare.
	opts *mockserver.ProxyOptions
	run  *proxyRun
}

// addFlags registers the proxy flags; upstream is the flag naming the
// upstreams: "upstream" for proxy, "proxy" for serve.
func (p *proxyConfig) addFlags(fs *flagSet, upstream string) {
	p.upstreams = pairsValue{what: "URL"}
	fs.value(&p.upstreams, upstream)
	fs.duration(&p.timeout, "upstream-timeout", mockserver.DefaultUpstreamTimeout)
	fs.str(&p.report, "report", "")
	fs.str(&p.recordDir, "record", "")
	fs.str(&p.recordName, "record-name", "recorded")
	fs.boolean(&p.failOnViolation, "fail-on-violation")
}

// commandFlags is the help and the upstream flag of serve or proxy.
func (p *proxyConfig) commandFlags(cmd string) (help, upstream string) {
	if cmd == "proxy" {
		p.only = true
		return proxyHelp, "upstream"
	}
	return serveHelp, "proxy"
}

func runProxy(ctx context.Context, c *cli, args []string) error {
	cfg, err := parseServeFor(c, "proxy", args)
	if err != nil {
		return helpOK(err)
	}
	return serve(ctx, c, cfg)
}

// check refuses what cannot work, once the flags are parsed.
func (p *proxyConfig) check(cmd string) error {
	if p.only && len(p.upstreams.pairs) == 0 {
		return usagef(cmd, "give at least one --upstream NAME=URL, such as --upstream spark=https://sparkapi.com/v1")
	}
	if p.timeout <= 0 {
		return usagef(cmd, "--upstream-timeout must be positive, such as 30s")
	}
	if len(p.upstreams.pairs) == 0 && (p.report != "" || p.recordDir != "" || p.failOnViolation) {
		return usagef(cmd, "--report, --record and --fail-on-violation need an upstream: give --proxy NAME=URL")
	}
	return nil
}

// keep refuses an upstream for an API that is not served and, for the
// proxy command, drops the documents of the APIs not forwarded.
func (p *proxyConfig) keep(docs *documents) error {
	var names []string
	for _, pk := range docs.packs {
		names = append(names, pk.API.Name)
	}
	for _, a := range docs.apis {
		names = append(names, a.Name)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	forwarded := func(name string) bool {
		return slices.ContainsFunc(p.upstreams.pairs, func(u pair) bool { return u.name == name })
	}
	for _, u := range p.upstreams.pairs {
		if !slices.Contains(names, u.name) {
			return fmt.Errorf("upstream for %q: no such API (known: %s); give its document with --spec %s=FILE", u.name, strings.Join(names, ", "), u.name)
		}
	}
	if p.only {
		docs.packs = slices.DeleteFunc(docs.packs, func(pk *mockserver.Pack) bool { return !forwarded(pk.API.Name) })
		docs.apis = slices.DeleteFunc(docs.apis, func(a *spec.API) bool { return !forwarded(a.Name) })
	}
	return nil
}

// prepare keeps the documents to serve and makes the Server's
// ProxyOptions and the run that writes the report and the recording.
func (p *proxyConfig) prepare(docs *documents) error {
	if err := p.keep(docs); err != nil {
		return err
	}
	var err error
	p.opts, p.run, err = p.options()
	return err
}

// proxyRun is the proxy side of one serve run: its recorder, if any.
type proxyRun struct {
	cfg *proxyConfig
	rec *record.Recorder
	// learners is the recorder's map, filled once the Server exists.
	learners map[string]mockserver.Learner
}

// options makes the Server's ProxyOptions, and the run that writes the
// report and the recording at shutdown.
func (p *proxyConfig) options() (*mockserver.ProxyOptions, *proxyRun, error) {
	if len(p.upstreams.pairs) == 0 {
		return nil, nil, nil
	}
	run := &proxyRun{cfg: p}
	opts := &mockserver.ProxyOptions{Upstreams: p.upstreams.toMap(), Timeout: p.timeout}
	if p.recordDir != "" {
		learners := map[string]mockserver.Learner{}
		rec, err := record.New(record.Options{Dir: p.recordDir, Name: p.recordName, Upstreams: opts.Upstreams, Learners: learners})
		if err != nil {
			return nil, nil, err
		}
		run.rec = rec
		// Learners come from the Server, which is built after its options.
		opts.OnExchange = rec.Observe
		run.learners = learners
	}
	return opts, run, nil
}

// started gives the recorder the Server's learners.
func (r *proxyRun) started(s *mockserver.Server) {
	if r == nil || r.rec == nil {
		return
	}
	for _, name := range s.APINames() {
		if l := s.NewLearner(name); l != nil && s.Upstream(name) != "" {
			r.learners[name] = l
		}
	}
}

// finish writes the report and the recording at shutdown, and says
// whether the run broke the spec when that fails it.
func (r *proxyRun) finish(s *mockserver.Server, log *slog.Logger) error {
	if r == nil {
		return nil
	}
	var errs []error
	if r.cfg.report != "" {
		files, err := writeReport(r.cfg.report, s)
		if err != nil {
			errs = append(errs, err)
		} else {
			log.Info("report written", "files", files)
		}
	}
	if r.rec != nil {
		path, err := r.rec.Path(), writeRecording(r.rec)
		if err != nil {
			errs = append(errs, err)
		} else {
			log.Info("recording written", "file", path)
		}
	}
	if v := s.Violations(); r.cfg.failOnViolation && v.Total > 0 {
		errs = append(errs, fmt.Errorf("%d violations of the spec in %d groups (--fail-on-violation); see GET /__mock/violations or --report", v.Total, len(v.Groups)))
	}
	return errors.Join(errs...)
}

// forwardedTo is the start-up line's note for a forwarded API.
func forwardedTo(s *mockserver.Server, api string) string {
	if u := s.Upstream(api); u != "" {
		return "  -> " + u
	}
	return ""
}

func writeRecording(rec *record.Recorder) error {
	data, err := rec.Marshal()
	if err == nil {
		err = writeFileAtomic(rec.Path(), data, 0o644)
	}
	if err != nil {
		return fmt.Errorf("recording: %w", err)
	}
	return nil
}
