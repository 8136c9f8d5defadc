package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// watchInterval is how often --watch looks at the files. Polling keeps the
// binary free of a file-notification dependency and works on every file
// system, including mounted volumes that deliver no events.
const watchInterval = time.Second

// liveServer lets --watch put a rebuilt Server in place while the listener
// and the connections stay.
type liveServer struct {
	cur atomic.Pointer[mockserver.Server]
}

func (l *liveServer) ServeHTTP(w http.ResponseWriter, r *http.Request) { l.cur.Load().ServeHTTP(w, r) }

// watchedFiles are the --spec documents and the scenario files under
// --fixtures: what --watch reloads.
func (cfg *serveConfig) watchedFiles() []string {
	var files []string
	for _, p := range cfg.specs.pairs {
		files = append(files, p.value)
	}
	if cfg.fixturesDir != "" {
		matches, _ := filepath.Glob(filepath.Join(cfg.fixturesDir, "*.yaml"))
		files = append(files, matches...)
	}
	slices.Sort(files)
	return files
}

// fingerprint changes whenever a watched file is added, removed, resized
// or rewritten.
func fingerprint(files []string) string {
	fp := ""
	for _, f := range files {
		if info, err := os.Stat(f); err == nil {
			fp += fmt.Sprintf("%s|%d|%d\n", f, info.Size(), info.ModTime().UnixNano())
		} else {
			fp += f + "|missing\n"
		}
	}
	return fp
}

// watchFiles rebuilds the Server when a watched file changes. A change that
// does not load (a broken spec or fixture) is logged and the previous
// version keeps serving; records are carried over when the new documents
// still accept them.
func (cfg *serveConfig) watchFiles(ctx context.Context, live *liveServer, opts mockserver.Options, log *slog.Logger) {
	last := fingerprint(cfg.watchedFiles())
	ticker := time.NewTicker(watchInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		now := fingerprint(cfg.watchedFiles())
		if now == last {
			continue
		}
		last = now
		if err := cfg.reload(live, opts, log); err != nil {
			log.Error("reload refused; the previous version keeps serving", "err", err)
		}
	}
}

func (cfg *serveConfig) reload(live *liveServer, opts mockserver.Options, log *slog.Logger) error {
	old := live.cur.Load()
	docs, err := cfg.loadDocuments()
	if err == nil {
		err = cfg.proxy.keep(docs)
	}
	if err != nil {
		return err
	}
	opts.Packs, opts.APIs, opts.Scenarios, opts.Scenario = docs.packs, docs.apis, docs.set, old.Scenario()
	next, err := mockserver.New(opts)
	if err != nil {
		return err
	}
	carried := true
	if err := carryState(old, next); err != nil {
		carried = false
		log.Warn("the records do not fit the reloaded documents; starting from the scenario", "err", err)
	}
	live.cur.Store(next)
	old.EndStreams() // dashboards reconnect to the new server
	log.Info("reloaded", "scenario", next.Scenario(), "records_carried_over", carried)
	return nil
}

// carryState moves the records through JSON, as the state file does, so
// the new stores decode them against their own types.
func carryState(from, to *mockserver.Server) error {
	data, err := json.Marshal(from.State())
	if err != nil {
		return err
	}
	var saved map[string]json.RawMessage
	if err := json.Unmarshal(data, &saved); err != nil {
		return err
	}
	for name := range saved {
		if to.API(name) == nil {
			delete(saved, name) // an API no longer served has nowhere to go
		}
	}
	return to.RestoreState(saved)
}
