package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
)

// TestShortcutsChangeNoByte renders every release of every golden spec, and
// of specs that reach each input the base chart's CRD template reads, twice:
// with the shortcuts (precomputed CRDs, short canonical YAML) and the
// straightforward way (the chart's own CRD template, sigs.k8s.io/yaml's
// round trip). The objects and warnings must be the same, byte for byte.
func TestShortcutsChangeNoByte(t *testing.T) {
	specs := map[string]string{
		"canary revision":     "spec:\n  revision: canary\n",
		"another patch":       "spec:\n  version: 1.31.7\n",
		"other root":          "spec:\n  rootNamespace: mesh-system\n",
		"excluded CRDs":       "spec:\n  values:\n    base:\n      base:\n        excludedCRDs: [wasmplugins.extensions.istio.io, telemetries.telemetry.istio.io]\n",
		"CRD templates off":   "spec:\n  values:\n    base:\n      base:\n        enableCRDTemplates: false\n",
		"namespace scope":     "spec:\n  values:\n    base:\n      global:\n        resourceScope: namespace\n",
		"excluded not a list": "spec:\n  values:\n    base:\n      base:\n        excludedCRDs: telemetries.telemetry.istio.io\n",
		"odd scalars":         "spec:\n  values:\n    istiod:\n      podAnnotations:\n        a: \"yes\"\n        b: \"0x1F\"\n        c: \"1e3\"\n        d: \"~\"\n        e: \"2001-12-14\"\n        f: \"\\u2028<&>\"\n      env:\n        BIG: 12345678901234567890\n        HALF: 0.5\n        TINY: 1e-9\n        HUGE: 1e300\n",
	}
	golden, _ := filepath.Glob(filepath.Join("..", "golden", "testdata", "*", "mesh.yaml"))
	for _, f := range golden {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		specs["golden "+filepath.Base(filepath.Dir(f))] = string(data)
	}
	// The golden specs that name chart folders get them as the golden
	// test does.
	resolve := testcharts.Resolver(t)
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			if !strings.HasPrefix(spec, "apiVersion") && !strings.Contains(spec, "\napiVersion") {
				spec = "apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: t\n" + spec
			}
			m, _, err := mesh.Load([]byte(spec))
			if err != nil {
				t.Fatal(err)
			}
			p, err := newPlan(m, Options{RevisionCharts: resolve})
			if err != nil {
				t.Fatal(err)
			}
			for _, planned := range p.releases {
				rel, err := p.load(planned)
				if err != nil {
					t.Fatal(err)
				}
				short, shortErr := renderChart(rel, rel.values(), true)
				straight, straightErr := renderChart(rel, rel.values(), false)
				if (shortErr != nil) != (straightErr != nil) {
					t.Fatalf("%s: errors differ: with shortcuts %v, without %v", rel.Component, shortErr, straightErr)
				}
				if err := sortResources(short.resources); err != nil {
					t.Fatal(err)
				}
				if err := sortResources(straight.resources); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(describe(straight.resources), describe(short.resources)); diff != "" {
					t.Errorf("%s: shortcuts change the output (-straightforward +shortcuts):\n%s", rel.Component, diff)
				}
				if diff := cmp.Diff(straight.warnings, short.warnings); diff != "" {
					t.Errorf("%s: shortcuts change the warnings (-straightforward +shortcuts):\n%s", rel.Component, diff)
				}
			}
		})
	}
}
