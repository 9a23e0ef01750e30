package cli_test

import (
	"strings"
	"testing"
)

// TestEmptyOutputIsRefused: -o "" (an unset variable in a script) is a
// usage error for every command with -o, not a silent print to standard
// output.
func TestEmptyOutputIsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"render", "--profile", "minimal", "-o", ""},
		{"init", "-o", ""},
		{"import", "-f", "x.yaml", "-o", ""},
		{"upgrade", "plan", "-f", "x.yaml", "--to", "1.31.0", "-o", ""},
		{"values", "--profile", "minimal", "-o", ""},
	} {
		t.Run(args[0], func(t *testing.T) {
			r := expectExit(t, 2, args...)
			if want := `-o "": give a path, or leave -o out to print`; !strings.Contains(r.stderr, want) || r.stdout != "" {
				t.Errorf("stdout %.100q, stderr %q, want only an error with %q", r.stdout, r.stderr, want)
			}
		})
	}
}
