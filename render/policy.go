package render

import (
	"fmt"
	"maps"
	"slices"

	"github.com/istio-render/istio-render/mesh"
)

// managedLabels mark the objects istio-render writes itself.
func managedLabels() map[string]any {
	return map[string]any{
		"app.kubernetes.io/managed-by": "istio-render",
		"app.kubernetes.io/part-of":    "istio",
	}
}

// object builds a Kubernetes object with standard metadata.
func object(apiVersion, kind, namespace, name string, spec map[string]any) map[string]any {
	md := map[string]any{"name": name, "labels": managedLabels()}
	if namespace != "" {
		md["namespace"] = namespace
	}
	obj := map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": md}
	if spec != nil {
		obj["spec"] = spec
	}
	return obj
}

// namespaces renders a Namespace for the root namespace, every gateway's
// and the CNI's namespace, and each listed namespace with its labels.
func namespaces(s *mesh.Spec) []map[string]any {
	listed := map[string]*mesh.Namespace{}
	for i := range s.Namespaces {
		listed[s.Namespaces[i].Name] = &s.Namespaces[i]
	}
	// Namespaces the mesh merely uses are created unless the cluster
	// creates them itself: owning kube-system or default in a GitOps
	// repository invites pruning them. A listed namespace is rendered
	// whatever its name, for its labels.
	names := map[string]bool{}
	used := []string{s.RootNamespace}
	for i := range s.Gateways {
		if g := &s.Gateways[i]; g.IsEnabled() {
			used = append(used, g.Namespace)
		}
	}
	if s.CNI.Enabled {
		used = append(used, s.CNI.Namespace)
	}
	used = append(used, gatewayAPINamespaces(s)...)
	used = append(used, dayTwoNamespaces(s)...)
	for _, n := range used {
		if !systemNamespaces[n] {
			names[n] = true
		}
	}
	for n := range listed {
		names[n] = true
	}
	sorted := slices.Sorted(maps.Keys(names))
	var out []map[string]any
	for _, n := range sorted {
		obj := object("v1", "Namespace", "", n, nil)
		md := obj["metadata"].(map[string]any)
		labels := md["labels"].(map[string]any)
		if ns := listed[n]; ns != nil {
			for k, v := range ns.Labels {
				labels[k] = v
			}
			for k, v := range injectionLabels(ns.Injection) {
				labels[k] = v
			}
			for k, v := range waypointLabels(ns) {
				labels[k] = v
			}
			if len(ns.Annotations) > 0 {
				ann := map[string]any{}
				for k, v := range ns.Annotations {
					ann[k] = v
				}
				md["annotations"] = ann
			}
		}
		dayTwoLabels(s, n, labels)
		out = append(out, obj)
	}
	return out
}

// systemNamespaces are created and kept by Kubernetes itself.
var systemNamespaces = map[string]bool{"default": true, "kube-system": true, "kube-public": true, "kube-node-lease": true}

// injectionLabels are the namespace labels that select how pods join the
// mesh.
func injectionLabels(injection string) map[string]any {
	switch injection {
	case "":
		return nil
	case "enabled", "disabled":
		return map[string]any{"istio-injection": injection}
	case "ambient":
		return map[string]any{"istio.io/dataplane-mode": "ambient"}
	default:
		return map[string]any{"istio.io/rev": injection}
	}
}

