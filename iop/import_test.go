package iop_test

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"istio.io/istio/manifests"

	"github.com/istio-render/istio-render/iop"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

var update = flag.Bool("update", false, "rewrite testdata/imported from the current output")

// inputs are the IstioOperator profiles of the embedded istio.io/istio
// module and the examples in testdata, by name.
func inputs(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	profiles, err := fs.Glob(manifests.FS, "profiles/*.yaml")
	if err != nil || len(profiles) < 8 {
		t.Fatalf("profiles: %v (%d)", err, len(profiles))
	}
	for _, p := range profiles {
		data, err := fs.ReadFile(manifests.FS, p)
		if err != nil {
			t.Fatal(err)
		}
		out["profile-"+strings.TrimSuffix(path.Base(p), ".yaml")] = data
	}
	examples, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	for _, p := range examples {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(p), ".yaml")] = data
	}
	return out
}

// TestImportGolden imports every profile and example, requires the spec
// written in testdata/imported (-update rewrites it), and renders it.
func TestImportGolden(t *testing.T) {
	for name, data := range inputs(t) {
		t.Run(name, func(t *testing.T) {
			res, err := iop.Import(data)
			if err != nil {
				t.Fatal(err)
			}
			got, err := res.YAML(name + ".yaml")
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join("testdata", "imported", name+".yaml")
			if *update {
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
			} else {
				want, err := os.ReadFile(file)
				if err != nil {
					t.Fatalf("%v (run go test ./iop -update)", err)
				}
				if diff := cmp.Diff(string(want), string(got)); diff != "" {
					t.Errorf("imported spec differs from %s (-want +got):\n%s", file, diff)
				}
			}
			m, _, err := mesh.Load(got)
			if err != nil {
				t.Fatalf("the imported spec does not load: %v", err)
			}
			if _, err := render.Render(context.Background(), m, render.Options{}); err != nil {
				t.Fatalf("the imported spec does not render: %v", err)
			}
		})
	}
}

const head = "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n"

