package conformance_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"helm.sh/helm/v3/pkg/cli/values"
	"helm.sh/helm/v3/pkg/getter"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/internal/cli"
	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// printedRelease is a document of `istio-render values`, in the shape
// docs/helm.md documents.
type printedRelease struct {
	Chart struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"chart"`
	Release     string         `json:"release"`
	Namespace   string         `json:"namespace"`
	KubeVersion string         `json:"kubeVersion"`
	Values      map[string]any `json:"values"`
}

// valuesCommand runs `istio-render values` with args and returns what it
// printed, failing the test unless it succeeds.
func valuesCommand(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Main(context.Background(), cli.Streams{In: strings.NewReader(""), Out: &out, Err: &errOut},
		append([]string{"values"}, args...))
	if code != cli.ExitOK {
		t.Fatalf("istio-render values %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String()
}

// helmReleases runs `istio-render values` for a golden case, once printing
// the releases and once writing a values file per release, and returns the
// releases as Helm gets them: chart, version, release, namespace and
// Kubernetes version from the printed documents, values read from each
// release's file by Helm's own -f code. The values printed and the file
// must agree. Only the Component, which says which of the render's objects
// a release is compared with, comes from render.Releases, by namespace and
// release name.
func helmReleases(t *testing.T, c goldenCase) []render.Release {
	t.Helper()
	spec := filepath.Join(c.dir, "mesh.yaml")
	if revisionCases[c.name] {
		// As a user has it: the charts the spec names beside it.
		data, err := os.ReadFile(spec)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		spec = filepath.Join(dir, "mesh.yaml")
		if err := os.WriteFile(spec, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(testcharts.Istio130Charts(t), filepath.Join(dir, testcharts.Istio130Ref)); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"-f", spec}
	if packagedCases[c.name] {
		args = append(args, "--charts", testcharts.Write(t, testcharts.Archives))
	}
	stream := valuesCommand(t, args...)
	dir := t.TempDir()
	valuesCommand(t, append(args, "-o", dir)...)

	planned, err := render.Releases(c.spec(t), c.options(t))
	if err != nil {
		t.Fatalf("Releases: %v", err)
	}
	component := map[string]string{}
	for _, r := range planned {
		component[r.Namespace+"/"+r.Name] = r.Component
	}

	var rels []render.Release
	for _, doc := range strings.Split(stream, "---\n") {
		var p printedRelease
		if err := yaml.UnmarshalStrict([]byte(doc), &p); err != nil {
			t.Fatalf("decoding the output of istio-render values: %v\n%.300s", err, doc)
		}
		file := filepath.Join(dir, p.Release+"-values.yaml")
		vals, err := (&values.Options{ValueFiles: []string{file}}).MergeValues(getter.Providers{})
		if err != nil {
			t.Fatalf("helm reading %s: %v", file, err)
		}
		if diff := cmp.Diff(p.Values, vals); diff != "" {
			t.Errorf("%s is not the printed values of release %s (-printed +file):\n%s", file, p.Release, diff)
		}
		comp, ok := component[p.Namespace+"/"+p.Release]
		if !ok {
			t.Fatalf("istio-render values printed release %s/%s, which the render does not have", p.Namespace, p.Release)
		}
		rels = append(rels, render.Release{
			Component: comp, Charts: chartLine(t, p.Chart.Version), Chart: p.Chart.Name, ChartVersion: p.Chart.Version,
			Name: p.Release, Namespace: p.Namespace, KubeVersion: p.KubeVersion,
			Values: vals,
		})
	}
	if len(rels) != len(planned) {
		t.Errorf("istio-render values printed %d releases, the render has %d", len(rels), len(planned))
	}
	return rels
}

// chartLine is the chart reference helmCharts loads a chart of a version
// from, as helm --version picks a chart from the repository: the 1.30
// line's charts for a 1.30 version, the embedded ones for the default
// version's line.
func chartLine(t *testing.T, version string) string {
	t.Helper()
	minor := func(v string) string {
		parts := strings.SplitN(v, ".", 3)
		if len(parts) < 2 {
			return v
		}
		return parts[0] + "." + parts[1]
	}
	switch minor(version) {
	case "1.30":
		return testcharts.Istio130Ref
	case minor(mesh.DefaultVersion):
		return ""
	}
	t.Fatalf("no charts of version %s to give Helm", version)
	return ""
}

// TestHelmRoundTrip is the way to Helm, proved: for every golden case,
// Helm's install action (the helm template code path), given the charts
// and the values files that `istio-render values` writes, renders exactly
// the chart objects istio-render renders, up to intendedDifferences. What
// remains of the render is what no chart holds (Namespaces, mesh policy,
// the gateways' Gateway and Certificate objects), which docs/helm.md tells
// Helm users to apply themselves.
func TestHelmRoundTrip(t *testing.T) {
	hc := newHelmCharts(t)
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rels := helmReleases(t, c)
			out, err := render.Render(context.Background(), c.spec(t), c.options(t))
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			problems, compared := compareCharts(t, hc, out, rels)
			for _, p := range problems {
				t.Error(p)
			}
			if compared == 0 {
				t.Fatal("no chart object was compared")
			}
			t.Logf("%d releases, %d chart objects equal to Helm's", len(rels), compared)
		})
	}
}

// compareCharts renders every release with Helm and compares its objects
// with the render's objects of the release's component, as TestHelmParity
// does. Every other component of the render must be the Namespaces or the
// mesh policy. It returns the problems and how many objects were equal.
func compareCharts(t *testing.T, hc *helmCharts, out *render.Manifest, rels []render.Release) ([]string, int) {
	t.Helper()
	byComponent := map[string][]render.Resource{}
	for _, r := range out.Resources {
		byComponent[r.Component] = append(byComponent[r.Component], r)
	}
	var problems []string
	equal := 0
	for _, rel := range rels {
		helm, err := helmTemplate(hc.chart(t, rel), rel)
		if err != nil {
			t.Fatal(err)
		}
		ps, n := compareRelease(&out.Spec.Spec, rel, helm, byComponent[rel.Component])
		for _, p := range ps {
			problems = append(problems, fmt.Sprintf("release %s/%s (chart %s): %s", rel.Namespace, rel.Name, rel.Chart, p))
		}
		equal += n
		delete(byComponent, rel.Component)
	}
	for _, comp := range slices.Sorted(maps.Keys(byComponent)) {
		if !ownComponent(comp) {
			problems = append(problems, fmt.Sprintf("component %s (%d objects) belongs to no release", comp, len(byComponent[comp])))
		}
	}
	return problems, equal
}

// TestHelmRoundTripDetectsDifferences proves the round trip can fail: a
// values file that lost a setting, a release left out and a release
// given the wrong namespace are each reported.
func TestHelmRoundTripDetectsDifferences(t *testing.T) {
	c := goldenCase{name: "profile-default", dir: goldenDir + "/profile-default"}
	rels := helmReleases(t, c)
	out, err := render.Render(context.Background(), c.spec(t), c.options(t))
	if err != nil {
		t.Fatal(err)
	}
	hc := newHelmCharts(t)
	if problems, _ := compareCharts(t, hc, out, rels); len(problems) > 0 {
		t.Fatalf("unchanged releases differ: %v", problems)
	}
	withIstiod := func(change func(*render.Release)) []render.Release {
		cp := append([]render.Release(nil), rels...)
		for i := range cp {
			if cp[i].Chart == "istiod" {
				vals, err := yaml.Marshal(cp[i].Values)
				if err != nil {
					t.Fatal(err)
				}
				cp[i].Values = nil
				if err := yaml.Unmarshal(vals, &cp[i].Values); err != nil {
					t.Fatal(err)
				}
				change(&cp[i])
			}
		}
		return cp
	}
	tests := []struct {
		name string
		rels []render.Release
		want string
	}{{
		name: "a setting lost",
		rels: withIstiod(func(r *render.Release) { delete(r.Values["global"].(map[string]any), "hub") }),
		want: "differs from Helm",
	}, {
		name: "a release left out",
		rels: rels[:len(rels)-1],
		want: "belongs to no release",
	}, {
		name: "a wrong namespace",
		rels: withIstiod(func(r *render.Release) { r.Namespace = "elsewhere" }),
		want: "Helm renders it, render does not",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems, _ := compareCharts(t, hc, out, tt.rels)
			if !strings.Contains(strings.Join(problems, "\n"), tt.want) {
				t.Errorf("problems = %q, want one containing %q", problems, tt.want)
			}
		})
	}
}
