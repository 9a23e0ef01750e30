package main

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// gcLine is a line of GODEBUG=gctrace=1 output: one per collection, ending
// in "(forced)" when the program asked for it with runtime.GC.
var gcLine = regexp.MustCompile(`(?m)^gc \d+ @.*$`)

// TestGOGCRespected runs a render with GODEBUG=gctrace=1 and counts the
// collections, to hold that the environment's GOGC wins over the binary's
// own setting (internal/gcpercent).
//
// GOGC=off turns off the collections the runtime starts by itself; a
// program can still force one with runtime.GC, which gctrace marks
// "(forced)". istio-render forces none, so a render under GOGC=off must
// show no collection of either kind. Without GOGC the same render
// collects, which shows that the count sees collections when there are
// some.
func TestGOGCRespected(t *testing.T) {
	bin := build(t)
	tests := []struct {
		name         string
		env          []string
		wantUnforced func(int) bool
		want         string
	}{{
		// A setting the binary must not override: at 10% the collector
		// runs many times during a render, where the binary's own 400%
		// may run it none (which is why GOGC unset is no control). It also
		// shows the trace is read.
		name:         "GOGC=10",
		env:          []string{"GOGC=10", "GODEBUG=gctrace=1"},
		wantUnforced: func(n int) bool { return n >= 3 },
		want:         "several collections the runtime starts and none forced",
	}, {
		name:         "GOGC=off",
		env:          []string{"GOGC=off", "GODEBUG=gctrace=1"},
		wantUnforced: func(n int) bool { return n == 0 },
		want:         "no collection at all",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, "render", "--profile", "production", "-q")
			cmd.Env = append(withoutGCSettings(os.Environ()), tc.env...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("%v: %v\n%s", cmd.Args, err, stderr.String())
			}
			var forced, unforced int
			for _, line := range gcLine.FindAllString(stderr.String(), -1) {
				if strings.HasSuffix(line, " (forced)") {
					forced++
				} else {
					unforced++
				}
			}
			if !tc.wantUnforced(unforced) || forced > 0 {
				t.Errorf("with %s: %d collections the runtime started and %d forced, want %s:\n%s",
					strings.Join(tc.env, " "), unforced, forced, tc.want, stderr.String())
			}
		})
	}
}

// withoutGCSettings drops GOGC, GOMEMLIMIT and GODEBUG from an
// environment, so that a test sets them alone.
func withoutGCSettings(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if name != "GOGC" && name != "GOMEMLIMIT" && name != "GODEBUG" {
			out = append(out, kv)
		}
	}
	return out
}
