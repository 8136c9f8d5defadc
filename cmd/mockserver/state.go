package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// stateFile is --state-file: the stores' records as a JSON object keyed
// by API name, each value what Server.State returned for that API.
type stateFile struct {
	path string
	data []byte     // what load read, for restore
	mu   sync.Mutex // serialises saves: a snapshot and the shutdown may race
}

// load reads the saved records; nil, nil when the file does not exist
// yet. A file that cannot be read back is refused, never replaced: it may
// hold the only copy of someone's records.
func (f *stateFile) load() (map[string]json.RawMessage, error) {
	if err := removeStaleTemps(f.path); err != nil {
		return nil, fmt.Errorf("cannot start: --state-file: %w", err)
	}
	data, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		dir := filepath.Dir(f.path)
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("cannot start: --state-file %s: directory %s does not exist, so the state could not be saved: create it or choose another file", f.path, dir)
		}
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot start: --state-file: %w", err)
	}
	var saved map[string]json.RawMessage
	if err := json.Unmarshal(data, &saved); err != nil || saved == nil {
		why := "it is not a JSON object keyed by API name"
		var syntax *json.SyntaxError
		switch {
		case len(bytes.TrimSpace(data)) == 0:
			why = "it is empty"
		case errors.As(err, &syntax):
			line, col := position(data, syntax.Offset)
			why = fmt.Sprintf("%s:%d:%d: %v", f.path, line, col, syntax)
		}
		return nil, f.corrupt(why)
	}
	f.data = data
	return saved, nil
}

// restore puts the records load read into srv's stores, in place of the
// scenario's starting records; problems are located in the file.
func (f *stateFile) restore(srv *mockserver.Server) error {
	if err := srv.RestoreStateFile(f.path, f.data); err != nil {
		return f.corrupt(err.Error())
	}
	return nil
}

func (f *stateFile) corrupt(why string) error {
	return fmt.Errorf("cannot start: state file %s is corrupt (%s); it was left untouched: fix it, or move it away to start from the scenario's records", f.path, why)
}

// save writes the records atomically: a reader (or a crash) sees the old
// file or the new one, never half of one.
func (f *stateFile) save(state map[string]any) error {
	data, err := json.MarshalIndent(state, "", "  ")
	if err != nil {
		return fmt.Errorf("state file %s: %w", f.path, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := writeFileAtomic(f.path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	return nil
}

// writeFileAtomic writes a temporary file in path's directory, then
// renames it over path.
func writeFileAtomic(path string, data []byte, perm fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), tempPattern(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), perm)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// position turns a byte offset into a 1-based line and column.
func position(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}
