package render

import (
	"fmt"
	"strings"

	"github.com/istio-render/istio-render/mesh"
)

// allowFromGatewaysPolicy names the AuthorizationPolicy a namespace's
// authorization.allowFromGateways renders (policy.go).
const allowFromGatewaysPolicy = "allow-from-gateways"

// gatewayPrincipals checks that the AuthorizationPolicy rendered for a
// namespace's allowFromGateways allows each gateway by the identity its
// pods run as: <trust domain>/ns/<namespace>/sa/<ServiceAccount> of the
// rendered gateway workload. Raw values that rename the gateway's
// ServiceAccount (serviceAccount.name, serviceAccount.create: false, name)
// would otherwise leave the policy allowing an identity no pod has, and
// every request from the gateway into the namespace denied.
func (v *view) gatewayPrincipals(s *mesh.Spec, b *blamer) []finding {
	var out []finding
	for i, ns := range s.Namespaces {
		a := ns.Authorization
		if a == nil || len(a.AllowFromGateways) == 0 {
			continue
		}
		p := v.policy(ns.Name, allowFromGatewaysPolicy)
		if p == nil {
			continue
		}
		for k, name := range a.AllowFromGateways {
			if k >= len(p.principals) {
				break
			}
			component := ComponentGatewayPrefix + name
			gotNS, gotSA := principalIdentity(p.principals[k])
			for _, w := range v.workloads {
				if w.component != component {
					continue
				}
				sa := or(w.serviceAccount, "default")
				if gotNS == w.namespace && gotSA == sa {
					continue
				}
				out = append(out, finding{
					component: component, object: p.object,
					valuesKeys: b.rawSetting(component, []any{"serviceAccount", "name"}, []any{"serviceAccount", "create"}, []any{"name"}),
					field:      fmt.Sprintf("spec.namespaces[%d].authorization.allowFromGateways[%d]", i, k),
					message: fmt.Sprintf("allows gateway %s as principal %s, but its pods (%s) run as ServiceAccount %s in namespace %s: every request from the gateway into namespace %s is denied",
						mesh.Quote(name), mesh.Quote(p.principals[k]), w.object, mesh.Quote(sa), mesh.Quote(w.namespace), mesh.Quote(ns.Name)),
				})
			}
		}
	}
	return out
}

// policy is the rendered AuthorizationPolicy namespace/name, or nil.
func (v *view) policy(namespace, name string) *authorizationPolicy {
	for i := range v.policies {
		if p := &v.policies[i]; p.namespace == namespace && p.name == name {
			return p
		}
	}
	return nil
}

// principalIdentity reads the namespace and ServiceAccount of a principal
// <trust domain>/ns/<namespace>/sa/<name>; "" for any other principal.
func principalIdentity(principal string) (namespace, serviceAccount string) {
	parts := strings.Split(principal, "/")
	if len(parts) != 5 || parts[1] != "ns" || parts[3] != "sa" {
		return "", ""
	}
	return parts[2], parts[4]
}
