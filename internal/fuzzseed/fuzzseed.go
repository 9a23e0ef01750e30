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
	n := 0
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
			f.Add(data)
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no seed files match %v", patterns)
	}
}
