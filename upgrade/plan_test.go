package upgrade_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/upgrade"
)

const head = "# The production mesh.\napiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: prod\nspec:\n  profile: default # the recommended start\n"

// spec is what each step's spec says about the control planes.
type shape struct {
	Revisions  []string // name@version[@charts]
	Tags       map[string]string
	Namespaces map[string]string
	Gateways   map[string]string
}

func shapeOf(t *testing.T, data []byte) shape {
	t.Helper()
	m, _, err := mesh.Load(data)
	if err != nil {
		t.Fatalf("step does not load: %v\n%s", err, data)
	}
	s := m.Spec
	out := shape{Tags: s.Tags, Namespaces: map[string]string{}, Gateways: map[string]string{}}
	for _, r := range s.Revisions {
		out.Revisions = append(out.Revisions, strings.TrimSuffix(r.Name+"@"+r.Version+"@"+r.Charts, "@"))
	}
	for _, n := range s.Namespaces {
		out.Namespaces[n.Name] = n.Injection
	}
	for _, g := range s.Gateways {
		out.Gateways[g.Name] = g.Revision
	}
	return out
}

func TestPlan(t *testing.T) {
	tests := []struct {
		name  string
		spec  string
		opts  upgrade.Options
		steps []string
		want  []shape
	}{{
		name: "spec.revision, a patch upgrade",
		spec: head + "  version: 1.31.0\n  revision: 1-31-0\n  revisionTags: [prod-stable]\n  gateways:\n  - {name: istio-ingressgateway, revision: prod-stable}\n  namespaces:\n  - {name: shop, injection: prod-stable}\n  - {name: cart, injection: 1-31-0}\n",
		opts: upgrade.Options{Version: "1.31.1", CanaryTag: "prod-canary"},
		steps: []string{
			"revisions: Write the control plane as spec.revisions and spec.tags.",
			"add-1-31-1: Add revision 1-31-1 (Istio 1.31.1) beside 1-31-0.",
			"canary-1-31-1: Point the tag prod-canary at 1-31-1.",
			"move-1-31-1: Move tag prod-stable; namespace cart to 1-31-1.",
			"remove-1-31-0: Remove revision 1-31-0.",
		},
		want: []shape{{
			Revisions: []string{"1-31-0@1.31.0"}, Tags: map[string]string{"prod-stable": "1-31-0"},
			Namespaces: map[string]string{"shop": "prod-stable", "cart": "1-31-0"}, Gateways: map[string]string{"istio-ingressgateway": "prod-stable"},
		}, {
			Revisions: []string{"1-31-0@1.31.0", "1-31-1@1.31.1"}, Tags: map[string]string{"prod-stable": "1-31-0"},
			Namespaces: map[string]string{"shop": "prod-stable", "cart": "1-31-0"}, Gateways: map[string]string{"istio-ingressgateway": "prod-stable"},
		}, {
			Revisions: []string{"1-31-0@1.31.0", "1-31-1@1.31.1"}, Tags: map[string]string{"prod-stable": "1-31-0", "prod-canary": "1-31-1"},
			Namespaces: map[string]string{"shop": "prod-stable", "cart": "1-31-0"}, Gateways: map[string]string{"istio-ingressgateway": "prod-stable"},
		}, {
			Revisions: []string{"1-31-0@1.31.0", "1-31-1@1.31.1"}, Tags: map[string]string{"prod-stable": "1-31-1", "prod-canary": "1-31-1"},
			Namespaces: map[string]string{"shop": "prod-stable", "cart": "1-31-1"}, Gateways: map[string]string{"istio-ingressgateway": "prod-stable"},
		}, {
			Revisions: []string{"1-31-1@1.31.1"}, Tags: map[string]string{"prod-stable": "1-31-1", "prod-canary": "1-31-1"},
			Namespaces: map[string]string{"shop": "prod-stable", "cart": "1-31-1"}, Gateways: map[string]string{"istio-ingressgateway": "prod-stable"},
		}},
	}, {
		name: "spec.revisions, 1.30 to 1.31, the default tag and a gateway by name",
		spec: head + "  revisions:\n  - name: 1-30-4\n    version: 1.30.4\n    charts: ./charts/1.30.4 # helm pull\n  tags:\n    default: 1-30-4\n  gateways:\n  - {name: edge, revision: 1-30-4}\n  namespaces:\n  - {name: shop, injection: enabled}\n",
		opts: upgrade.Options{Version: "1.31.0"},
		steps: []string{
			"add-1-31-0: Add revision 1-31-0 (Istio 1.31.0) beside 1-30-4.",
			"canary-1-31-0: Point the tag canary at 1-31-0.",
			"move-1-31-0: Move tag default; gateway edge to 1-31-0.",
			"remove-1-30-4: Remove revision 1-30-4.",
		},
		want: []shape{{
			Revisions: []string{"1-30-4@1.30.4@./charts/1.30.4", "1-31-0@1.31.0"}, Tags: map[string]string{"default": "1-30-4"},
			Namespaces: map[string]string{"shop": "enabled"}, Gateways: map[string]string{"edge": "1-30-4", "istio-ingressgateway": ""},
		}, {
			Revisions: []string{"1-30-4@1.30.4@./charts/1.30.4", "1-31-0@1.31.0"}, Tags: map[string]string{"default": "1-30-4", "canary": "1-31-0"},
			Namespaces: map[string]string{"shop": "enabled"}, Gateways: map[string]string{"edge": "1-30-4", "istio-ingressgateway": ""},
		}, {
			Revisions: []string{"1-30-4@1.30.4@./charts/1.30.4", "1-31-0@1.31.0"}, Tags: map[string]string{"default": "1-31-0", "canary": "1-31-0"},
			Namespaces: map[string]string{"shop": "enabled"}, Gateways: map[string]string{"edge": "1-31-0", "istio-ingressgateway": ""},
		}, {
			Revisions: []string{"1-31-0@1.31.0"}, Tags: map[string]string{"default": "1-31-0", "canary": "1-31-0"},
			Namespaces: map[string]string{"shop": "enabled"}, Gateways: map[string]string{"edge": "1-31-0", "istio-ingressgateway": ""},
		}},
	}, {
		name: "the default revision, with charts for both",
		spec: head + "  version: 1.30.2\n  namespaces:\n  - {name: shop, injection: enabled}\n",
		opts: upgrade.Options{Version: "1.31.0", Charts: "./charts/1.31.0", FromCharts: "./charts/1.30.2"},
		steps: []string{
			"revisions: Write the control plane as spec.revisions and spec.tags.",
			"add-1-31-0: Add revision 1-31-0 (Istio 1.31.0) beside default.",
			"canary-1-31-0: Point the tag canary at 1-31-0.",
			"default-1-31-0: Tag 1-31-0 default and remove the default revision.",
		},
		want: []shape{{
			Revisions:  []string{"default@1.30.2@./charts/1.30.2"},
			Namespaces: map[string]string{"shop": "enabled"}, Gateways: map[string]string{"istio-ingressgateway": ""},
		}, {
			Revisions:  []string{"default@1.30.2@./charts/1.30.2", "1-31-0@1.31.0@./charts/1.31.0"},
			Namespaces: map[string]string{"shop": "enabled"}, Gateways: map[string]string{"istio-ingressgateway": ""},
		}, {
			Revisions: []string{"default@1.30.2@./charts/1.30.2", "1-31-0@1.31.0@./charts/1.31.0"}, Tags: map[string]string{"canary": "1-31-0"},
			Namespaces: map[string]string{"shop": "enabled"}, Gateways: map[string]string{"istio-ingressgateway": ""},
		}, {
			Revisions: []string{"1-31-0@1.31.0@./charts/1.31.0"}, Tags: map[string]string{"canary": "1-31-0", "default": "1-31-0"},
			Namespaces: map[string]string{"shop": "enabled"}, Gateways: map[string]string{"istio-ingressgateway": ""},
		}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := upgrade.Plan([]byte(tt.spec), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			var shapes []shape
			for _, s := range steps {
				titles = append(titles, s.Name+": "+s.Title)
				shapes = append(shapes, shapeOf(t, s.Spec))
				for _, keep := range []string{"# The production mesh.", "profile: default # the recommended start"} {
					if !strings.Contains(string(s.Spec), keep) {
						t.Errorf("step %s lost %q:\n%s", s.Name, keep, s.Spec)
					}
				}
			}
			if diff := cmp.Diff(tt.steps, titles); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, shapes); diff != "" {
				t.Errorf("specs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanRebasesCharts rewrites the chart folders a spec holds for specs
// written elsewhere.
func TestPlanRebasesCharts(t *testing.T) {
	spec := head + "  revisions:\n  - {name: a, version: 1.30.4, charts: ./charts/1.30.4}\n"
	steps, err := upgrade.Plan([]byte(spec), upgrade.Options{Version: "1.31.0", Rebase: func(ref string) string { return "../" + ref }})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps[:len(steps)-1] {
		if !strings.Contains(string(s.Spec), "charts: .././charts/1.30.4") {
			t.Errorf("step %s keeps the spec's folder:\n%s", s.Name, s.Spec)
		}
	}
}

// TestPlanAddsARevisionInItsListsStyle writes the new revision in the
// style of the revisions before it: block among block entries, flow among
// flow ones.
func TestPlanAddsARevisionInItsListsStyle(t *testing.T) {
	tests := []struct{ name, revisions, want string }{
		{"block", "  revisions:\n  - name: a\n    version: 1.31.0\n", "  revisions:\n    - name: a\n      version: 1.31.0\n    - name: 1-31-1\n      version: 1.31.1\n"},
		{"flow entries", "  revisions:\n  - {name: a, version: 1.31.0}\n", "  revisions:\n    - {name: a, version: 1.31.0}\n    - {name: 1-31-1, version: 1.31.1}\n"},
		{"a flow list", "  revisions: [{name: a, version: 1.31.0}]\n", "  revisions: [{name: a, version: 1.31.0}, {name: 1-31-1, version: 1.31.1}]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := upgrade.Plan([]byte(head+tt.revisions), upgrade.Options{Version: "1.31.1"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(steps[0].Spec), tt.want) {
				t.Errorf("step %s lacks\n%s\nin:\n%s", steps[0].Name, tt.want, steps[0].Spec)
			}
		})
	}
}

func TestPlanRefuses(t *testing.T) {
	tests := []struct {
		name, spec string
		opts       upgrade.Options
		want       string
	}{{
		name: "two minors ahead",
		spec: head + "  version: 1.29.3\n",
		opts: upgrade.Options{Version: "1.31.0", FromCharts: "x", Charts: "y"},
		want: "1.31.0 is more than one minor version after 1.29.3: upgrade to 1.30 first, then plan again",
	}, {
		name: "not newer",
		spec: head,
		opts: upgrade.Options{Version: "1.31.0"},
		want: "1.31.0 is not newer than 1.31.0, which the spec runs",
	}, {
		name: "not a version",
		spec: head,
		opts: upgrade.Options{Version: "latest"},
		want: `"latest" is not an Istio version such as 1.31.0`,
	}, {
		name: "an upgrade under way",
		spec: head + "  revision: a\n  canary: {revision: b, version: 1.31.1}\n",
		opts: upgrade.Options{Version: "1.31.2"},
		want: "spec.canary: the spec runs 2 control planes: an upgrade is under way; finish it (move every workload and remove the old revision) before planning another",
	}, {
		name: "a line the binary does not embed",
		spec: head,
		opts: upgrade.Options{Version: "1.32.0"},
		want: "Istio 1.32.0 needs its own charts (these embedded ones are Istio 1.31): give the folder `helm pull istio/<chart> --version 1.32.0` fills, with --charts DIR",
	}, {
		name: "the current charts unnamed",
		spec: head + "  version: 1.30.4\n",
		opts: upgrade.Options{Version: "1.31.0"},
		want: "spec.revision: Istio 1.30.4 renders from charts given at render time; name them with --from-charts DIR, so that each revision keeps its own",
	}, {
		name: "the canary tag default",
		spec: head,
		opts: upgrade.Options{Version: "1.31.1", CanaryTag: "default"},
		want: "the canary tag cannot be default: the default moves in a later step",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := upgrade.Plan([]byte(tt.spec), tt.opts)
			var pe *upgrade.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Plan = %v, want an *upgrade.Error", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
	if _, err := upgrade.Plan([]byte(head+"  mesh: {mtls: LOOSE}\n"), upgrade.Options{Version: "1.31.1"}); err == nil || !strings.Contains(err.Error(), "spec.mesh.mtls") {
		t.Errorf("an invalid spec: %v", err)
	}
}
