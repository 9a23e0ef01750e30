package mesh_test

import "testing"

// TestScopeOfTheRootNamespace: the root namespace's default Sidecar is
// the mesh-wide one, which every namespace without its own inherits (and
// which spec.mesh.scope.sidecar renders, so both would render the same
// object); a scope of the root namespace is refused, as its mtls is.
func TestScopeOfTheRootNamespace(t *testing.T) {
	for _, meshScope := range []string{"", "  mesh: {scope: {sidecar: true}}\n"} {
		wantErrors(t, "spec:\n"+meshScope+"  namespaces:\n  - name: istio-system\n    scope: {hosts: [payments/*]}\n",
			problem{"spec.namespaces[0].scope", "spec.mesh.scope.sidecar"})
	}
	wantValid(t, "spec:\n  mesh: {scope: {sidecar: true}}\n  namespaces:\n  - name: shop\n    scope: {hosts: [payments/*]}\n")
}
