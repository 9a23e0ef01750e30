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
			out = append(out, authorization(s, ns.Name, a, gateways)...)
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
func authorization(s *mesh.Spec, ns string, a *mesh.Authorization, gateways map[string]*mesh.Gateway) []map[string]any {
	var out []map[string]any
	if a.DefaultDeny {
		out = append(out, object("security.istio.io/v1", "AuthorizationPolicy", ns, "allow-nothing", map[string]any{}))
	}
	if a.AllowSameNamespace {
		out = append(out, object("security.istio.io/v1", "AuthorizationPolicy", ns, "allow-same-namespace", map[string]any{
			"action": "ALLOW",
			"rules": []any{map[string]any{"from": []any{map[string]any{
				"source": map[string]any{"namespaces": []any{ns}},
			}}}},
		}))
	}
	if len(a.AllowFromGateways) > 0 {
		principals := make([]any, len(a.AllowFromGateways))
		for i, name := range a.AllowFromGateways {
			g := gateways[name]
			principals[i] = fmt.Sprintf("%s/ns/%s/sa/%s", s.Mesh.TrustDomain, g.Namespace, g.Name)
		}
		out = append(out, object("security.istio.io/v1", "AuthorizationPolicy", ns, "allow-from-gateways", map[string]any{
			"action": "ALLOW",
			"rules": []any{map[string]any{"from": []any{map[string]any{
				"source": map[string]any{"principals": principals},
			}}}},
		}))
	}
	return out
}
