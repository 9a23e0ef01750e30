package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// BenchmarkCold times whole processes, start to exit, as a user or
// kustomize runs them: `istio-render render --profile default`; the same
// with GODEBUG=disablethp=1, which turns internal/hugeheap off; and side by
// side the tools users pick instead for the same install. Each op runs
// every tool once, in turn, so that the machine's drifting load falls on
// all of them alike; ns/op is that whole round. Per tool it reports
// <tool>-ms (wall time of one render), <tool>-peak-RSS-MiB (the largest
// resident set of any of its processes, read by testdata/peakrss) and,
// for the others, <tool>-x: how many times longer than istio-render the
// tool took over the same ops. The helm baseline is three chained
// `helm template` calls: base, istiod and gateway.
//
// Baselines run when their binaries are found: $HELM_BIN or helm on PATH,
// $ISTIOCTL_BIN or istioctl on PATH. `make bench-tools` builds both from
// the module proxy, istioctl at the version the charts come from.
func BenchmarkCold(b *testing.B) {
	bin, err := buildOnce()
	if err != nil {
		b.Fatalf("building istio-render: %v", err)
	}
	peakRSS, err := peakRSSOnce()
	if err != nil {
		b.Fatalf("building peakrss: %v", err)
	}
	render := [][]string{{bin, "render", "--profile", "default", "-q"}}
	tools := []*coldTool{
		{name: "istio-render", cmds: render},
		// The same without internal/hugeheap, to show what it saves.
		{name: "istio-render-disablethp", cmds: render, env: []string{"GODEBUG=disablethp=1"}},
	}
	if helm, ok := lookTool(b, "HELM_BIN", "helm"); ok {
		tools = append(tools, &coldTool{name: "helm-template", cmds: helmCommands(b, helm)})
	}
	if istioctl, ok := lookTool(b, "ISTIOCTL_BIN", "istioctl"); ok {
		tools = append(tools, &coldTool{name: "istioctl", cmds: [][]string{{istioctl, "manifest", "generate", "--set", "profile=default"}}})
	}
	for b.Loop() {
		for _, t := range tools {
			t.run(b, peakRSS)
		}
	}
	for _, t := range tools {
		b.ReportMetric(float64(t.elapsed)/float64(time.Millisecond)/float64(b.N), t.name+"-ms")
		b.ReportMetric(float64(t.peak)/1024, t.name+"-peak-RSS-MiB")
		if t != tools[0] {
			b.ReportMetric(float64(t.elapsed)/float64(tools[0].elapsed), t.name+"-x")
		}
	}
}

// buildOnce builds istio-render as `make build` does, once per test binary.
var buildOnce = sync.OnceValues(func() (string, error) { return goBuild(".", "istio-render") })

// peakRSSOnce builds testdata/peakrss, which times a process and reads its
// peak resident set, once per test binary.
var peakRSSOnce = sync.OnceValues(func() (string, error) { return goBuild("./testdata/peakrss", "peakrss") })

// goBuild builds a main package, static and trimmed, into a new directory
// as the named binary.
func goBuild(pkg, name string) (string, error) {
	dir, err := os.MkdirTemp("", "istio-render-bench")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	cmd.Stderr = os.Stderr
	return bin, cmd.Run()
}

// coldTool is one way to render the default install: commands run in
// order, output discarded, with the time and peak memory they took so far.
type coldTool struct {
	name    string
	cmds    [][]string
	env     []string // added to the environment
	elapsed time.Duration
	peak    int64 // KiB
}

// run runs the tool's commands once through peakrss, adding to its
// elapsed time and raising its peak.
func (t *coldTool) run(b *testing.B, peakRSS string) {
	for _, args := range t.cmds {
		cmd := exec.Command(peakRSS, args...)
		cmd.Env = append(append(os.Environ(), "HOME="+b.TempDir()), t.env...)
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("%v: %v", args, err)
		}
		var ns, kib int64
		if _, err := fmt.Sscan(string(out), &ns, &kib); err != nil {
			b.Fatalf("reading peakrss output %q: %v", out, err)
		}
		t.elapsed += time.Duration(ns)
		t.peak = max(t.peak, kib)
	}
}

// lookTool finds a baseline tool: $env, else name on PATH. When neither is
// there it logs why the baseline is left out.
func lookTool(b *testing.B, env, name string) (string, bool) {
	want := name
	if p := os.Getenv(env); p != "" {
		want = p
	}
	p, err := exec.LookPath(want)
	if err != nil {
		b.Logf("no %s baseline (set %s or run make bench-tools): %v", name, env, err)
		return "", false
	}
	return p, true
}

// helmCommands writes the charts and values render uses for the default
// profile to disk and returns the helm template calls that render the same
// base, istiod and gateway releases.
func helmCommands(b *testing.B, helm string) [][]string {
	m, _, err := mesh.Load([]byte("apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: default\nspec:\n  profile: default\n"))
	if err != nil {
		b.Fatal(err)
	}
	rels, err := render.Releases(m, render.Options{})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	chartsDir := testcharts.Write(b, testcharts.Folders)
	var cmds [][]string
	for _, rel := range rels {
		values, err := yaml.Marshal(rel.Values)
		if err != nil {
			b.Fatal(err)
		}
		valuesFile := filepath.Join(dir, rel.Name+"-values.yaml")
		if err := os.WriteFile(valuesFile, values, 0o644); err != nil {
			b.Fatal(err)
		}
		cmds = append(cmds, []string{helm, "template", rel.Name, filepath.Join(chartsDir, rel.Chart),
			"--namespace", rel.Namespace, "--values", valuesFile, "--include-crds",
			"--kube-version", rel.KubeVersion})
	}
	return cmds
}
