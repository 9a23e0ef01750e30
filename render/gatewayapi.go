package render

import (
	"maps"
	"slices"

	"github.com/istio-render/istio-render/mesh"
)

// API versions of the Gateway API objects render writes: the versions
// Istio reads (ReferenceGrant is v1beta1 there), all served by every
// Gateway API release from v1.0.0.
const (
	gatewayAPIGroup          = "gateway.networking.k8s.io"
	gatewayAPIVersion        = gatewayAPIGroup + "/v1"
	referenceGrantAPIVersion = gatewayAPIGroup + "/v1beta1"
)

// grantsFolder groups the ReferenceGrants, by the namespace they are in,
// under the Gateway API component: gateway-api/referencegrants/<namespace>.
const grantsFolder = "referencegrants"

// gatewayAPIObjects renders the Gateway API objects of the spec through
// add: each gateway's, the ReferenceGrants for their certificates, and
// the namespaces' waypoints.
func gatewayAPIObjects(s *mesh.Spec, add func(component string, objs []map[string]any) error) error {
	for i := range s.GatewayAPI.Gateways {
		gw := &s.GatewayAPI.Gateways[i]
		for _, obj := range apiGatewayObjects(gw) {
			// Objects in another namespace (Certificates beside their
			// Secrets) are grouped by it, so that two of one name in
			// different namespaces stay apart.
			component := ComponentGatewayAPIPrefix + gw.Name
			if ns := obj["metadata"].(map[string]any)["namespace"].(string); ns != gw.Namespace {
				component += "/" + ns
			}
			if err := add(component, []map[string]any{obj}); err != nil {
				return err
			}
		}
	}
	for _, grant := range referenceGrants(s) {
		ns := grant["metadata"].(map[string]any)["namespace"].(string)
		if err := add(ComponentGatewayAPIPrefix+grantsFolder+"/"+ns, []map[string]any{grant}); err != nil {
			return err
		}
	}
	for i := range s.Namespaces {
		ns := &s.Namespaces[i]
		if ns.Waypoint == nil {
			continue
		}
		if err := add(ComponentWaypointPrefix+ns.Name, []map[string]any{waypoint(ns.Name, ns.Waypoint)}); err != nil {
			return err
		}
	}
	return nil
}

// apiGatewayObjects renders a Gateway API gateway of class istio: the
// Gateway, its HTTP to HTTPS redirect route, and cert-manager Certificates
// for the Secrets its listeners name.
func apiGatewayObjects(gw *mesh.APIGateway) []map[string]any {
	var out []map[string]any
	var redirects []any
	listeners := make([]any, len(gw.Listeners))
	for j := range gw.Listeners {
		l := &gw.Listeners[j]
		lo := map[string]any{"name": l.Name, "port": int64(l.Port), "protocol": l.Protocol}
		set(lo, l.Hostname, "hostname")
		lo["allowedRoutes"] = allowedRoutes(l.AllowedRoutes)
		if t := l.TLS; t != nil {
			tls := map[string]any{"mode": t.Mode}
			var refs []any
			for k := range t.CertificateRefs {
				ref := &t.CertificateRefs[k]
				r := map[string]any{"group": "", "kind": "Secret", "name": ref.Name}
				if ref.Namespace != gw.Namespace {
					r["namespace"] = ref.Namespace
				}
				refs = append(refs, r)
				if c := ref.Certificate; c != nil {
					out = append(out, certificate(ref.Namespace, ref.Name, c))
				}
			}
			set(tls, refs, "certificateRefs")
			lo["tls"] = tls
		}
		listeners[j] = lo
		if l.HTTPSRedirect {
			redirects = append(redirects, parentRef(gw.Name, l.Name))
		}
	}
	spec := map[string]any{"gatewayClassName": mesh.GatewayClassIstio, "listeners": listeners}
	infra := map[string]any{}
	set(infra, anyMap(gw.Labels), "labels")
	set(infra, anyMap(gw.Annotations), "annotations")
	set(spec, infra, "infrastructure")
	if gw.Address != "" {
		spec["addresses"] = []any{map[string]any{"type": "IPAddress", "value": gw.Address}}
	}
	obj := object(gatewayAPIVersion, "Gateway", gw.Namespace, gw.Name, spec)
	md := obj["metadata"].(map[string]any)
	set(md["labels"].(map[string]any), gw.Revision, "istio.io/rev")
	if gw.ServiceType != "" {
		md["annotations"] = map[string]any{"networking.istio.io/service-type": gw.ServiceType}
	}
	out = append(out, obj)
	if len(redirects) > 0 {
		out = append(out, httpsRedirect(gw, redirects))
	}
	return out
}

