// Package fuzzseed seeds fuzz targets with the project's own test inputs:
// golden specs, invalid specs, profiles, ResourceLists.
package fuzzseed

import (
	"os"
	"path/filepath"
	"testing"
)

// Files adds the content of every file matching the glob patterns to the
// fuzz target's seed corpus, and fails when no file matches.
func Files(f *testing.F, patterns ...string) {
	f.Helper()
	for _, data := range read(f, patterns) {
		f.Add(data)
	}
}

// Pairs seeds a fuzz target that takes two documents, such as a base spec
// and an overlay: the content of every file matching the glob patterns is
// added beside each of the given documents, once first and once second.
// It fails when no file matches.
func Pairs(f *testing.F, with [][]byte, patterns ...string) {
	f.Helper()
	for _, data := range read(f, patterns) {
		for _, w := range with {
			f.Add(data, w)
			f.Add(w, data)
		}
	}
}

// read returns the content of every file matching the patterns.
func read(f *testing.F, patterns []string) [][]byte {
	f.Helper()
	var out [][]byte
	for _, pattern := range patterns {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, data)
		}
	}
	if len(out) == 0 {
		f.Fatalf("no seed files match %v", patterns)
	}
	return out
}
