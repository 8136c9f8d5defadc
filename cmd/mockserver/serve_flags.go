package main

import (
	"io"
	"log/slog"
	"net"
	"slices"
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
	mode := cfg.define(fs)
	cfg.proxy.addFlags(fs, upstreamFlag)
	cfg.limits.flags(fs)
	cfg.pactOut.flags(fs)
	for flagName, env := range serveEnv {
		fs.envVar(flagName, env)
	}
	cfg.limits.envVars(fs)
	if err := fs.parse(c, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usagef(cmd, "%s takes no arguments, only flags; got %q", cmd, fs.Args())
	}
	var err error
	if cfg.validation, err = mode.resolve(fs, c.getenv); err != nil {
		return nil, err
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

// serveEnv names the environment variable read for each flag not given.
var serveEnv = map[string]string{
	"addr": "MOCKSERVER_ADDR", "scenario": "MOCKSERVER_SCENARIO", "fixtures": "MOCKSERVER_FIXTURES",
	"spec": "MOCKSERVER_SPEC", "mount": "MOCKSERVER_MOUNT", "max-body": "MOCKSERVER_MAX_BODY", "store-limit": "MOCKSERVER_STORE_LIMIT",
	"admin-token": "MOCKSERVER_ADMIN_TOKEN", "log-format": "MOCKSERVER_LOG_FORMAT", "log-level": "MOCKSERVER_LOG_LEVEL",
	"tls": "MOCKSERVER_TLS", "cors": "MOCKSERVER_CORS", "stateless": "MOCKSERVER_STATELESS", "watch": "MOCKSERVER_WATCH", "latency": "MOCKSERVER_LATENCY", "tls-cert-out": "MOCKSERVER_TLS_CERT_OUT", "tls-cert": "MOCKSERVER_TLS_CERT",
	"tls-key": "MOCKSERVER_TLS_KEY", "state-file": "MOCKSERVER_STATE_FILE", "shutdown-timeout": "MOCKSERVER_SHUTDOWN_TIMEOUT",
	"stateful": "MOCKSERVER_STATEFUL", "pact-state": "MOCKSERVER_PACT_STATE",
	"pact-out": "MOCKSERVER_PACT_OUT", "consumer": "MOCKSERVER_CONSUMER",
}

// modeFlags are --strict and --lenient, resolved together with
// MOCKSERVER_VALIDATION once parsed.
type modeFlags struct{ strict, lenient *bool }

// define declares serve's flags on fs.
func (cfg *serveConfig) define(fs *flagSet) modeFlags {
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "listen `address`; one that is not loopback needs --admin-token")
	fs.StringVar(&cfg.scenario, "scenario", "default", "the `name` of the scenario active at start")
	fs.StringVar(&cfg.fixturesDir, "fixtures", "", "a `dir`ectory of scenario *.yaml files, added to the bundled ones")
	fs.Var(&cfg.specs, "spec", "serve an extra or replacement OpenAPI document, as `NAME=FILE`; repeatable")
	fs.Var(&cfg.stateful, "stateful", "keep records for the --spec API `NAME`s (comma-separated): POST creates, GET lists and reads, PUT/PATCH update, DELETE removes")
	fs.Var(&cfg.mounts, "mount", "serve API NAME under `NAME=PREFIX` instead of /NAME; / is the root; repeatable")
	mode := modeFlags{
		strict:  fs.Bool("strict", false, "a response that breaks the spec becomes a 500 saying why (the default) (env MOCKSERVER_VALIDATION=strict)"),
		lenient: fs.Bool("lenient", false, "a response that breaks the spec is sent, logged and flagged in "+mockserver.ViolationHeader+" (env MOCKSERVER_VALIDATION=lenient)"),
	}
	fs.Var(&cfg.maxBody, "max-body", "the largest request body accepted (413 beyond), in `bytes`: 1048576, 512KiB, 1MiB")
	fs.Var(&cfg.storeLimit, "store-limit", "the most `bytes` of records (as JSON) each API keeps; a write past it answers 413 in the API's envelope: 64MiB, 512MiB")
	fs.StringVar(&cfg.adminToken, "admin-token", "", "require Authorization: Bearer `token` on the admin API; prefer the env variable, which ps does not show")
	fs.Var(&cfg.logFormat, "log-format", "log `format` on stderr: text or json")
	fs.Var(&cfg.logLevel, "log-level", "log `level`: debug, info, warn or error")
	fs.BoolVar(&cfg.tls, "tls", false, "serve HTTPS with a self-signed certificate made at start")
	fs.DurationVar(&cfg.latency, "latency", 0, "add this `duration` to every API call, on top of the scenario's (e.g. 250ms)")
	fs.BoolVar(&cfg.watch, "watch", false, "reload the --spec files and the --fixtures directory when they change, keeping the records")
	fs.BoolVar(&cfg.stateless, "stateless", false, "answer writes as usual but keep nothing they change: every request sees the scenario's records (for example-driven contract testers)")
	fs.BoolVar(&cfg.cors, "cors", false, "let browser apps on other origins call the mock (answer preflights, add Access-Control-Allow-Origin)")
	fs.StringVar(&cfg.tlsCertOut, "tls-cert-out", "", "write the self-signed certificate (PEM) to `file`, for clients to trust; implies --tls")
	fs.StringVar(&cfg.tlsCert, "tls-cert", "", "serve HTTPS with the certificate in this PEM `file` (with --tls-key)")
	fs.StringVar(&cfg.tlsKey, "tls-key", "", "the private key (PEM `file`) of --tls-cert")
	fs.StringVar(&cfg.stateFile, "state-file", "", "load records from this JSON `file` at start if it exists; save them there at shutdown and on POST /__mock/snapshot")
	fs.Var(&cfg.pactStates, "pact-state", "map a Pact provider state to the scenario POST /__mock/pact/state puts the mock in, as `STATE=SCENARIO`; repeatable; a state not mapped picks the scenario of its name, else default")
	fs.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long requests in flight may run after SIGINT/SIGTERM")
	return mode
}

// resolve picks the validation mode: --strict or --lenient, else
// MOCKSERVER_VALIDATION, else strict.
func (m modeFlags) resolve(fs *flagSet, getenv func(string) string) (mockserver.ValidationMode, error) {
	switch {
	case fs.set["strict"] && fs.set["lenient"]:
		return 0, usagef("serve", "give only one of --strict and --lenient")
	case fs.set["strict"]:
		return validationMode(!*m.strict), nil
	case fs.set["lenient"]:
		return validationMode(*m.lenient), nil
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("MOCKSERVER_VALIDATION"))); v {
	case "", "strict":
		return mockserver.Strict, nil
	case "lenient":
		return mockserver.Lenient, nil
	default:
		return 0, usagef("serve", "environment variable MOCKSERVER_VALIDATION=%q: want strict or lenient", v)
	}
}

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
	var h slog.Handler = slog.NewTextHandler(buf, opts)
	if cfg.logFormat.value == "json" {
		h = slog.NewJSONHandler(buf, opts)
	}
	return slog.New(flushingHandler{h, buf}), buf.Flush
}
