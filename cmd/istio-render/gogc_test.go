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
// collections, to hold that the environment's GOGC and GODEBUG win over
// the binary's start-up settings (internal/gcpercent, internal/hugeheap).
//
// GOGC=off means no collection the runtime starts by itself: every one
// left must be forced, that is asked for with runtime.GC, and the binary
// forces one at most, internal/hugeheap's at start-up. With
// GODEBUG=disablethp=1 as well, hugeheap does nothing, so there is no
// collection at all. Without GOGC the same render collects, which shows
// that the count sees collections when there are some.
func TestGOGCRespected(t *testing.T) {
	bin := build(t)
	tests := []struct {
		name         string
		env          []string
		wantUnforced func(int) bool
		maxForced    int
		want         string
	}{{
		name:         "GOGC unset",
		env:          []string{"GODEBUG=gctrace=1"},
		wantUnforced: func(n int) bool { return n > 0 },
		maxForced:    1,
		want:         "some collection the runtime starts",
	}, {
		name:         "GOGC=off",
		env:          []string{"GOGC=off", "GODEBUG=gctrace=1"},
		wantUnforced: func(n int) bool { return n == 0 },
		maxForced:    1,
		want:         "no collection but a forced one",
	}, {
		name:         "GOGC=off and disablethp",
		env:          []string{"GOGC=off", "GODEBUG=gctrace=1,disablethp=1"},
		wantUnforced: func(n int) bool { return n == 0 },
		maxForced:    0,
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
			if !tc.wantUnforced(unforced) || forced > tc.maxForced {
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