// allowedRoutes is a listener's allowedRoutes, the API server's default
// (routes of the gateway's namespace) written out when the spec has none.
func allowedRoutes(a *mesh.AllowedRoutes) map[string]any {
	if a == nil {
		return map[string]any{"namespaces": map[string]any{"from": "Same"}}
	}
	ns := map[string]any{"from": a.From}
	if a.From == "Selector" {
		ns["selector"] = map[string]any{"matchLabels": anyMap(a.Selector)}
	}
	out := map[string]any{"namespaces": ns}
	var kinds []any
	for _, k := range a.Kinds {
		kinds = append(kinds, map[string]any{"group": gatewayAPIGroup, "kind": k})
	}
	set(out, kinds, "kinds")
	return out
}

// parentRef names a listener of a gateway, for a route.
func parentRef(gateway, listener string) map[string]any {
	return map[string]any{"group": gatewayAPIGroup, "kind": "Gateway", "name": gateway, "sectionName": listener}
}

// httpsRedirect is the HTTPRoute that answers every request on the
// gateway's redirecting listeners with a 301 to HTTPS. Its one rule is
// written with the match the API server would default, every path.
func httpsRedirect(gw *mesh.APIGateway, parents []any) map[string]any {
	redirect := map[string]any{"scheme": "https", "statusCode": int64(301)}
	if p := gw.RedirectPort(); p != 0 {
		redirect["port"] = int64(p)
	}
	return object(gatewayAPIVersion, "HTTPRoute", gw.Namespace, gw.Name+"-https-redirect", map[string]any{
		"parentRefs": parents,
		"rules": []any{map[string]any{
			"matches": []any{map[string]any{"path": map[string]any{"type": "PathPrefix", "value": "/"}}},
			"filters": []any{map[string]any{"type": "RequestRedirect", "requestRedirect": redirect}},
		}},
	})
}

// referenceGrants lets the gateways of each namespace read the Secrets
// their listeners name in another namespace: one ReferenceGrant in the
// Secrets' namespace per gateway namespace, naming each Secret.
func referenceGrants(s *mesh.Spec) []map[string]any {
	// secrets[secret namespace][gateway namespace] = secret names
	secrets := map[string]map[string]map[string]bool{}
	for i := range s.GatewayAPI.Gateways {
		gw := &s.GatewayAPI.Gateways[i]
		for _, l := range gw.Listeners {
			if l.TLS == nil {
				continue
			}
			for _, ref := range l.TLS.CertificateRefs {
				if ref.Namespace == gw.Namespace {
					continue
				}
				if secrets[ref.Namespace] == nil {
					secrets[ref.Namespace] = map[string]map[string]bool{}
				}
				if secrets[ref.Namespace][gw.Namespace] == nil {
					secrets[ref.Namespace][gw.Namespace] = map[string]bool{}
				}
				secrets[ref.Namespace][gw.Namespace][ref.Name] = true
			}
		}
	}
	var out []map[string]any
	for _, secretNS := range slices.Sorted(maps.Keys(secrets)) {
		for _, gatewayNS := range slices.Sorted(maps.Keys(secrets[secretNS])) {
			var to []any
			for _, name := range slices.Sorted(maps.Keys(secrets[secretNS][gatewayNS])) {
				to = append(to, map[string]any{"group": "", "kind": "Secret", "name": name})
			}
			out = append(out, object(referenceGrantAPIVersion, "ReferenceGrant", secretNS, "gateways-from-"+gatewayNS, map[string]any{
				"from": []any{map[string]any{"group": gatewayAPIGroup, "kind": "Gateway", "namespace": gatewayNS}},
				"to":   to,
			}))
		}
	}
	return out
}

// gatewayAPINamespaces are the namespaces Gateway API gateways live in
// and read certificates from.
func gatewayAPINamespaces(s *mesh.Spec) []string {
	var out []string
	for i := range s.GatewayAPI.Gateways {
		gw := &s.GatewayAPI.Gateways[i]
		out = append(out, gw.Namespace)
		for _, l := range gw.Listeners {
			if l.TLS != nil {
				for _, ref := range l.TLS.CertificateRefs {
					out = append(out, ref.Namespace)
				}
			}
		}
	}
	return out
}

// anyMap converts labels or annotations; nil when there are none.
func anyMap(m map[string]string) map[string]any {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
