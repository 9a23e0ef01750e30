package render

import (
	"fmt"
	"strings"

	"github.com/istio-render/istio-render/mesh"
)

// clientMTLS checks that every DestinationRule making clients use Istio
// mTLS (ISTIO_MUTUAL) toward a namespace's services targets a namespace
// whose pods get a proxy to answer it: ambient, or selected by an
// injection webhook of this render. Otherwise every call from the mesh
// into the namespace fails. A namespace labelled for injection by a
// control plane this render does not include is left to the spec's
// validation, which warns about it.
func (v *view) clientMTLS(b *blamer) []finding {
	var out []finding
	for _, dr := range v.rules {
		ns := hostNamespace(dr.host)
		if dr.mode != "ISTIO_MUTUAL" || ns == "" {
			continue
		}
		labels := v.namespaces[ns]
		switch {
		case labels["istio.io/dataplane-mode"] == "ambient":
			continue
		case len(v.injections(v.namespaceLabels(ns), map[string]string{})) > 0:
			continue
		case labels[labelRevision] != "" || labels[labelInjection] == "enabled":
			continue
		}
		out = append(out, finding{
			component: dr.component, object: dr.object, field: b.namespaceField(dr.namespace, "clientMTLS"),
			message: fmt.Sprintf("every client in the mesh calls namespace %s with Istio mTLS, but no injector webhook gives its pods a proxy (labels %s): every call from the mesh into it fails",
				mesh.Quote(ns), joinLabels(labels)),
		})
	}
	return out
}

// hostNamespace is the namespace of a host such as *.shop.svc.cluster.local
// or reviews.shop.svc.cluster.local; "" for any other host.
func hostNamespace(host string) string {
	parts := strings.Split(host, ".")
	if len(parts) < 3 || parts[2] != "svc" {
		return ""
	}
	return parts[1]
}
