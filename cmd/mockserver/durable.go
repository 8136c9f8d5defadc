package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// tempPattern names writeFileAtomic's temporary files for path, so that
// the leftovers of a crash can be found again.
func tempPattern(path string) string { return "." + filepath.Base(path) + ".*.tmp" }

// removeStaleTemps deletes temporary files a killed save left beside
// path. A save in progress holds the state file's process, and one state
// file is served by one process, so at start every match is a leftover.
func removeStaleTemps(path string) error {
	matches, err := filepath.Glob(filepath.Join(filepath.Dir(path), tempPattern(path)))
	if err != nil {
		return fmt.Errorf("look for leftover temporary files of %s: %w", path, err)
	}
	for _, m := range matches {
		if err := os.Remove(m); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove leftover %s: %w", m, err)
		}
	}
	return nil
}

// syncDir makes a rename in dir durable: without it a power cut after the
// rename can bring back the old file, or no file. A variable so that tests
// can see it is called.
var syncDir = func(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}
