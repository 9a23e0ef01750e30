package render

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/charts"
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
	file, _ := l.File(crdFile)
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
		obj, err := parseObject(strings.TrimSuffix(string(text), "\n"), false)
		if err != nil {
			t.Fatal(err)
		}
		data, err := obj.encode(len(text))
		if err != nil {
			t.Fatal(err)
		}
		r := resourceOf(ComponentBase, obj.fields, data)
		b.CRDs = append(b.CRDs, bundledCRD{APIVersion: r.APIVersion, Name: r.Name, YAML: string(r.YAML)})
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
	if probeTemplates(l) == nil {
		t.Errorf("the precomputed CRDs do not apply to the embedded base chart")
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
