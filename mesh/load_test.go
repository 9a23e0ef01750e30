package mesh_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

const header = "apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: test\n"

func load(t *testing.T, spec string) (*mesh.Resolved, []mesh.Warning) {
	t.Helper()
	m, w, err := mesh.Load([]byte(header + spec))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return m, w
}

func TestLoadDefaults(t *testing.T) {
	m, _ := load(t, "spec: {}\n")
	s := m.Spec
	got := []string{m.Profile, s.Version, s.Hub, s.RootNamespace, s.KubernetesVersion, s.Mesh.TrustDomain, s.Mesh.MTLS}
	want := []string{"default", mesh.DefaultVersion, mesh.DefaultHub, "istio-system", mesh.DefaultKubernetesVersion, "cluster.local", "PERMISSIVE"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if len(s.Gateways) != 1 || s.Gateways[0].Name != "istio-ingressgateway" || s.Gateways[0].Service.Type != "LoadBalancer" {
		t.Errorf("default profile gateway = %+v", s.Gateways)
	}
	if sel := s.Gateways[0].GatewaySelector(); sel["istio"] != "ingressgateway" {
		t.Errorf("default ingress selector = %v, want istio: ingressgateway", sel)
	}
}

func TestProfileMerge(t *testing.T) {
	tests := []struct {
		name, spec string
		check      func(t *testing.T, s mesh.Spec)
	}{{
		name: "a gateway of the profile's name merges into it",
		spec: "spec:\n  profile: production\n  gateways:\n  - name: istio-ingressgateway\n    labels: {tier: edge}\n",
		check: func(t *testing.T, s mesh.Spec) {
			g := s.Gateways[0]
			if g.Labels["tier"] != "edge" || g.Autoscale == nil || g.Autoscale.Min != 2 {
				t.Errorf("merged gateway = %+v, want labels and the profile's autoscale", g)
			}
		},
	}, {
		name: "user gateways come first, in their order",
		spec: "spec:\n  gateways:\n  - name: internal\n",
		check: func(t *testing.T, s mesh.Spec) {
			var names []string
			for _, g := range s.Gateways {
				names = append(names, g.Name)
			}
			if diff := cmp.Diff([]string{"internal", "istio-ingressgateway"}, names); diff != "" {
				t.Errorf("gateway order (-want +got):\n%s", diff)
			}
		},
	}, {
		name: "enabled false removes the profile's gateway",
		spec: "spec:\n  gateways:\n  - name: istio-ingressgateway\n    enabled: false\n",
		check: func(t *testing.T, s mesh.Spec) {
			if s.Gateways[0].IsEnabled() {
				t.Error("gateway still enabled")
			}
		},
	}, {
		name: "null removes a profile setting",
		spec: "spec:\n  mesh:\n    mtls: null\n",
		check: func(t *testing.T, s mesh.Spec) {
			if s.Mesh.MTLS != "" {
				t.Errorf("mtls = %q, want unset", s.Mesh.MTLS)
			}
		},
	}, {
		name: "ambient turns on CNI",
		spec: "spec:\n  profile: ambient\n",
		check: func(t *testing.T, s mesh.Spec) {
			if !s.Ambient.Enabled || !s.CNI.Enabled {
				t.Errorf("ambient=%v cni=%v, want both", s.Ambient.Enabled, s.CNI.Enabled)
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := load(t, tt.spec)
			tt.check(t, m.Spec)
		})
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name, spec string
		want       []string
	}{{
		name: "production warns that nothing outside the mesh is reachable",
		spec: "spec:\n  profile: production\n",
		want: []string{"spec.mesh.egress: outbound traffic is REGISTRY_ONLY and no external host is allowed"},
	}, {
		name: "production with an allowed host has none",
		spec: "spec:\n  profile: production\n  mesh:\n    egress:\n    - host: api.example.com\n",
	}, {
		name: "ALLOW_ANY needs no allowed host",
		spec: "spec:\n  profile: production\n  mesh:\n    outboundTrafficPolicy: ALLOW_ANY\n",
	}, {
		name: "single replicas get no budget, and say so",
		spec: "spec:\n  profile: default\n",
		want: []string{"spec.controlPlane: istiod runs 1 replica", "spec.gateways[0] (istio-ingressgateway, from profile default): gateway istio-ingressgateway runs 1 replica"},
	}, {
		name: "istio-injection=enabled under a revision",
		spec: "spec:\n  profile: production\n  revision: canary\n  mesh: {egress: [{host: api.example.com}]}\n  namespaces:\n  - name: shop\n    injection: enabled\n",
		want: []string{"spec.namespaces[0].injection: istio-injection=enabled selects the default revision"},
	}, {
		name: "egress behind a load balancer",
		spec: "spec:\n  profile: production\n  mesh: {egress: [{host: api.example.com}]}\n  gateways:\n  - name: istio-egressgateway\n    kind: egress\n    replicas: 2\n    service: {type: LoadBalancer}\n",
		want: []string{"spec.gateways[0].service.type: an egress gateway behind a LoadBalancer"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, warnings := load(t, tt.spec)
			if len(warnings) != len(tt.want) {
				t.Fatalf("got %d warnings %v, want %d", len(warnings), warnings, len(tt.want))
			}
			for i, w := range warnings {
				if !strings.HasPrefix(w.String(), tt.want[i]) {
					t.Errorf("warning %d = %q, want prefix %q", i, w, tt.want[i])
				}
			}
		})
	}
}

func TestCompleteIsIdempotent(t *testing.T) {
	m, _ := load(t, "spec:\n  profile: demo\n  namespaces:\n  - name: shop\n    injection: enabled\n")
	again, _, err := m.Complete()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, again); diff != "" {
		t.Errorf("Complete of a resolved spec changed it (-first +second):\n%s", diff)
	}
}

// TestProfileAfterResolve: a resolved spec has its profile merged in
// already, so naming another profile on it is an error rather than a
// render of the old profile reported as the new one.
func TestProfileAfterResolve(t *testing.T) {
	m, _ := load(t, "spec:\n  profile: production\n")
	if m.Profile != "production" || m.Spec.Profile != "" {
		t.Fatalf("Profile %q, Spec.Profile %q; want production and empty", m.Profile, m.Spec.Profile)
	}
	m.Spec.Profile = "minimal"
	_, _, err := m.Complete()
	var ve *mesh.ValidationError
	if !errors.As(err, &ve) || ve.Errors[0].Field != "spec.profile" {
		t.Fatalf("Complete after changing the profile: %v, want an error at spec.profile", err)
	}
}

// TestCompleteDefaultsWhatWasAdded: a gateway added to a resolved spec gets
// its defaults, and a bad one is caught, without the profile merged again.
func TestCompleteDefaultsWhatWasAdded(t *testing.T) {
	m, _ := load(t, "spec:\n  profile: production\n  mesh:\n    mtls: null\n")
	m.Spec.Gateways = append(m.Spec.Gateways, mesh.Gateway{Name: "edge", Servers: []mesh.Server{{Hosts: []string{"*"}}}})
	got, _, err := m.Complete()
	if err != nil {
		t.Fatal(err)
	}
	g := got.Spec.Gateways[1]
	if g.Namespace != "istio-system" || g.Servers[0].Port != 80 || got.Spec.Mesh.MTLS != "" {
		t.Errorf("added gateway %+v, mtls %q; want defaults and mtls still removed", g, got.Spec.Mesh.MTLS)
	}
	m.Spec.Gateways[1].Name = "Edge"
	if _, _, err := m.Complete(); err == nil || !strings.Contains(err.Error(), "spec.gateways[1].name") {
		t.Errorf("bad added gateway: %v, want an error at spec.gateways[1].name", err)
	}
}

// TestResolveUnset removes profile settings from a spec built in Go, as
// null does in a document.
func TestResolveUnset(t *testing.T) {
	spec := &mesh.IstioMesh{
		APIVersion: mesh.APIVersion, Kind: mesh.Kind, Metadata: mesh.Metadata{Name: "go"},
		Spec: mesh.Spec{Profile: "production", ControlPlane: mesh.ControlPlane{Workload: mesh.Workload{Replicas: ptr(int32(3))}}},
	}
	if _, _, err := mesh.Resolve(spec); err == nil {
		t.Fatal("replicas over the profile's autoscale: want an error")
	}
	m, _, err := mesh.Resolve(spec, "spec.controlPlane.autoscale", "spec.mesh.outboundTrafficPolicy",
		"spec.gateways[istio-ingressgateway].autoscale", "spec.values.istiod.pilot")
	if err != nil {
		t.Fatal(err)
	}
	s := m.Spec
	if s.ControlPlane.Autoscale != nil || *s.ControlPlane.Replicas != 3 || s.Mesh.OutboundTrafficPolicy != "" || s.Gateways[0].Autoscale != nil {
		t.Errorf("profile settings not removed: controlPlane %+v, outbound %q, gateway autoscale %+v",
			s.ControlPlane.Workload, s.Mesh.OutboundTrafficPolicy, s.Gateways[0].Autoscale)
	}
	for _, bad := range []string{"", "mesh.mtls", "spec.bogus", "spec.mesh.mtls.x", "spec.gateways[x", "spec.gateways[edge]", "spec.gateways[edge].autoscale", "spec.mesh[x].mtls", "spec..mtls"} {
		_, _, err := mesh.Resolve(spec, bad)
		var ve *mesh.ValidationError
		if !errors.As(err, &ve) || ve.Errors[0].Field != bad {
			t.Errorf("Resolve(%q): %v, want an error naming the path", bad, err)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestValidationErrorListsEveryProblem(t *testing.T) {
	_, _, err := mesh.Load([]byte(header + "spec:\n  mesh: {mtls: NEVER}\n  gateways:\n  - name: A\n"))
	if err == nil {
		t.Fatal("want an error")
	}
	ve, ok := err.(*mesh.ValidationError)
	if !ok {
		t.Fatalf("error is %T, want *mesh.ValidationError", err)
	}
	var fields []string
	for _, e := range ve.Errors {
		fields = append(fields, e.Field)
	}
	if diff := cmp.Diff([]string{"spec.mesh.mtls", "spec.gateways[0].name"}, fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

// TestRemovedProfileSettingsStayRemoved renders specs that null, turn off
// or replace a profile setting; rendering the loaded spec must not bring
// the profile's value back.
func TestRemovedProfileSettingsStayRemoved(t *testing.T) {
	tests := []struct {
		name, spec string
		check      func(t *testing.T, s mesh.Spec)
	}{{
		name:  "null mesh-wide mTLS",
		spec:  "spec:\n  profile: production\n  mesh:\n    mtls: null\n",
		check: func(t *testing.T, s mesh.Spec) { want(t, s.Mesh.MTLS == "", "mtls unset, got %q", s.Mesh.MTLS) },
	}, {
		name:  "ambient turned off",
		spec:  "spec:\n  profile: ambient\n  ambient:\n    enabled: false\n",
		check: func(t *testing.T, s mesh.Spec) { want(t, !s.Ambient.Enabled, "ambient still enabled") },
	}, {
		name: "autoscale replaced by replicas",
		spec: "spec:\n  profile: production\n  controlPlane:\n    autoscale: null\n    replicas: 3\n",
		check: func(t *testing.T, s mesh.Spec) {
			want(t, s.ControlPlane.Autoscale == nil && *s.ControlPlane.Replicas == 3, "controlPlane = %+v", s.ControlPlane.Workload)
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := load(t, tt.spec)
			again, _, err := m.Complete()
			if err != nil {
				t.Fatalf("Complete of a loaded spec: %v", err)
			}
			tt.check(t, m.Spec)
			tt.check(t, again.Spec)
		})
	}
}

func want(t *testing.T, ok bool, format string, args ...any) {
	t.Helper()
	if !ok {
		t.Errorf(format, args...)
	}
}
