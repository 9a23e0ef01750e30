package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// BenchmarkCold times whole processes, start to exit, as a user or
// kustomize runs them: `istio-render render --profile P` and `istio-render
// fn` on a ResourceList whose functionConfig is the same spec, for the
// default and production profiles; the default render again with
// GOGC=100, Go's default, which internal/gcpercent then leaves alone; and
// the tools users pick instead for the same install. Each op runs every tool once,
// in turn, so that the machine's drifting load falls on all of them alike;
// ns/op is that whole round.
//
// Per tool it reports <tool>-ms (wall time of one run), <tool>-cpu-ms (user
// and system time), <tool>-faults (page faults) and <tool>-peak-RSS-MiB
// (the largest resident set of any of its processes), all read by
// testdata/peakrss; and for a tool compared with another, <tool>-x (how
// many times the other's wall time it took) and <tool>-peak-x (how many
// times the other's peak resident set it reached), each the median over
// the ops of the ratio within one op, so that a burst of load on the
// machine moves neither. fn is compared with render of the same profile,
// everything else with the default render.
// The helm baseline is three chained `helm template` calls: base, istiod
// and gateway.
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
	var tools []*coldTool
	var renderDefault *coldTool
	for _, profile := range []string{"default", "production"} {
		r := &coldTool{name: "render-" + profile, cmds: [][]string{{bin, "render", "--profile", profile, "-q"}}}
		fn := &coldTool{name: "fn-" + profile, cmds: [][]string{{bin, "fn", "-q"}}, stdin: resourceListFile(b, profile), vs: r}
		tools = append(tools, r, fn)
		if renderDefault == nil {
			renderDefault = r
		}
	}
	tools = append(tools, &coldTool{
		name: "render-default-gogc100", cmds: renderDefault.cmds, env: []string{"GOGC=100"}, vs: renderDefault,
	})
	if helm, ok := lookTool(b, "HELM_BIN", "helm"); ok {
		tools = append(tools, &coldTool{name: "helm-template", cmds: helmCommands(b, helm), vs: renderDefault})
	}
	if istioctl, ok := lookTool(b, "ISTIOCTL_BIN", "istioctl"); ok {
		tools = append(tools, &coldTool{name: "istioctl", cmds: [][]string{{istioctl, "manifest", "generate", "--set", "profile=default"}},
			vs: renderDefault})
	}
	for b.Loop() {
		for _, t := range tools {
			t.run(b, peakRSS)
		}
	}
	n := float64(b.N)
	for _, t := range tools {
		b.ReportMetric(float64(t.elapsed)/float64(time.Millisecond)/n, t.name+"-ms")
		b.ReportMetric(float64(t.cpu)/float64(time.Millisecond)/n, t.name+"-cpu-ms")
		b.ReportMetric(float64(t.faults)/n, t.name+"-faults")
		b.ReportMetric(float64(t.peak)/1024, t.name+"-peak-RSS-MiB")
		if t.vs != nil {
			b.ReportMetric(medianRatio(t.walls, t.vs.walls), t.name+"-x")
			b.ReportMetric(medianRatio(t.peaks, t.vs.peaks), t.name+"-peak-x")
		}
	}
}

// resourceListFile writes the ResourceList kustomize would send fn for
// `render --profile profile`: its functionConfig is the spec that render
// builds for the profile.
func resourceListFile(b *testing.B, profile string) string {
	path := filepath.Join(b.TempDir(), profile+"-resource-list.yaml")
	list := fmt.Sprintf(`apiVersion: config.kubernetes.io/v1
kind: ResourceList
items: []
functionConfig:
  apiVersion: istio-render.dev/v1alpha1
  kind: IstioMesh
  metadata:
    name: %s
  spec:
    profile: %s
`, profile, profile)
	if err := os.WriteFile(path, []byte(list), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
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

// coldTool is one way to render an install: commands run in order,
// output discarded, with what they took so far.
type coldTool struct {
	name  string
	cmds  [][]string
	stdin string    // a file each command reads on standard input
	env   []string  // added to the environment
	vs    *coldTool // the tool it is compared with

	elapsed, cpu time.Duration
	faults       int64
	peak         int64 // KiB
	// walls and peaks are each op's wall time and peak, in ns and KiB.
	walls, peaks []int64
}

// run runs the tool's commands once through peakrss, adding to its
// elapsed time, CPU time and page faults and raising its peak. The
// commands run without the GC settings of the benchmark's environment.
func (t *coldTool) run(b *testing.B, peakRSS string) {
	var wall, peak int64
	for _, args := range t.cmds {
		cmd := exec.Command(peakRSS, args...)
		cmd.Env = append(append(withoutGCSettings(os.Environ()), "HOME="+b.TempDir()), t.env...)
		cmd.Stderr = os.Stderr
		if t.stdin != "" {
			f, err := os.Open(t.stdin)
			if err != nil {
				b.Fatal(err)
			}
			cmd.Stdin = f
			defer f.Close()
		}
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("%v: %v", args, err)
		}
		var ns, kib, cpu, faults int64
		if _, err := fmt.Sscan(string(out), &ns, &kib, &cpu, &faults); err != nil {
			b.Fatalf("reading peakrss output %q: %v", out, err)
		}
		wall += ns
		peak = max(peak, kib)
		t.cpu += time.Duration(cpu)
		t.faults += faults
	}
	t.elapsed += time.Duration(wall)
	t.peak = max(t.peak, peak)
	t.walls = append(t.walls, wall)
	t.peaks = append(t.peaks, peak)
}

// medianRatio is the median of a[i]/b[i].
func medianRatio(a, b []int64) float64 {
	ratios := make([]float64, len(a))
	for i := range a {
		ratios[i] = float64(a[i]) / float64(b[i])
	}
	slices.Sort(ratios)
	n := len(ratios)
	if n%2 == 1 {
		return ratios[n/2]
	}
	return (ratios[n/2-1] + ratios[n/2]) / 2
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
