package render

import "github.com/istio-render/istio-render/mesh"

// dayTwoObjects renders the mesh-wide objects of the day-two settings:
// egress ServiceEntries and routes, the scope's Sidecars, the plugged-in
// CA's Certificate and the multi-cluster Gateways. They belong to the
// mesh-policy component.
func dayTwoObjects(s *mesh.Spec) []map[string]any {
	out := egress(s)
	out = append(out, scope(s)...)
	out = append(out, caObjects(s)...)
	return append(out, multiclusterObjects(s)...)
}
