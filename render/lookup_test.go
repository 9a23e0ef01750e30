package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/istio-render/istio-render/charts"
)

// TestLookupFindsNothing renders a chart that asks the cluster for objects
// through Helm's lookup: render has no cluster client, so lookup answers
// with nothing and the render still succeeds.
func TestLookupFindsNothing(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Chart.yaml", "apiVersion: v2\nname: probe\nversion: 1.0.0\n")
	write("templates/cm.yaml", `apiVersion: v1
kind: ConfigMap
metadata:
  name: lookup
data:
  namespace: {{ lookup "v1" "Namespace" "" "kube-system" | toJson | quote }}
  secrets: {{ lookup "v1" "Secret" "istio-system" "" | toJson | quote }}
`)
	src, err := charts.FromPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := src.Chart("probe")
	if err != nil {
		t.Fatal(err)
	}
	r, err := renderChart(&release{
		Release: Release{Component: "probe", Chart: "probe", Name: "probe", Namespace: "default", KubeVersion: "1.36.0"},
		chart:   l,
	}, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	rs := r.resources
	if len(rs) != 1 {
		t.Fatalf("got %d objects, want 1", len(rs))
	}
	if got := string(rs[0].YAML); !strings.Contains(got, "namespace: '{}'") || !strings.Contains(got, "secrets: '{}'") {
		t.Errorf("lookup found something:\n%s", got)
	}
}
