package behaviour_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/internal/testcharts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/profiles"
	"github.com/istio-render/istio-render/render"
)

// goldenDir holds the golden cases: <case>/mesh.yaml and <case>/expected.yaml.
const goldenDir = "../../golden/testdata"

// packagedCases render from charts packaged the way `helm pull` delivers
// them, and revisionCases resolve spec.revisions[].charts, as the golden
// test renders them.
var (
	packagedCases = map[string]bool{"charts-dir": true}
	revisionCases = map[string]bool{"revisions-two-lines": true}
)

// testCase is one spec to prove: a golden case or a bare profile.
type testCase struct {
	name string
	spec []byte
}

// options are the render options the golden test uses for the case.
func (c testCase) options(t testing.TB) render.Options {
	t.Helper()
	var opts render.Options
	if packagedCases[c.name] {
		opts.Charts = testcharts.Packaged(t, testcharts.Archives)
	}
	if revisionCases[c.name] {
		opts.RevisionCharts = testcharts.Resolver(t)
	}
	return opts
}

// cases lists every golden case (a folder with mesh.yaml and
// expected.yaml) in name order, then a spec for every embedded profile
// that no golden case already is (a golden case whose completed spec
// equals the profile's own covers it), then the specs of this package's
// testdata, which set what no golden case does.
func cases(t testing.TB) []testCase {
	t.Helper()
	found, err := filepath.Glob(filepath.Join(goldenDir, "*", "expected.yaml"))
	if err != nil || len(found) == 0 {
		t.Fatalf("no golden cases under %s: %v", goldenDir, err)
	}
	sort.Strings(found)
	var out []testCase
	var golden []*mesh.Resolved
	for _, exp := range found {
		dir := filepath.Dir(exp)
		data, err := os.ReadFile(filepath.Join(dir, "mesh.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, testCase{name: filepath.Base(dir), spec: data})
		m, _, err := mesh.Load(data)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(dir), err)
		}
		golden = append(golden, m)
	}
	for _, p := range profiles.Names() {
		spec := []byte("apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata: {name: " + p + "}\nspec: {profile: " + p + "}\n")
		m, _, err := mesh.Load(spec)
		if err != nil {
			t.Fatalf("profile %s: %v", p, err)
		}
		covered := false
		for _, g := range golden {
			if g.Profile == m.Profile && cmp.Equal(g.Spec, m.Spec) {
				covered = true
			}
		}
		if !covered {
			out = append(out, testCase{name: "profile=" + p, spec: spec})
		}
	}
	extra, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(extra)
	for _, f := range extra {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, testCase{name: "testdata/" + strings.TrimSuffix(filepath.Base(f), ".yaml"), spec: data})
	}
	return out
}

// caseNamed returns the case of that name.
func caseNamed(t testing.TB, name string) testCase {
	t.Helper()
	for _, c := range cases(t) {
		if c.name == name {
			return c
		}
	}
	t.Fatalf("no case %q", name)
	return testCase{}
}

// bundle is one rendered case: the completed spec and the objects.
type bundle struct {
	name string
	spec *mesh.Spec
	objs []*unstructured.Unstructured
}

// renderCase loads and renders a spec as the golden test does.
func renderCase(t testing.TB, tc testCase) *bundle {
	t.Helper()
	m, _, err := mesh.Load(tc.spec)
	if err != nil {
		t.Fatalf("%s: load: %v", tc.name, err)
	}
	out, err := render.Render(context.Background(), m, tc.options(t))
	if err != nil {
		t.Fatalf("%s: render: %v", tc.name, err)
	}
	b := &bundle{name: tc.name, spec: &out.Spec.Spec}
	for _, r := range out.Resources {
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal(r.YAML, &u.Object); err != nil {
			t.Fatalf("%s: %s: %v", tc.name, r.ID(), err)
		}
		b.objs = append(b.objs, u)
	}
	return b
}

// find returns the rendered object of that kind, namespace and name.
func (b *bundle) find(kind, ns, name string) *unstructured.Unstructured {
	for _, o := range b.objs {
		if o.GetKind() == kind && o.GetNamespace() == ns && o.GetName() == name {
			return o
		}
	}
	return nil
}

// ofKind returns the rendered objects of a kind, in render order.
func (b *bundle) ofKind(kind string) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, o := range b.objs {
		if o.GetKind() == kind {
			out = append(out, o)
		}
	}
	return out
}

// clone deep-copies a bundle so a test can break it.
func (b *bundle) clone() *bundle {
	c := &bundle{name: b.name, spec: b.spec}
	for _, o := range b.objs {
		c.objs = append(c.objs, o.DeepCopy())
	}
	return c
}

// stream writes objects as one multi-document YAML stream.
func stream(t testing.TB, objs []*unstructured.Unstructured) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, o := range objs {
		data, err := yaml.Marshal(o.Object)
		if err != nil {
			t.Fatal(err)
		}
		buf.WriteString("---\n")
		buf.Write(data)
	}
	return buf.Bytes()
}
