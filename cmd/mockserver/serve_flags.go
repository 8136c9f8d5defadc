package main

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
)

const serveHelp = `Usage: mockserver serve [flags]

Serves every API (the bundled Open To Close and Spark documents, plus any
--spec) and the admin API under /__mock/, until SIGINT or SIGTERM. Prints
one line per API with its base URL, then the admin and dashboard URLs.

Examples:
  mockserver serve
  mockserver serve --scenario errors --lenient
  mockserver serve --tls --tls-cert-out cert.pem --mount spark=/
  mockserver serve --spec pets=petstore.yaml --state-file state.json
  mockserver serve --spec pets=petstore.yaml --stateful pets
  MOCKSERVER_ADMIN_TOKEN=secret mockserver serve --addr 0.0.0.0:8080
`

// serveConfig is serve's flags and environment, checked.
type serveConfig struct {
	addr            string
	scenario        string
	fixturesDir     string
	specs           pairsValue
	mounts          pairsValue
	validation      mockserver.ValidationMode
	maxBody         byteSize
	storeLimit      byteSize
	adminToken      string
	logFormat       choiceValue
	logLevel        choiceValue
	tls             bool
	cors            bool
	stateless       bool
	watch           bool
	latency         time.Duration
	tlsCertOut      string
	tlsCert         string
	tlsKey          string
	stateFile       string
	shutdownTimeout time.Duration
	stateful        namesValue
	proxy           proxyConfig // proxy.go
	limits          connLimits  // limits.go
	pactStates      statesValue // pactflags.go
	pactOut         pactOut     // pactflags.go
}

// parseServe reads serve's flags, then the environment for those not
// given. Every error is a *usageError, or flag.ErrHelp after --help.
func parseServe(c *cli, args []string) (*serveConfig, error) { return parseServeFor(c, "serve", args) }

// parseServeFor parses serve's flags for serve, or for proxy (proxy.go).
func parseServeFor(c *cli, cmd string, args []string) (*serveConfig, error) {
	cfg := &serveConfig{
		specs:      pairsValue{what: "FILE"},
		mounts:     pairsValue{what: "PREFIX"},
		maxBody:    byteSize(mockserver.DefaultMaxBodyBytes),
		storeLimit: byteSize(mockserver.DefaultStoreBytes),
		logFormat:  choiceValue{"text", []string{"text", "json"}},
		logLevel:   choiceValue{"info", []string{"debug", "info", "warn", "error"}},
	}
	help, upstreamFlag := cfg.proxy.commandFlags(cmd)
	fs := newFlagSet(cmd, help)
	cfg.define(fs)
	cfg.proxy.addFlags(fs, upstreamFlag)
	cfg.limits.flags(fs)
	cfg.pactOut.flags(fs)
	if err := fs.parse(c, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usagef(cmd, "%s takes no arguments, only flags; got %q", cmd, fs.Args())
	}
	if fs.set["strict"] && fs.set["lenient"] {
		return nil, usagef(cmd, "give only one of --strict and --lenient")
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if err := cfg.proxy.check(cmd); err != nil {
		return nil, err
	}
	if err := cfg.limits.check(cmd); err != nil {
		return nil, err
	}
	if err := cfg.pactOut.check(cmd); err != nil {
		return nil, err
	}
	return cfg, nil
}

// define declares serve's flags on fs.
func (cfg *serveConfig) define(fs *flagSet) {
	fs.str(&cfg.addr, "addr", "127.0.0.1:8080")
	fs.str(&cfg.scenario, "scenario", "default")
	fs.str(&cfg.fixturesDir, "fixtures", "")
	fs.value(&cfg.specs, "spec")
	fs.value(&cfg.stateful, "stateful")
	fs.value(&cfg.mounts, "mount")
	fs.value(modeFlag{&cfg.validation, mockserver.Strict}, "strict")
	fs.value(modeFlag{&cfg.validation, mockserver.Lenient}, "lenient")
	fs.value(&cfg.maxBody, "max-body")
	fs.value(&cfg.storeLimit, "store-limit")
	fs.str(&cfg.adminToken, "admin-token", "")
	fs.value(&cfg.logFormat, "log-format")
	fs.value(&cfg.logLevel, "log-level")
	fs.boolean(&cfg.tls, "tls")
	fs.duration(&cfg.latency, "latency", 0)
	fs.boolean(&cfg.watch, "watch")
	fs.boolean(&cfg.stateless, "stateless")
	fs.boolean(&cfg.cors, "cors")
	fs.str(&cfg.tlsCertOut, "tls-cert-out", "")
	fs.str(&cfg.tlsCert, "tls-cert", "")
	fs.str(&cfg.tlsKey, "tls-key", "")
	fs.str(&cfg.stateFile, "state-file", "")
	fs.value(&cfg.pactStates, "pact-state")
	fs.duration(&cfg.shutdownTimeout, "shutdown-timeout", 10*time.Second)
}

// modeFlag is --strict or --lenient: a boolean flag that sets the
// validation mode the two share with MOCKSERVER_VALIDATION=strict|lenient
// (Strict when none is given); --strict=false means --lenient.
type modeFlag struct {
	mode *mockserver.ValidationMode
	is   mockserver.ValidationMode // the mode the flag turns on
}

func (m modeFlag) IsBoolFlag() bool { return true }

// String is "false": neither flag is on by default, strict as it is.
func (m modeFlag) String() string { return "false" }

func (m modeFlag) Set(s string) error {
	on, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	*m.mode = validationMode((m.is == mockserver.Lenient) == on)
	return nil
}

// SetEnv reads MOCKSERVER_VALIDATION, which names the mode.
func (m modeFlag) SetEnv(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "strict":
		*m.mode = mockserver.Strict
	case "lenient":
		*m.mode = mockserver.Lenient
	default:
		return errors.New("want strict or lenient")
	}
	return nil
}

