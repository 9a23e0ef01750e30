package mesh_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

// TestProfileConflicts: where a spec's setting conflicts with one its
// profile gives, the error names the profile and the null that removes
// the profile's setting; a conflict the spec wrote itself gets no hint.
func TestProfileConflicts(t *testing.T) {
	tests := []struct {
		name, spec string
		want       []mesh.FieldError
	}{{
		name: "replicas under a profile that autoscales istiod",
		spec: "spec:\n  profile: production\n  controlPlane: {replicas: 3}\n",
		want: []mesh.FieldError{{Field: "spec.controlPlane.replicas", Message: "set replicas or autoscale, not both; profile production sets autoscale: remove it with spec.controlPlane.autoscale: null"}},
	}, {
		name: "replicas for the profile's gateway",
		spec: "spec:\n  profile: production\n  gateways:\n  - name: edge\n    replicas: 2\n  - name: istio-ingressgateway\n    replicas: 3\n",
		want: []mesh.FieldError{{Field: "spec.gateways[1].replicas", Message: "set replicas or autoscale, not both; profile production sets autoscale: remove it with spec.gateways[1].autoscale: null"}},
	}, {
		name: "maxUnavailable under a profile's minAvailable",
		spec: "spec:\n  profile: production\n  controlPlane:\n    podDisruptionBudget: {maxUnavailable: 1}\n",
		want: []mesh.FieldError{{Field: "spec.controlPlane.podDisruptionBudget", Message: "set minAvailable or maxUnavailable, not both; profile production sets minAvailable: remove it with spec.controlPlane.podDisruptionBudget.minAvailable: null"}},
	}, {
		name: "both written in the spec",
		spec: "spec:\n  profile: minimal\n  controlPlane: {replicas: 3, autoscale: {min: 2, max: 4}}\n",
		want: []mesh.FieldError{{Field: "spec.controlPlane.replicas", Message: "set replicas or autoscale, not both"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := mesh.Load([]byte(header + tt.spec))
			var ve *mesh.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Load: %v, want a *mesh.ValidationError", err)
			}
			if diff := cmp.Diff(tt.want, ve.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestProfileConflictFromGo speaks of unset paths, not null, to a spec
// built in Go.
func TestProfileConflictFromGo(t *testing.T) {
	_, _, err := mesh.Resolve(goSpec(func(m *mesh.IstioMesh) {
		m.Spec.Profile = "production"
		m.Spec.Gateways = []mesh.Gateway{{Name: "istio-ingressgateway", Workload: mesh.Workload{Replicas: ptr(int32(3))}}}
	}))
	var ve *mesh.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Resolve: %v, want a *mesh.ValidationError", err)
	}
	want := []mesh.FieldError{{Field: "spec.gateways[0].replicas", Message: `set replicas or autoscale, not both; profile production sets autoscale: remove it by passing "spec.gateways[istio-ingressgateway].autoscale" to mesh.Resolve as a field to unset`}}
	if diff := cmp.Diff(want, ve.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	// The path it names works.
	if _, _, err := mesh.Resolve(goSpec(func(m *mesh.IstioMesh) {
		m.Spec.Profile = "production"
		m.Spec.Gateways = []mesh.Gateway{{Name: "istio-ingressgateway", Workload: mesh.Workload{Replicas: ptr(int32(3))}}}
	}), "spec.gateways[istio-ingressgateway].autoscale"); err != nil {
		t.Errorf("Resolve with the path unset: %v", err)
	}
}

// TestWarningsSayAnElementComesFromTheProfile: an index into a merged
// list means nothing to a spec that does not name the element; the
// warning says which element it is and that the profile gives it, also
// after Complete, which render calls.
func TestWarningsSayAnElementComesFromTheProfile(t *testing.T) {
	m, warnings := load(t, "spec:\n  profile: default\n  gateways:\n  - {name: edge, replicas: 2}\n")
	if diff := cmp.Diff([]string{"spec.gateways[istio-ingressgateway]"}, m.FromProfile); diff != "" {
		t.Errorf("FromProfile (-want +got):\n%s", diff)
	}
	_, again, err := m.Complete()
	if err != nil {
		t.Fatal(err)
	}
	for _, ws := range [][]mesh.Warning{warnings, again} {
		var got []string
		for _, w := range ws {
			got = append(got, w.String())
		}
		want := []string{
			"spec.controlPlane: istiod runs 1 replica: no PodDisruptionBudget is rendered, because a budget for a single pod blocks node drains; run 2 or more replicas for high availability",
			"spec.gateways[1] (istio-ingressgateway, from profile default): gateway istio-ingressgateway runs 1 replica: no PodDisruptionBudget is rendered, because a budget for a single pod blocks node drains; run 2 or more replicas for high availability",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("warnings (-want +got):\n%s", diff)
		}
	}
	// A gateway the spec names is the spec's, even where the profile has it.
	_, warnings = load(t, "spec:\n  profile: default\n  gateways:\n  - {name: istio-ingressgateway, kind: ingress}\n")
	for _, w := range warnings {
		if w.From != "" {
			t.Errorf("warning %q: From %q, want none", w, w.From)
		}
	}
}
