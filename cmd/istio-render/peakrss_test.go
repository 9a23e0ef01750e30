package main

import (
	"fmt"
	"os/exec"
	"testing"
)

// TestPeakRSS builds testdata/peakrss, which BenchmarkCold starts every
// process through, and checks what it prints for a run of istio-render and
// that it passes a failing command's status on.
func TestPeakRSS(t *testing.T) {
	bin, err := buildOnce()
	if err != nil {
		t.Fatalf("building istio-render: %v", err)
	}
	peakRSS, err := peakRSSOnce()
	if err != nil {
		t.Fatalf("building peakrss: %v", err)
	}
	out, err := exec.Command(peakRSS, bin, "version").Output()
	if err != nil {
		t.Fatalf("peakrss istio-render version: %v", err)
	}
	var ns, kib int64
	if n, err := fmt.Sscan(string(out), &ns, &kib); n != 2 || err != nil {
		t.Fatalf("peakrss printed %q: %v", out, err)
	}
	if ns <= 0 || kib <= 0 {
		t.Errorf("peakrss printed %q: want a positive time and peak", out)
	}
	if err := exec.Command(peakRSS, bin, "no-such-command").Run(); err == nil {
		t.Error("peakrss exits 0 when its command fails")
	}
}
