package conformance_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// TestHelmParity renders every golden case and requires each release's
// objects to equal what Helm's install action renders for the same
// release, up to intendedDifferences.
func TestHelmParity(t *testing.T) {
	hc := newHelmCharts(t)
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := c.spec(t)
			opts := c.options(t)
			rels, err := render.Releases(m, opts)
			if err != nil {
				t.Fatalf("Releases: %v", err)
			}
			out, err := render.Render(context.Background(), m, opts)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			byComponent := map[string][]render.Resource{}
			for _, r := range out.Resources {
				byComponent[r.Component] = append(byComponent[r.Component], r)
			}
			compared := 0
			for _, rel := range rels {
				helm, err := helmTemplate(hc.chart(t, rel), rel)
				if err != nil {
					t.Fatal(err)
				}
				problems, n := compareRelease(&out.Spec.Spec, rel, helm, byComponent[rel.Component])
				for _, p := range problems {
					t.Errorf("%s (release %s/%s, chart %s): %s", rel.Component, rel.Namespace, rel.Name, rel.Chart, p)
				}
				compared += n
				delete(byComponent, rel.Component)
			}
			for comp, rs := range byComponent {
				if !ownComponent(comp) {
					t.Errorf("component %s (%d objects) belongs to no release", comp, len(rs))
				}
			}
			if compared == 0 {
				t.Fatal("no chart object was compared")
			}
			t.Logf("%d releases, %d chart objects equal to Helm's", len(rels), compared)
		})
	}
}

// TestHelmParityDetectsDifferences proves the comparison is not vacuous: a
// changed field, a missing object and an extra object are each reported.
func TestHelmParityDetectsDifferences(t *testing.T) {
	c := goldenCase{name: "profile-minimal", dir: goldenDir + "/profile-minimal"}
	m := c.spec(t)
	rels, err := render.Releases(m, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := render.Render(context.Background(), m, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// istiod renders namespaced objects, so the normalization applies too.
	i := slices.IndexFunc(rels, func(r render.Release) bool { return r.Component == render.ComponentIstiod })
	if i < 0 {
		t.Fatal("no istiod release")
	}
	rel := rels[i]
	hc := newHelmCharts(t)
	helm, err := helmTemplate(hc.chart(t, rel), rel)
	if err != nil {
		t.Fatal(err)
	}
	var mine []render.Resource
	for _, r := range out.Resources {
		if r.Component == rel.Component {
			mine = append(mine, r)
		}
	}
	if problems, _ := compareRelease(&out.Spec.Spec, rel, helm, mine); len(problems) > 0 {
		t.Fatalf("unchanged release differs: %v", problems)
	}
	changed := append([]render.Resource(nil), mine...)
	changed[0].YAML = withLabel(t, changed[0].YAML, "parity-test", "changed")
	tests := []struct {
		name string
		got  []render.Resource
		want string
	}{
		{"changed field", changed, "differs from Helm"},
		{"missing object", mine[1:], "Helm renders it, render does not"},
		{"extra object", append(append([]render.Resource(nil), mine...), out.Resources[0]), "not rendered by Helm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems, _ := compareRelease(&out.Spec.Spec, rel, helm, tt.got)
			if len(problems) == 0 || !strings.Contains(strings.Join(problems, "\n"), tt.want) {
				t.Errorf("problems = %q, want one containing %q", problems, tt.want)
			}
		})
	}
}

// withLabel returns an object's YAML with one more label.
func withLabel(t *testing.T, data []byte, key, value string) []byte {
	t.Helper()
	obj, err := parseObject(data)
	if err != nil {
		t.Fatal(err)
	}
	md, _ := obj["metadata"].(map[string]any)
	labels, _ := md["labels"].(map[string]any)
	if labels == nil {
		labels = map[string]any{}
		md["labels"] = labels
	}
	labels[key] = value
	out, err := yaml.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// compareRelease compares Helm's objects for a release of the spec s with
// render's resources of the release's component, after
// intendedDifferences. It returns the problems found and how many objects
// were equal.
func compareRelease(s *mesh.Spec, rel render.Release, helm []map[string]any, rendered []render.Resource) ([]string, int) {
	var problems []string
	want := map[string]map[string]any{}
	for _, obj := range helm {
		for _, d := range intendedDifferences {
			if d.normalize != nil {
				d.normalize(s, rel, obj)
			}
		}
		id := objectID(obj)
		if _, dup := want[id]; dup {
			problems = append(problems, fmt.Sprintf("%s: Helm renders it twice", id))
		}
		want[id] = obj
	}
	got := map[string]map[string]any{}
	for _, r := range rendered {
		if renderOnly(r) {
			continue
		}
		obj, err := parseObject(r.YAML)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: render's YAML does not parse: %v", r.ID(), err))
			continue
		}
		got[objectID(obj)] = obj
	}
	ids := map[string]bool{}
	for id := range want {
		ids[id] = true
	}
	for id := range got {
		ids[id] = true
	}
	sorted := make([]string, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)
	equal := 0
	for _, id := range sorted {
		w, inHelm := want[id]
		g, inRender := got[id]
		switch {
		case !inRender:
			problems = append(problems, fmt.Sprintf("%s: Helm renders it, render does not", id))
		case !inHelm:
			problems = append(problems, fmt.Sprintf("%s: not rendered by Helm", id))
		default:
			if diff := cmp.Diff(w, g); diff != "" {
				problems = append(problems, fmt.Sprintf("%s differs from Helm (-helm +render):\n%s", id, diff))
				continue
			}
			equal++
		}
	}
	return problems, equal
}

// renderOnly reports an object an intended difference adds.
func renderOnly(r render.Resource) bool {
	for _, d := range intendedDifferences {
		if d.renderOnly != nil && d.renderOnly(r) {
			return true
		}
	}
	return false
}

// ownComponent reports a component of objects render writes itself, which
// no chart renders: namespaces, mesh policy, the Gateway API CRDs, gateways
// and grants, and waypoints.
func ownComponent(c string) bool {
	return c == render.ComponentNamespaces || c == render.ComponentPolicy || c == render.ComponentGatewayAPI ||
		strings.HasPrefix(c, render.ComponentGatewayAPIPrefix) || strings.HasPrefix(c, render.ComponentWaypointPrefix)
}
