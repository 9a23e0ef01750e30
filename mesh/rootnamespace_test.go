package mesh_test

import (
	"errors"
	"testing"

	"github.com/istio-render/istio-render/mesh"
)

// loadProblems loads a spec and returns its errors and, when it is valid,
// its warnings, as problems in order.
func loadProblems(t *testing.T, spec string) (errs, warnings []problem) {
	t.Helper()
	_, ws, err := mesh.Load([]byte(header + spec))
	var ve *mesh.ValidationError
	switch {
	case errors.As(err, &ve):
		for _, fe := range ve.Errors {
			errs = append(errs, problem{fe.Field, fe.Message})
		}
	case err != nil:
		t.Fatalf("Load: %v", err)
	}
	for _, w := range ws {
		warnings = append(warnings, problem{w.Field, w.Message})
	}
	return errs, warnings
}

// TestRootNamespacePolicyIsMeshWide: Istio reads policy in the root
// namespace as mesh-wide. Its mTLS setting is spec.mesh.mtls, so a
// namespace entry for the root namespace may not set one; each of its
// authorization rules reaches every workload, which draws a warning that
// says so.
func TestRootNamespacePolicyIsMeshWide(t *testing.T) {
	const replica = "istiod runs 1 replica"
	tests := []struct {
		name     string
		spec     string
		errs     []problem
		warnings []problem
	}{{
		name: "mtls on the root namespace without spec.mesh.mtls",
		spec: "spec:\n  profile: minimal\n  namespaces:\n  - {name: istio-system, mtls: DISABLE}\n",
		errs: []problem{{"spec.namespaces[0].mtls", "the root namespace's PeerAuthentication is the mesh-wide one; set spec.mesh.mtls instead"}},
	}, {
		name: "mtls on the root namespace with spec.mesh.mtls",
		spec: "spec:\n  profile: minimal\n  mesh: {mtls: STRICT}\n  namespaces:\n  - {name: istio-system, mtls: DISABLE}\n",
		errs: []problem{{"spec.namespaces[0].mtls", "the root namespace's PeerAuthentication is the mesh-wide one; set spec.mesh.mtls instead"}},
	}, {
		name: "mtls on a root namespace of another name",
		spec: "spec:\n  profile: minimal\n  rootNamespace: mesh-root\n  namespaces:\n  - {name: mesh-root, mtls: STRICT}\n  - {name: istio-system, mtls: STRICT}\n",
		errs: []problem{{"spec.namespaces[0].mtls", "set spec.mesh.mtls instead"}},
	}, {
		name:     "allow from gateways in the root namespace",
		spec:     "spec:\n  profile: default\n  controlPlane: {replicas: 2}\n  gateways:\n  - {name: istio-ingressgateway, replicas: 2}\n  namespaces:\n  - name: istio-system\n    authorization: {allowFromGateways: [istio-ingressgateway]}\n",
		warnings: []problem{{"spec.namespaces[0].authorization.allowFromGateways", "a policy in the root namespace applies to every workload of the mesh: every workload then accepts only these gateways"}},
	}, {
		name: "allow the same namespace in the root namespace",
		spec: "spec:\n  profile: minimal\n  namespaces:\n  - name: istio-system\n    authorization: {allowSameNamespace: true}\n",
		warnings: []problem{
			{"spec.controlPlane", replica},
			{"spec.namespaces[0].authorization.allowSameNamespace", `every workload then accepts only callers in "istio-system"`},
		},
	}, {
		name: "every rule in the root namespace",
		spec: "spec:\n  profile: minimal\n  controlPlane: {replicas: 2}\n  gateways:\n  - {name: gw, replicas: 2}\n  namespaces:\n  - name: istio-system\n    authorization: {defaultDeny: true, allowSameNamespace: true, allowFromGateways: [gw]}\n",
		warnings: []problem{
			{"spec.namespaces[0].authorization.defaultDeny", "denies traffic in every namespace of the mesh"},
			{"spec.namespaces[0].authorization.allowSameNamespace", "applies to every workload of the mesh"},
			{"spec.namespaces[0].authorization.allowFromGateways", "applies to every workload of the mesh"},
		},
	}, {
		name:     "allow rules in another namespace keep their namespace's warning",
		spec:     "spec:\n  profile: minimal\n  controlPlane: {replicas: 2}\n  namespaces:\n  - name: shop\n    authorization: {allowSameNamespace: true}\n",
		warnings: []problem{{"spec.namespaces[0].authorization", "so the namespace is default-deny anyway"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs, warnings := loadProblems(t, tt.spec)
			matchProblems(t, "errors", tt.errs, errs)
			if len(errs) == 0 {
				matchProblems(t, "warnings", tt.warnings, warnings)
			}
		})
	}
}