// TestImportFields maps one setting at a time and names what it cannot
// carry over.
func TestImportFields(t *testing.T) {
	tests := []struct {
		name     string
		iop      string
		check    func(t *testing.T, s *mesh.Spec)
		unmapped []string
	}{{
		name: "a distroless tag",
		iop:  head + "  tag: 1.31.2-distroless\n",
		check: func(t *testing.T, s *mesh.Spec) {
			if s.Version != "1.31.2" || s.Variant != "distroless" {
				t.Errorf("version, variant = %s, %s", s.Version, s.Variant)
			}
		},
	}, {
		name: "pilot's autoscaling off with a count",
		iop:  head + "  values:\n    pilot:\n      autoscaleEnabled: false\n      replicaCount: 3\n",
		check: func(t *testing.T, s *mesh.Spec) {
			if s.ControlPlane.Replicas == nil || *s.ControlPlane.Replicas != 3 || s.ControlPlane.Autoscale != nil {
				t.Errorf("controlPlane = %+v", s.ControlPlane)
			}
		},
	}, {
		name: "a log level other than the default scope's",
		iop:  head + "  values:\n    global:\n      logging:\n        level: default:info,ads:debug\n",
		check: func(t *testing.T, s *mesh.Spec) {
			if s.ControlPlane.LogLevel != "" || s.Values.Istiod["global"].(map[string]any)["logging"].(map[string]any)["level"] != "default:info,ads:debug" {
				t.Errorf("logLevel %q, values %v", s.ControlPlane.LogLevel, s.Values.Istiod)
			}
		},
	}, {
		name: "istioctl's gateway values for every ingress gateway",
		iop:  head + "  components:\n    ingressGateways:\n    - name: a\n      enabled: true\n    - name: b\n      enabled: true\n      k8s: {replicaCount: 4}\n  values:\n    gateways:\n      istio-ingressgateway:\n        autoscaleEnabled: false\n        type: NodePort\n        runAsRoot: true\n",
		check: func(t *testing.T, s *mesh.Spec) {
			got := map[string]string{}
			for _, g := range s.Gateways {
				n := "-"
				if g.Replicas != nil {
					n = string(rune('0' + *g.Replicas))
				}
				got[g.Name] = g.Service.Type + " " + n + " " + boolString(g.IsEnabled())
			}
			// The list replaces the profile's gateway: without it, the
			// default profile is the minimal one.
			want := map[string]string{"a": "NodePort 1 true", "b": "NodePort 4 true"}
			if diff := cmp.Diff(want, got); diff != "" || s.Profile != "minimal" {
				t.Errorf("profile %s, gateways (-want +got):\n%s", s.Profile, diff)
			}
		},
		unmapped: []string{"spec.values.gateways.istio-ingressgateway.runAsRoot"},
	}, {
		name: "a gateway's own image, a foreign istio label, env from a secret and a memory-scaled autoscaler",
		iop: head + `  components:
    ingressGateways:
    - name: edge
      hub: example.com/istio
      label: {istio: ingressgateway, team: web}
      k8s:
        env:
        - {name: A, value: "1"}
        - {name: B, valueFrom: {secretKeyRef: {name: s, key: k}}}
        hpaSpec:
          minReplicas: 2
          maxReplicas: 4
          metrics:
          - type: Resource
            resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}
`,
		check: func(t *testing.T, s *mesh.Spec) {
			g := s.Gateways[0]
			if g.Labels["team"] != "web" || g.Autoscale == nil || g.Autoscale.Max != 4 {
				t.Errorf("gateway = %+v", g)
			}
			if diff := cmp.Diff(map[string]any{"A": "1"}, g.Values["env"]); diff != "" {
				t.Errorf("env (-want +got):\n%s", diff)
			}
			if from, _ := g.Values["envVarFrom"].([]any); len(from) != 1 {
				t.Errorf("envVarFrom = %v", g.Values["envVarFrom"])
			}
		},
		unmapped: []string{
			"spec.components.ingressGateways[0].hub",
			"spec.components.ingressGateways[0].k8s.hpaSpec.metrics[0]",
			"spec.components.ingressGateways[0].label.istio",
		},
	}, {
		name: "overlays, a readiness probe of istiod, istiodRemote, an unknown value and an unknown field",
		iop: head + `  components:
    pilot:
      k8s:
        readinessProbe: {initialDelaySeconds: 5}
        overlays: [{kind: Deployment, name: istiod, patches: []}]
    istiodRemote: {enabled: false}
  values:
    kiali: {enabled: true}
  addonComponents: {}
`,
		unmapped: []string{
			"spec.addonComponents",
			"spec.components.istiodRemote",
			"spec.components.pilot.k8s.overlays",
			"spec.components.pilot.k8s.readinessProbe",
			"spec.values.kiali",
		},
	}, {
		name: "ztunnel alone is ambient mode",
		iop:  head + "  components:\n    ztunnel: {enabled: true}\n",
		check: func(t *testing.T, s *mesh.Spec) {
			if s.Profile != "ambient" {
				t.Errorf("profile = %s, want ambient", s.Profile)
			}
		},
	}, {
		name: "a spec without apiVersion and kind",
		iop:  "profile: demo\nmeshConfig:\n  accessLogFile: /dev/null\n",
		check: func(t *testing.T, s *mesh.Spec) {
			if s.Profile != "demo" || s.Mesh.AccessLogFile != "/dev/null" {
				t.Errorf("spec = %+v", s)
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := iop.Import([]byte(tt.iop))
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, &res.Mesh.Spec)
			}
			var got []string
			for _, n := range res.Unmapped {
				got = append(got, n.Field)
			}
			if diff := cmp.Diff(tt.unmapped, got); diff != "" {
				t.Errorf("unmapped fields (-want +got):\n%s\n%v", diff, res.Unmapped)
			}
		})
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestImportErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"another kind", "apiVersion: v1\nkind: ConfigMap\n", `kind: "ConfigMap" is not IstioOperator`},
		{"another version", "apiVersion: install.istio.io/v1\nkind: IstioOperator\n", `apiVersion: "install.istio.io/v1" is not install.istio.io/v1alpha1`},
		{"an unknown profile", head + "  profile: huge\n", `spec.profile: "huge" is not an istioctl profile`},
		{"not YAML", "{", "not YAML"},
		{"empty", "", "empty: expected one IstioOperator"},
		{"values the spec refuses", head + "  meshConfig:\n    outboundTrafficPolicy: {mode: SOMETIMES}\n", "spec.mesh.outboundTrafficPolicy: unsupported value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := iop.Import([]byte(tt.in))
			var ie *iop.Error
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Import = %v, want an *iop.Error with %q", err, tt.want)
			}
		})
	}
}
