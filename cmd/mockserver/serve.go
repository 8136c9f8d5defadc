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
	"syscall"
	"time"

	"golang.org/x/net/netutil"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/dashboard"
	"github.com/realestate-mocks/mockserver/spec"
)

func runServe(ctx context.Context, c *cli, args []string) error {
	cfg, err := parseServe(c, args)
	if err != nil {
		return helpOK(err)
	}
	return serve(ctx, c, cfg)
}

// serve loads everything, refusing to start on any problem, then listens
// and serves until ctx is done.
func serve(ctx context.Context, c *cli, cfg *serveConfig) (err error) {
	log, flush := cfg.logger(c.stderr)
	defer func() { err = errors.Join(err, flush()) }()
	restoreGC := loosenGC()
	srv, opts, state, err := cfg.newMock(log)
	restoreGC()
	if err != nil {
		return err
	}
	proxied := cfg.proxy.run // proxy.go
	live := &liveServer{}
	live.cur.Store(srv)
	hs := &http.Server{
		Handler:  live,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	cfg.limits.apply(hs)
	ln, err := listen(cfg.addr)
	if err != nil {
		return err
	}
	ln = netutil.LimitListener(ln, cfg.limits.maxConns)
	if cfg.tls {
		if hs.TLSConfig, err = cfg.tlsConfig(); err != nil {
			ln.Close()
			return err
		}
	}
	cfg.announce(c.stdout, log, srv, ln.Addr().String())
	if cfg.watch {
		go cfg.watchFiles(ctx, live, opts, log)
	}
	if err := cfg.listenAndServe(ctx, hs, ln, live, state, log); err != nil {
		return err
	}
	return proxied.finish(live.cur.Load(), log)
}

// serveOptionNames are serve's flags for the Options fields the engine's
// messages point at, so that they name what a serve user can change.
var serveOptionNames = map[string]string{
	"MaxBodyBytes": "--max-body",
	"StoreBytes":   "--store-limit",
	"OnSnapshot":   "--state-file",
	"PactStates":   "--pact-state",
}

// newMock builds the Server from the documents, scenarios and state file,
// with the Options that a --watch reload builds on.
func (cfg *serveConfig) newMock(log *slog.Logger) (*mockserver.Server, mockserver.Options, *stateFile, error) {
	docs, err := cfg.loadDocuments()
	if err != nil {
		return nil, mockserver.Options{}, nil, err
	}
	if err := cfg.proxy.prepare(docs); err != nil {
		return nil, mockserver.Options{}, nil, err
	}
	var state *stateFile
	var saved map[string]json.RawMessage
	if cfg.stateFile != "" {
		state = &stateFile{path: cfg.stateFile}
		if saved, err = state.load(); err != nil {
			return nil, mockserver.Options{}, nil, err
		}
	}
	opts := mockserver.Options{
		Packs:        docs.packs,
		APIs:         docs.apis,
		Mounts:       cfg.mounts.toMap(),
		Scenarios:    docs.set,
		Scenario:     cfg.scenario,
		Validation:   cfg.validation,
		MaxBodyBytes: int64(cfg.maxBody),
		StoreBytes:   int64(cfg.storeLimit),
		Logger:       log,
		AdminToken:   cfg.adminToken,
		AdminHosts:   adminHosts(cfg.addr),
		CORS:         cfg.cors,
		Stateless:    cfg.stateless,
		Latency:      cfg.latency,
		BodyTimeout:  cfg.limits.readTimeout,
		Proxy:        cfg.proxy.opts,
		AdminUI:      dashboard.Handler,
		PactStates:   cfg.pactStates.states,
		OptionNames:  serveOptionNames,
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
		return nil, opts, nil, fmt.Errorf("cannot start: %w", err)
	}
	if saved != nil {
		if err := state.restore(srv); err != nil {
			return nil, opts, nil, err
		}
	}
	cfg.proxy.run.started(srv)
	return srv, opts, state, nil
}

// announce prints each API's base URL, then the admin and dashboard URLs, and logs the
// start.
func (cfg *serveConfig) announce(stdout io.Writer, log *slog.Logger, srv *mockserver.Server, addr string) {
	scheme := "http"
	if cfg.tls {
		scheme = "https"
	}
	base := scheme + "://" + addr
	for _, name := range srv.APINames() {
		fmt.Fprintf(stdout, "%-12s %s%s%s\n", name, base, srv.BasePath(name), forwardedTo(srv, name))
	}
	fmt.Fprintf(stdout, "%-12s %s/__mock/\n", "admin", base)
	fmt.Fprintf(stdout, "%-12s %s%s\n", "dashboard", base, dashboard.Base)
	log.Info("serving", "addr", addr, "dashboard", base+dashboard.Base, "tls", cfg.tls, "scenario", srv.Scenario(),
		"validation", map[mockserver.ValidationMode]string{mockserver.Strict: "strict", mockserver.Lenient: "lenient"}[cfg.validation],
		"state_file", cfg.stateFile)
}

// listenAndServe serves on ln until ctx is done or serving fails, then
// shuts down within --shutdown-timeout and saves the records.
func (cfg *serveConfig) listenAndServe(ctx context.Context, hs *http.Server, ln net.Listener, live *liveServer, state *stateFile, log *slog.Logger) error {
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
		return errors.Join(err, cfg.pactOut.write(live.cur.Load(), log))
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.shutdownTimeout.String())
	hs.RegisterOnShutdown(func() { live.cur.Load().EndStreams() })
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		log.Warn("requests still running after --shutdown-timeout; closing their connections", "timeout", cfg.shutdownTimeout.String())
		_ = hs.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("serve", "err", err)
	}
	pactErr := cfg.pactOut.write(live.cur.Load(), log)
	if state != nil {
		if err := state.save(live.cur.Load().State()); err != nil {
			return errors.Join(fmt.Errorf("at shutdown: %w", err), pactErr)
		}
		log.Info("state saved", "file", state.path)
	}
	if pactErr != nil {
		return fmt.Errorf("at shutdown: %w", pactErr)
	}
	return nil
}

// documents are what serve loads at start and on every --watch reload.
type documents struct {
	packs []*mockserver.Pack
	apis  []*spec.API
	set   *fixtures.Set
}

// loadDocuments loads the specs, the packs that serve them, and the
// scenarios checked against them.
func (cfg *serveConfig) loadDocuments() (*documents, error) {
	apis, err := loadAPIs(cfg.specs.pairs)
	if err != nil {
		return nil, err
	}
	packs, err := loadPacks(apis, cfg.stateful.names)
	if err != nil {
		return nil, err
	}
	set, err := loadScenarios(cfg.fixturesDir, apis, packs, len(cfg.specs.pairs) > 0)
	if err != nil {
		return nil, err
	}
	return &documents{packs: packs, apis: apis, set: set}, nil
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
