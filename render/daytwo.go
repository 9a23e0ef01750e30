package render

import "github.com/istio-render/istio-render/mesh"

// dayTwoObjects renders the mesh-wide objects of the day-two settings:
// egress ServiceEntries and routes, and the scope's Sidecars. They belong
// to the mesh-policy component.
func dayTwoObjects(s *mesh.Spec) []map[string]any {
	return append(egress(s), scope(s)...)
}
