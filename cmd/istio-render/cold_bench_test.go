package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"

	"helm.sh/helm/v3/pkg/chartutil"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// The cold benchmarks time whole processes, start to exit, as a user or
// kustomize runs them: `istio-render render --profile default`, and side by
// side the tools users pick instead for the same install. Each op is one
// run (three for the chained helm template calls); peak-RSS-MiB is the
// largest resident set of any run.
//
// Baselines run when their binaries are found: $HELM_BIN or helm on PATH
// (`make bench-tools` builds it from the module proxy), $ISTIOCTL_BIN or
// istioctl on PATH (istioctl's pinned dependencies are not all on the
// proxy, so it is not built).

// buildOnce builds istio-render as `make build` does, once per test binary.
var buildOnce = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "istio-render-bench")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "istio-render")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	cmd.Stderr = os.Stderr
	return bin, cmd.Run()
})

func BenchmarkCold(b *testing.B) {
	bin, err := buildOnce()
	if err != nil {
		b.Fatalf("building istio-render: %v", err)
	}
	b.Run("tool=istio-render", func(b *testing.B) {
		runProcesses(b, [][]string{{bin, "render", "--profile", "default", "-q"}})
	})
	b.Run("tool=helm-template", func(b *testing.B) {
		helm := lookTool(b, "HELM_BIN", "helm")
		runProcesses(b, helmCommands(b, helm))
	})
	b.Run("tool=istioctl", func(b *testing.B) {
		istioctl := lookTool(b, "ISTIOCTL_BIN", "istioctl")
		runProcesses(b, [][]string{{istioctl, "manifest", "generate", "--set", "profile=default"}})
	})
}

// runProcesses runs the commands in order per op, output discarded.
func runProcesses(b *testing.B, cmds [][]string) {
	var peak int64
	for b.Loop() {
		for _, args := range cmds {
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Env = append(os.Environ(), "HOME="+b.TempDir())
			if err := cmd.Run(); err != nil {
				b.Fatalf("%v: %v", args, err)
			}
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > peak {
				peak = ru.Maxrss
			}
		}
	}
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
}

// lookTool finds a baseline tool: $env, else name on PATH; the benchmark is
// skipped, saying so, when neither is there.
func lookTool(b *testing.B, env, name string) string {
	want := name
	if p := os.Getenv(env); p != "" {
		want = p
	}
	p, err := exec.LookPath(want)
	if err != nil {
		b.Skipf("%s not found (set %s or run make bench-tools): %v", name, env, err)
	}
	return p
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
	var cmds [][]string
	for _, rel := range rels {
		chartDir := filepath.Join(dir, rel.Name)
		if err := os.MkdirAll(chartDir, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := chartutil.SaveDir(rel.Chart, chartDir); err != nil {
			b.Fatal(err)
		}
		values, err := yaml.Marshal(rel.Values)
		if err != nil {
			b.Fatal(err)
		}
		valuesFile := filepath.Join(dir, rel.Name+"-values.yaml")
		if err := os.WriteFile(valuesFile, values, 0o644); err != nil {
			b.Fatal(err)
		}
		cmds = append(cmds, []string{helm, "template", rel.Name, filepath.Join(chartDir, rel.Chart.Name()),
			"--namespace", rel.Namespace, "--values", valuesFile, "--include-crds",
			"--kube-version", rel.Capabilities.KubeVersion.Version})
	}
	return cmds
}
