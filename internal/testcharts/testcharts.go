// Package testcharts gives tests the embedded Istio charts in the forms a
// user pins them: .tgz archives as `helm pull` downloads them, or unpacked
// chart folders, with Chart.yaml versions set as in a release.
package testcharts

import (
	"testing"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/internal/embedded"
	"github.com/istio-render/istio-render/internal/helm"
	"github.com/istio-render/istio-render/mesh"
)

// Form is how the charts are written.
type Form string

// The forms charts.FromPaths reads.
const (
	Archives Form = "tgz"
	Folders  Form = "dir"
)

// Write writes every embedded chart, versioned mesh.DefaultVersion, into a
// new temporary folder in the given form and returns the folder.
func Write(t testing.TB, form Form) string {
	t.Helper()
	dir := t.TempDir()
	format := map[Form]helm.Format{Archives: helm.Archive, Folders: helm.Folder}[form]
	if format == 0 {
		t.Fatalf("unknown chart form %q", form)
	}
	for _, name := range charts.Names() {
		c, err := embedded.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := helm.Save(c.WithVersion(mesh.DefaultVersion), dir, format); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Packaged writes the charts as Write does and loads them back with
// charts.FromPaths.
func Packaged(t testing.TB, form Form) *charts.Source {
	t.Helper()
	src, err := charts.FromPaths(Write(t, form))
	if err != nil {
		t.Fatal(err)
	}
	return src
}
