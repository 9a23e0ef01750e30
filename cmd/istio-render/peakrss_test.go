package main

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// TestPeakRSS builds testdata/peakrss, which BenchmarkCold starts every
// process through, and checks what it prints for a run of istio-render,
// that it passes standard input on and a failing command's status.
func TestPeakRSS(t *testing.T) {
	bin, err := buildOnce()
	if err != nil {
		t.Fatalf("building istio-render: %v", err)
	}
	peakRSS, err := peakRSSOnce()
	if err != nil {
		t.Fatalf("building peakrss: %v", err)
	}
	// fn fails on empty input: it succeeds only if peakrss passes the
	// ResourceList on.
	cmd := exec.Command(peakRSS, bin, "fn", "-q")
	cmd.Stdin = strings.NewReader(`apiVersion: config.kubernetes.io/v1
kind: ResourceList
items: []
functionConfig:
  apiVersion: istio-render.dev/v1alpha1
  kind: IstioMesh
  metadata:
    name: minimal
  spec:
    profile: minimal
`)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("peakrss istio-render fn: %v", err)
	}
	var ns, kib, cpu, faults int64
	if n, err := fmt.Sscan(string(out), &ns, &kib, &cpu, &faults); n != 4 || err != nil {
		t.Fatalf("peakrss printed %q: %v", out, err)
	}
	if ns <= 0 || kib <= 0 || cpu <= 0 || faults <= 0 {
		t.Errorf("peakrss printed %q: want a positive time, peak, CPU time and fault count", out)
	}
	if err := exec.Command(peakRSS, bin, "no-such-command").Run(); err == nil {
		t.Error("peakrss exits 0 when its command fails")
	}
}