// policies renders mesh-wide and per-namespace security policy.
func policies(s *mesh.Spec) []map[string]any {
	var out []map[string]any
	if s.Mesh.MTLS != "" {
		out = append(out, peerAuthentication(s.RootNamespace, s.Mesh.MTLS))
	}
	out = append(out, telemetry(s)...)
	gateways := map[string]*mesh.Gateway{}
	for i := range s.Gateways {
		gateways[s.Gateways[i].Name] = &s.Gateways[i]
	}
	for i := range s.Namespaces {
		ns := &s.Namespaces[i]
		if ns.MTLS != "" {
			out = append(out, peerAuthentication(ns.Name, ns.MTLS))
		}
		if ns.ClientMTLS {
			out = append(out, object("networking.istio.io/v1", "DestinationRule", ns.Name, "default-mtls", map[string]any{
				"host":          fmt.Sprintf("*.%s.svc.cluster.local", ns.Name),
				"trafficPolicy": map[string]any{"tls": map[string]any{"mode": "ISTIO_MUTUAL"}},
			}))
		}
		if a := ns.Authorization; a != nil {
			out = append(out, authorization(s, ns, a, gateways)...)
		}
	}
	return out
}

func peerAuthentication(namespace, mode string) map[string]any {
	return object("security.istio.io/v1", "PeerAuthentication", namespace, "default", map[string]any{
		"mtls": map[string]any{"mode": mode},
	})
}

// authorization renders a namespace's default-deny policy and its
// exceptions. An empty ALLOW policy matches nothing, so with it in place
// only what another ALLOW policy admits gets in.
//
// The policies select the namespace's workloads, which ztunnel enforces in
// ambient mode. Traffic a waypoint handles reaches the workloads with the
// waypoint's identity, so a namespace with a waypoint gets each policy
// again, bound to the waypoint (targetRefs), where the caller's identity
// is known, and its workloads admit the waypoint.
func authorization(s *mesh.Spec, ns *mesh.Namespace, a *mesh.Authorization, gateways map[string]*mesh.Gateway) []map[string]any {
	type allow struct {
		name  string
		rules []any // nil: allow nothing
	}
	from := func(source map[string]any) []any {
		return []any{map[string]any{"from": []any{map[string]any{"source": source}}}}
	}
	var allows []allow
	if a.DefaultDeny {
		allows = append(allows, allow{name: "allow-nothing"})
	}
	if a.AllowSameNamespace {
		allows = append(allows, allow{"allow-same-namespace", from(map[string]any{"namespaces": []any{ns.Name}})})
	}
	if len(a.AllowFromGateways) > 0 {
		principals := make([]any, len(a.AllowFromGateways))
		for i, name := range a.AllowFromGateways {
			g := gateways[name]
			principals[i] = principal(s, g.Namespace, g.Name)
		}
		allows = append(allows, allow{"allow-from-gateways", from(map[string]any{"principals": principals})})
	}
	w := ns.Waypoint
	if w != nil && w.For == "none" {
		w = nil
	}
	var out []map[string]any
	for _, r := range allows {
		out = append(out, object("security.istio.io/v1", "AuthorizationPolicy", ns.Name, r.name, allowSpec(r.rules)))
	}
	if w == nil || len(allows) == 0 {
		return out
	}
	out = append(out, object("security.istio.io/v1", "AuthorizationPolicy", ns.Name, "allow-from-waypoint",
		allowSpec(from(map[string]any{"principals": []any{principal(s, ns.Name, w.Name)}}))))
	for _, r := range allows {
		spec := allowSpec(r.rules)
		spec["targetRefs"] = []any{map[string]any{"group": gatewayAPIGroup, "kind": "Gateway", "name": w.Name}}
		out = append(out, object("security.istio.io/v1", "AuthorizationPolicy", ns.Name, w.Name+"-"+r.name, spec))
	}
	return out
}

// allowSpec is the spec of an ALLOW policy with these rules; with none it
// is the empty spec, which allows nothing.
func allowSpec(rules []any) map[string]any {
	if rules == nil {
		return map[string]any{}
	}
	return map[string]any{"action": "ALLOW", "rules": rules}
}

// principal is the SPIFFE identity Istio gives a service account.
func principal(s *mesh.Spec, namespace, serviceAccount string) string {
	return fmt.Sprintf("%s/ns/%s/sa/%s", s.Mesh.TrustDomain, namespace, serviceAccount)
}