func (m modeFlag) envForm() string { return "strict or lenient" }

// check refuses combinations of flags that cannot work together.
func (cfg *serveConfig) check() error {
	host, _, err := net.SplitHostPort(cfg.addr)
	if err != nil {
		return usagef("serve", "--addr %q: want HOST:PORT, such as 127.0.0.1:8080 or 0.0.0.0:8080", cfg.addr)
	}
	if !isLoopback(host) && cfg.adminToken == "" {
		return usagef("serve", "--addr %s: the admin API would be open to the network: give --admin-token (or MOCKSERVER_ADMIN_TOKEN), or listen on 127.0.0.1", cfg.addr)
	}
	if err := cfg.checkTLS(); err != nil {
		return err
	}
	if cfg.shutdownTimeout <= 0 {
		return usagef("serve", "--shutdown-timeout must be positive, such as 10s")
	}
	if cfg.latency < 0 {
		return usagef("serve", "--latency must not be negative, such as 250ms")
	}
	if cfg.scenario == "" {
		return usagef("serve", "--scenario must name a scenario, such as default")
	}
	return cfg.checkStateful()
}

func (cfg *serveConfig) checkTLS() error {
	if (cfg.tlsCert == "") != (cfg.tlsKey == "") {
		return usagef("serve", "give --tls-cert and --tls-key together")
	}
	if cfg.tlsCert != "" && cfg.tlsCertOut != "" {
		return usagef("serve", "--tls-cert-out writes a generated certificate; with --tls-cert there is none: leave one out")
	}
	if cfg.tlsCert != "" || cfg.tlsCertOut != "" {
		cfg.tls = true
	}
	return nil
}

// checkStateful refuses --stateful names that no --spec gives: the
// bundled APIs keep their own stores.
func (cfg *serveConfig) checkStateful() error {
	for _, name := range cfg.stateful.names {
		if !slices.ContainsFunc(cfg.specs.pairs, func(p pair) bool { return p.name == name }) {
			return usagef("serve", "--stateful %s: no --spec %s=FILE is given; --stateful names APIs of --spec documents", name, name)
		}
	}
	return nil
}

// validationMode is Lenient when lenient, else Strict.
func validationMode(lenient bool) mockserver.ValidationMode {
	if lenient {
		return mockserver.Lenient
	}
	return mockserver.Strict
}

// isLoopback reports whether a listen host is reachable from this machine
// only. "" and 0.0.0.0 listen on every interface.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	host, _, _ = strings.Cut(host, "%") // a zone, as in ::1%lo
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// logger returns the command's logger, batching its lines (logbuffer.go),
// and the flush to call before the command returns.
func (cfg *serveConfig) logger(w io.Writer) (*slog.Logger, func() error) {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.logLevel.value)) // the choices are slog's names
	opts := &slog.HandlerOptions{Level: level}
	buf := newLineBuffer(w, logFlushDelay, logFlushBytes)
	var h slog.Handler = newTextLines(buf, opts)
	if cfg.logFormat.value == "json" {
		h = slog.NewJSONHandler(buf, opts)
	}
	return slog.New(flushingHandler{h, buf}), buf.Flush
}
