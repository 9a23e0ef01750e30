package mesh_test

import (
	"strings"
	"testing"

	"github.com/istio-render/istio-render/mesh"
)

// TestDerivedNames: names the charts derive from the spec must be valid
// Kubernetes names, so the spec field is checked against the longest name
// derived from it.
func TestDerivedNames(t *testing.T) {
	long := func(n int) string { return strings.Repeat("r", n) }
	wantErrors(t, "spec:\n  gateways:\n  - name: 1gw\n",
		problem{"spec.gateways[0].name", `"1gw" is not a valid name: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character`})
	wantErrors(t, "spec:\n  revision: "+long(mesh.MaxRevisionLength+1)+"\n",
		problem{"spec.revision", "is 57 characters; a revision has at most 56, because istiod-<revision> names a Service and a label value (at most 63)"})
	wantValid(t, "spec:\n  revision: "+long(mesh.MaxRevisionLength)+"\n")
	wantErrors(t, "spec:\n  revision: a\n  canary:\n    revision: "+long(57)+"\n",
		problem{"spec.canary.revision", "is 57 characters; a revision has at most 56"})
	wantErrors(t, "spec:\n  revisionTags: ["+long(mesh.MaxRevisionTagLength+1)+"]\n",
		problem{"spec.revisionTags[0]", "is 44 characters; a revision tag has at most 43, because istiod-revision-tag-<tag> names a Service (at most 63)"})
	wantValid(t, "spec:\n  revisionTags: ["+long(mesh.MaxRevisionTagLength)+"]\n")
	wantErrors(t, "spec:\n  gateways:\n  - name: gw\n    service: {loadBalancerIP: not-an-ip}\n",
		problem{"spec.gateways[0].service.loadBalancerIP", `"not-an-ip" is not an IP address: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`})
	wantValid(t, "spec:\n  gateways:\n  - name: gw\n    service: {loadBalancerIP: \"2001:db8::1\"}\n")
	for _, port := range []string{"0", "99999"} {
		wantErrors(t, "spec:\n  mesh:\n    tracing: {address: \"collector:"+port+"\"}\n",
			problem{"spec.mesh.tracing.address", "port " + port + " is not a port number (1-65535)"})
	}
	big := strings.Repeat("x", 200<<10)
	wantErrors(t, "spec:\n  gateways:\n  - name: gw\n    service:\n      annotations: {a: "+big+", b: "+big+"}\n",
		problem{"spec.gateways[0].service.annotations", "409602 bytes of annotations; Kubernetes allows at most 262144 in one object"})
	wantErrors(t, "spec:\n  namespaces:\n  - name: shop\n    annotations: {a: "+big+", b: "+big+"}\n",
		problem{"spec.namespaces[0].annotations", "409602 bytes of annotations"})
}
