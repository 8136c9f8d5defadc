package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/spec"
)

const serveHelp = `Usage: mockserver serve [flags]

Serves every API (the bundled Open To Close and Spark documents, plus any
--spec) and the admin API under /__mock/, until SIGINT or SIGTERM. Prints
one line per API with its base URL, then the admin URL.

Examples:
  mockserver serve
  mockserver serve --scenario errors --lenient
  mockserver serve --tls --tls-cert-out cert.pem --mount spark=/
  mockserver serve --spec pets=petstore.yaml --state-file state.json
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
	adminToken      string
	logFormat       choiceValue
	logLevel        choiceValue
	tls             bool
	cors            bool
	watch           bool
	latency         time.Duration
	tlsCertOut      string
	tlsCert         string
	tlsKey          string
	stateFile       string
	shutdownTimeout time.Duration
}

// parseServe reads serve's flags, then the environment for those not
// given. Every error is a *usageError, or flag.ErrHelp after --help.
func parseServe(c *cli, args []string) (*serveConfig, error) {
	cfg := &serveConfig{
		specs:     pairsValue{what: "FILE"},
		mounts:    pairsValue{what: "PREFIX"},
		maxBody:   byteSize(mockserver.DefaultMaxBodyBytes),
		logFormat: choiceValue{"text", []string{"text", "json"}},
		logLevel:  choiceValue{"info", []string{"debug", "info", "warn", "error"}},
	}
	fs := newFlagSet("serve", serveHelp)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "listen `address`; one that is not loopback needs --admin-token")
	fs.StringVar(&cfg.scenario, "scenario", "default", "the `name` of the scenario active at start")
	fs.StringVar(&cfg.fixturesDir, "fixtures", "", "a `dir`ectory of scenario *.yaml files, added to the bundled ones")
	fs.Var(&cfg.specs, "spec", "serve an extra or replacement OpenAPI document, as `NAME=FILE`; repeatable")
	fs.Var(&cfg.mounts, "mount", "serve API NAME under `NAME=PREFIX` instead of /NAME; / is the root; repeatable")
	strict := fs.Bool("strict", false, "a response that breaks the spec becomes a 500 saying why (the default) (env MOCKSERVER_VALIDATION=strict)")
	lenient := fs.Bool("lenient", false, "a response that breaks the spec is sent, logged and flagged in "+mockserver.ViolationHeader+" (env MOCKSERVER_VALIDATION=lenient)")
	fs.Var(&cfg.maxBody, "max-body", "the largest request body accepted (413 beyond), in `bytes`: 1048576, 512KiB, 1MiB")
	fs.StringVar(&cfg.adminToken, "admin-token", "", "require Authorization: Bearer `token` on the admin API; prefer the env variable, which ps does not show")
	fs.Var(&cfg.logFormat, "log-format", "log `format` on stderr: text or json")
	fs.Var(&cfg.logLevel, "log-level", "log `level`: debug, info, warn or error")
	fs.BoolVar(&cfg.tls, "tls", false, "serve HTTPS with a self-signed certificate made at start")
	fs.DurationVar(&cfg.latency, "latency", 0, "add this `duration` to every API call, on top of the scenario's (e.g. 250ms)")
	fs.BoolVar(&cfg.watch, "watch", false, "reload the --spec files and the --fixtures directory when they change, keeping the records")
	fs.BoolVar(&cfg.cors, "cors", false, "let browser apps on other origins call the mock (answer preflights, add Access-Control-Allow-Origin)")
	fs.StringVar(&cfg.tlsCertOut, "tls-cert-out", "", "write the self-signed certificate (PEM) to `file`, for clients to trust; implies --tls")
	fs.StringVar(&cfg.tlsCert, "tls-cert", "", "serve HTTPS with the certificate in this PEM `file` (with --tls-key)")
	fs.StringVar(&cfg.tlsKey, "tls-key", "", "the private key (PEM `file`) of --tls-cert")
	fs.StringVar(&cfg.stateFile, "state-file", "", "load records from this JSON `file` at start if it exists; save them there at shutdown and on POST /__mock/snapshot")
	fs.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long requests in flight may run after SIGINT/SIGTERM")
	for flagName, env := range map[string]string{
		"addr": "MOCKSERVER_ADDR", "scenario": "MOCKSERVER_SCENARIO", "fixtures": "MOCKSERVER_FIXTURES",
		"spec": "MOCKSERVER_SPEC", "mount": "MOCKSERVER_MOUNT", "max-body": "MOCKSERVER_MAX_BODY",
		"admin-token": "MOCKSERVER_ADMIN_TOKEN", "log-format": "MOCKSERVER_LOG_FORMAT", "log-level": "MOCKSERVER_LOG_LEVEL",
		"tls": "MOCKSERVER_TLS", "cors": "MOCKSERVER_CORS", "watch": "MOCKSERVER_WATCH", "latency": "MOCKSERVER_LATENCY", "tls-cert-out": "MOCKSERVER_TLS_CERT_OUT", "tls-cert": "MOCKSERVER_TLS_CERT",
		"tls-key": "MOCKSERVER_TLS_KEY", "state-file": "MOCKSERVER_STATE_FILE", "shutdown-timeout": "MOCKSERVER_SHUTDOWN_TIMEOUT",
	} {
		fs.envVar(flagName, env)
	}
	if err := fs.parse(c, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usagef("serve", "serve takes no arguments, only flags; got %q", fs.Args())
	}

	switch {
	case fs.set["strict"] && fs.set["lenient"]:
		return nil, usagef("serve", "give only one of --strict and --lenient")
	case fs.set["strict"]:
		cfg.validation = validationMode(!*strict)
	case fs.set["lenient"]:
		cfg.validation = validationMode(*lenient)
	default:
		switch v := strings.ToLower(strings.TrimSpace(c.getenv("MOCKSERVER_VALIDATION"))); v {
		case "", "strict":
			cfg.validation = mockserver.Strict
		case "lenient":
			cfg.validation = mockserver.Lenient
		default:
			return nil, usagef("serve", "environment variable MOCKSERVER_VALIDATION=%q: want strict or lenient", v)
		}
	}

	host, _, err := net.SplitHostPort(cfg.addr)
	if err != nil {
		return nil, usagef("serve", "--addr %q: want HOST:PORT, such as 127.0.0.1:8080 or 0.0.0.0:8080", cfg.addr)
	}
	if !isLoopback(host) && cfg.adminToken == "" {
		return nil, usagef("serve", "--addr %s: the admin API would be open to the network: give --admin-token (or MOCKSERVER_ADMIN_TOKEN), or listen on 127.0.0.1", cfg.addr)
	}
	if (cfg.tlsCert == "") != (cfg.tlsKey == "") {
		return nil, usagef("serve", "give --tls-cert and --tls-key together")
	}
	if cfg.tlsCert != "" && cfg.tlsCertOut != "" {
		return nil, usagef("serve", "--tls-cert-out writes a generated certificate; with --tls-cert there is none: leave one out")
	}
	if cfg.tlsCert != "" || cfg.tlsCertOut != "" {
		cfg.tls = true
	}
	if cfg.shutdownTimeout <= 0 {
		return nil, usagef("serve", "--shutdown-timeout must be positive, such as 10s")
	}
	if cfg.latency < 0 {
		return nil, usagef("serve", "--latency must not be negative, such as 250ms")
	}
	if cfg.scenario == "" {
		return nil, usagef("serve", "--scenario must name a scenario, such as default")
	}
	return cfg, nil
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

func (cfg *serveConfig) logger(w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.logLevel.value)) // the choices are slog's names
	opts := &slog.HandlerOptions{Level: level}
	if cfg.logFormat.value == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func runServe(ctx context.Context, c *cli, args []string) error {
	cfg, err := parseServe(c, args)
	if err != nil {
		return helpOK(err)
	}
	return serve(ctx, c, cfg)
}

// serve loads everything, refusing to start on any problem, then listens
// and serves until ctx is done.
func serve(ctx context.Context, c *cli, cfg *serveConfig) error {
	log := cfg.logger(c.stderr)
	apis, set, err := cfg.loadDocuments()
	if err != nil {
		return err
	}
	var state *stateFile
	var saved map[string]json.RawMessage
	if cfg.stateFile != "" {
		state = &stateFile{path: cfg.stateFile}
		if saved, err = state.load(); err != nil {
			return err
		}
	}
	opts := mockserver.Options{
		APIs:         apis,
		Mounts:       cfg.mounts.toMap(),
		Scenarios:    set,
		Scenario:     cfg.scenario,
		Validation:   cfg.validation,
		MaxBodyBytes: int64(cfg.maxBody),
		Logger:       log,
		AdminToken:   cfg.adminToken,
		CORS:         cfg.cors,
		Latency:      cfg.latency,
	}
	if state != nil {
		opts.OnSnapshot = func(s *mockserver.Server) error {
			if err := state.save(s.State()); err != nil {
				return err
			}
			log.Info("state saved", "file", state.path)
			return nil
		}
	}
	srv, err := mockserver.New(opts)
	if err != nil {
		return fmt.Errorf("cannot start: %w", err)
	}
	if saved != nil {
		if err := state.restore(srv, saved); err != nil {
			return err
		}
	}

	live := &liveServer{}
	live.cur.Store(srv)
	hs := &http.Server{
		Handler:           live,
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := listen(cfg.addr)
	if err != nil {
		return err
	}
	if cfg.tls {
		if hs.TLSConfig, err = cfg.tlsConfig(); err != nil {
			ln.Close()
			return err
		}
	}
	scheme := "http"
	if cfg.tls {
		scheme = "https"
	}
	base := scheme + "://" + ln.Addr().String()
	for _, name := range srv.APINames() {
		fmt.Fprintf(c.stdout, "%-12s %s%s\n", name, base, srv.BasePath(name))
	}
	fmt.Fprintf(c.stdout, "%-12s %s/__mock/\n", "admin", base)
	log.Info("serving", "addr", ln.Addr().String(), "tls", cfg.tls, "scenario", srv.Scenario(),
		"validation", map[mockserver.ValidationMode]string{mockserver.Strict: "strict", mockserver.Lenient: "lenient"}[cfg.validation],
		"state_file", cfg.stateFile)

	if cfg.watch {
		go cfg.watchFiles(ctx, live, opts, log)
	}
	served := make(chan error, 1)
	go func() {
		if cfg.tls {
			served <- hs.ServeTLS(ln, "", "")
		} else {
			served <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-served:
		err = fmt.Errorf("serve %s: %w", cfg.addr, err)
		if state != nil {
			if saveErr := state.save(live.cur.Load().State()); saveErr != nil {
				err = errors.Join(err, saveErr)
			}
		}
		return err
	case <-ctx.Done():
	}

	log.Info("shutting down", "timeout", cfg.shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		log.Warn("requests still running after --shutdown-timeout; closing their connections", "timeout", cfg.shutdownTimeout.String())
		_ = hs.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("serve", "err", err)
	}
	if state != nil {
		if err := state.save(live.cur.Load().State()); err != nil {
			return fmt.Errorf("at shutdown: %w", err)
		}
		log.Info("state saved", "file", state.path)
	}
	return nil
}

// loadDocuments loads the specs and the scenarios checked against them,
// at start and on every --watch reload.
func (cfg *serveConfig) loadDocuments() ([]*spec.API, *fixtures.Set, error) {
	apis, err := loadAPIs(cfg.specs.pairs)
	if err != nil {
		return nil, nil, err
	}
	set, err := loadScenarios(cfg.fixturesDir, apis, len(cfg.specs.pairs) > 0)
	if err != nil {
		return nil, nil, err
	}
	return apis, set, nil
}

// listen binds the address now, so a port in use is reported before
// anything is printed, with what to do about it.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("cannot listen on %s: the address is already in use (another mockserver?): stop that process or choose another --addr", addr)
	case errors.Is(err, syscall.EACCES):
		return nil, fmt.Errorf("cannot listen on %s: permission denied (ports below 1024 need privileges): choose another --addr such as 127.0.0.1:8080", addr)
	case err != nil:
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	return ln, nil
}

// tlsConfig loads --tls-cert/--tls-key, or makes a self-signed
// certificate and writes it to --tls-cert-out.
func (cfg *serveConfig) tlsConfig() (*tls.Config, error) {
	if cfg.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.tlsCert, cfg.tlsKey)
		if err != nil {
			return nil, fmt.Errorf("--tls-cert %s / --tls-key %s: %w", cfg.tlsCert, cfg.tlsKey, err)
		}
		return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
	}
	host, _, _ := net.SplitHostPort(cfg.addr)
	cert, certPEM, err := selfSigned(host, time.Now())
	if err != nil {
		return nil, fmt.Errorf("make a TLS certificate: %w", err)
	}
	if cfg.tlsCertOut != "" {
		if err := writeFileAtomic(cfg.tlsCertOut, certPEM, 0o644); err != nil {
			return nil, fmt.Errorf("--tls-cert-out: %w", err)
		}
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}
