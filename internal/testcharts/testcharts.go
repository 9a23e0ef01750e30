// Package testcharts gives tests the embedded Istio charts in the forms a
// user pins them: .tgz archives as `helm pull` downloads them, or unpacked
// chart folders, with Chart.yaml versions set as in a release.
package testcharts

import (
	"testing"

	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
)

// Form is how the charts are written.
type Form string

// The forms charts.FromPaths reads.
const (
	Archives Form = "tgz"
	Folders  Form = "dir"
)

// Packaged writes every embedded chart, versioned mesh.DefaultVersion, into
// a temporary folder in the given form and loads it back with
// charts.FromPaths.
func Packaged(t testing.TB, form Form) charts.Source {
	t.Helper()
	dir := t.TempDir()
	for _, name := range charts.Names {
		l, err := charts.Embedded().Chart(name)
		if err != nil {
			t.Fatal(err)
		}
		c := *l.Chart
		md := *c.Metadata
		md.Version, md.AppVersion = mesh.DefaultVersion, mesh.DefaultVersion
		c.Metadata = &md
		switch form {
		case Archives:
			if _, err := chartutil.Save(&c, dir); err != nil {
				t.Fatal(err)
			}
		case Folders:
			if err := chartutil.SaveDir(&c, dir); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("unknown chart form %q", form)
		}
	}
	src, err := charts.FromPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	return src
}
