package render

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"helm.sh/helm/v3/pkg/releaseutil"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
)

var update = flag.Bool("update", false, "regenerate crds.gen.txt from the embedded base chart")

// TestCRDBundle regenerates the precomputed CRDs from the embedded base
// chart the way its template renders them (fromYaml, labels set, toYaml),
// followed by render's own parse and serialization, and requires the
// committed bundle to match.
func TestCRDBundle(t *testing.T) {
	l, err := charts.Embedded().Chart(charts.Base)
	if err != nil {
		t.Fatal(err)
	}
	var file []byte
	for _, f := range l.Chart.Files {
		if f.Name == crdFile {
			file = f.Data
		}
	}
	sum := sha256.Sum256(file)
	b := crdBundle{SourceSHA256: hex.EncodeToString(sum[:])}
	for _, doc := range strings.Split(string(file), "\n---\n") {
		var asDict map[string]any
		if err := yaml.Unmarshal([]byte(doc), &asDict); err != nil {
			t.Fatal(err)
		}
		md := asDict["metadata"].(map[string]any)
		md["labels"] = map[string]any{labelPlaceholder: labelPlaceholder}
		text, err := yaml.Marshal(asDict)
		if err != nil {
			t.Fatal(err)
		}
		obj, err := parseObject(strings.TrimSuffix(string(text), "\n"))
		if err != nil {
			t.Fatal(err)
		}
		r, err := newResource(ComponentBase, obj)
		if err != nil {
			t.Fatal(err)
		}
		b.CRDs = append(b.CRDs, bundledCRD{APIVersion: r.APIVersion(), Name: r.Name(), YAML: string(r.YAML)})
	}
	got := formatBundle(&b)
	if *update {
		if err := os.WriteFile("crds.gen.txt", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != crdBundleText {
		t.Errorf("crds.gen.txt is out of date with the embedded base chart; run go test ./render -run TestCRDBundle -update")
	}
	parsed, err := parseBundle(got)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&b, parsed); diff != "" {
		t.Errorf("the bundle does not read back as written (-written +read):\n%s", diff)
	}
	if probeChart(l.Chart) == nil {
		t.Errorf("the precomputed CRDs do not apply to the embedded base chart")
	}
}

// TestCRDFastPathMatchesChart renders the base chart with its own CRD
// template and with the precomputed CRDs for every input that reaches the
// template, and requires the same bytes.
func TestCRDFastPathMatchesChart(t *testing.T) {
	specs := map[string]string{
		"canary revision":     "spec:\n  revision: canary\n",
		"ambient":             "spec:\n  profile: ambient\n",
		"another patch":       "spec:\n  version: 1.31.7\n",
		"other root":          "spec:\n  rootNamespace: mesh-system\n",
		"excluded CRDs":       "spec:\n  values:\n    base:\n      base:\n        excludedCRDs: [wasmplugins.extensions.istio.io, telemetries.telemetry.istio.io]\n",
		"CRD templates off":   "spec:\n  values:\n    base:\n      base:\n        enableCRDTemplates: false\n",
		"namespace scope":     "spec:\n  values:\n    base:\n      global:\n        resourceScope: namespace\n",
		"excluded not a list": "spec:\n  values:\n    base:\n      base:\n        excludedCRDs: telemetries.telemetry.istio.io\n",
	}
	golden, _ := filepath.Glob(filepath.Join("..", "golden", "testdata", "*", "mesh.yaml"))
	for _, f := range golden {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		specs["golden "+filepath.Base(filepath.Dir(f))] = string(data)
	}
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			if !strings.HasPrefix(spec, "apiVersion") && !strings.Contains(spec, "\napiVersion") {
				spec = "apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: t\n" + spec
			}
			m, _, err := mesh.Load([]byte(spec))
			if err != nil {
				t.Fatal(err)
			}
			rels, err := Releases(m, Options{})
			if err != nil {
				t.Fatal(err)
			}
			base := rels[0]
			if base.ChartName != charts.Base {
				t.Fatalf("first release is %s, want base", base.ChartName)
			}
			fast, fastErr := renderReleaseWith(base, true)
			slow, slowErr := renderReleaseWith(base, false)
			if (fastErr != nil) != (slowErr != nil) {
				t.Fatalf("errors differ: precomputed %v, chart %v", fastErr, slowErr)
			}
			if err := sortResources(fast); err != nil {
				t.Fatal(err)
			}
			if err := sortResources(slow); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(describe(slow), describe(fast)); diff != "" {
				t.Errorf("precomputed CRDs differ from the chart's template (-chart +precomputed):\n%s", diff)
			}
		})
	}
}

// describe flattens resources for comparison.
func describe(rs []Resource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Component + " " + r.ID() + "\n" + string(r.YAML)
	}
	return out
}

// TestSplitDocuments holds the shortcut to Helm's own splitting.
func TestSplitDocuments(t *testing.T) {
	for _, in := range []string{
		"", "  \n", "a: 1", "---\na: 1\n", "a: 1\n---\nb: 2", "a: 1\n---b: 2\n",
		"a: |\n  ---\n  x\n", "  a: 1\n  ---\n", "\n\n---\n---\n", "a: 1 --- b",
	} {
		docs := releaseutil.SplitManifests(in)
		keys := make([]string, 0, len(docs))
		for k := range docs {
			keys = append(keys, k)
		}
		sort.Sort(releaseutil.BySplitManifestsOrder(keys))
		var want []string
		for _, k := range keys {
			want = append(want, docs[k])
		}
		if diff := cmp.Diff(want, splitDocuments(in)); diff != "" {
			t.Errorf("splitDocuments(%q) differs from Helm (-helm +ours):\n%s", in, diff)
		}
	}
}
