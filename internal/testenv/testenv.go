// Package testenv lets a test that needs something outside Go (a program
// on PATH, root, a network namespace) skip where it cannot run, and fail
// where it must: under CI=true a proof that can be skipped is no proof.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// InCI reports whether the tests run as CI runs them (CI=true).
func InCI() bool { return os.Getenv("CI") == "true" }

// SkipOutsideCI skips t for the reason given; under CI=true it fails t
// instead.
func SkipOutsideCI(t testing.TB, format string, args ...any) {
	t.Helper()
	reason := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("%s; with CI=true this test must run", reason)
	}
	t.Skip(reason)
}

// LookPath finds a program on PATH, or skips t without it (fails it under
// CI=true).
func LookPath(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		SkipOutsideCI(t, "%s is not installed: %v", name, err)
	}
	return path
}
