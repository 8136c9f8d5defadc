package main

import (
	"os"
	"path/filepath"
	"testing"
)

// A kill during a save leaves a temporary file; the next start removes
// it, and leaves other files alone.
func TestLoadRemovesStaleTemporaries(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	stale := []string{".state.json.123.tmp", ".state.json.abc.tmp"}
	keep := []string{"other.json", ".other.json.1.tmp", "state.json.bak"}
	for _, name := range append(append([]string{}, stale...), keep...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(`{"spark":`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f := &stateFile{path: path}
	if _, err := f.load(); err != nil {
		t.Fatal(err)
	}
	for _, name := range stale {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", name, err)
		}
	}
	for _, name := range keep {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s was removed: %v", name, err)
		}
	}
}

// The directory is synced after the rename, so the new name survives a
// power cut; the sync sees the new file already in place.
func TestSaveSyncsTheDirectory(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	var synced []string
	orig := syncDir
	t.Cleanup(func() { syncDir = orig })
	syncDir = func(d string) error {
		data, err := os.ReadFile(path)
		if err != nil || string(data) != "{}\n" {
			t.Errorf("directory synced before the rename: %q, %v", data, err)
		}
		synced = append(synced, d)
		return orig(d)
	}
	f := &stateFile{path: path}
	if err := f.save(map[string]any{}); err != nil {
		t.Fatal(err)
	}
	if len(synced) != 1 || synced[0] != dir {
		t.Fatalf("synced %v, want [%s]", synced, dir)
	}
	left, _ := filepath.Glob(filepath.Join(dir, tempPattern(path)))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
