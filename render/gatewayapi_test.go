package render_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// objectsOf lists the manifest's objects of a component prefix as
// kind/namespace/name.
func objectsOf(m *render.Manifest, component string) []string {
	var out []string
	for _, r := range m.Resources {
		if strings.HasPrefix(r.Component, component) {
			out = append(out, r.Kind+"/"+r.Namespace+"/"+r.Name)
		}
	}
	return out
}

// find returns the object of a kind, namespace and name.
func find(t *testing.T, m *render.Manifest, kind, namespace, name string) map[string]any {
	t.Helper()
	for _, r := range m.Resources {
		if r.Kind == kind && r.Namespace == namespace && r.Name == name {
			return r.Object()
		}
	}
	t.Fatalf("no %s %s/%s rendered", kind, namespace, name)
	return nil
}

// TestGatewayAPICRDs renders the CRDs of the channel asked for, at the
// embedded version, and none when they are present or not wanted.
func TestGatewayAPICRDs(t *testing.T) {
	standard := []string{
		"backendtlspolicies", "gatewayclasses", "gateways", "grpcroutes", "httproutes", "listenersets",
		"referencegrants", "tcproutes", "tlsroutes", "udproutes",
	}
	var experimental []string
	for _, n := range standard {
		experimental = append(experimental, n+".gateway.networking.k8s.io")
	}
	experimental = append(experimental, "xbackends.gateway.networking.x-k8s.io", "xbackendtrafficpolicies.gateway.networking.x-k8s.io", "xmeshes.gateway.networking.x-k8s.io")
	for i, n := range standard {
		standard[i] = n + ".gateway.networking.k8s.io"
	}
	tests := []struct {
		name, gatewayAPI, channel string
		crds                      []string
	}{
		{name: "not wanted", gatewayAPI: "{}"},
		{name: "present", gatewayAPI: "{crds: present}"},
		{name: "standard", gatewayAPI: "{crds: render}", channel: "standard", crds: standard},
		{name: "experimental", gatewayAPI: "{crds: render, channel: experimental}", channel: "experimental", crds: experimental},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := renderSpec(t, "spec:\n  profile: minimal\n  gatewayAPI: "+tt.gatewayAPI+"\n")
			var crds, policies []string
			for _, r := range m.Resources {
				if r.Component != render.ComponentGatewayAPI {
					continue
				}
				md := r.Object()["metadata"].(map[string]any)
				ann, _ := md["annotations"].(map[string]any)
				if ann["gateway.networking.k8s.io/bundle-version"] != mesh.DefaultGatewayAPIVersion {
					t.Errorf("%s carries bundle %v, want %s", r.ID(), ann["gateway.networking.k8s.io/bundle-version"], mesh.DefaultGatewayAPIVersion)
				}
				switch r.Kind {
				case "CustomResourceDefinition":
					// The policy says channel standard in both channels'
					// bundles, as upstream writes it; the CRDs say theirs.
					if ann["gateway.networking.k8s.io/channel"] != tt.channel {
						t.Errorf("%s is of channel %v, want %s", r.ID(), ann["gateway.networking.k8s.io/channel"], tt.channel)
					}
					crds = append(crds, r.Name)
				default:
					policies = append(policies, r.Kind+"/"+r.Name)
				}
			}
			if diff := cmp.Diff(tt.crds, crds); diff != "" {
				t.Errorf("Gateway API CRDs (-want +got):\n%s", diff)
			}
			var wantPolicies []string
			if tt.crds != nil {
				wantPolicies = []string{"ValidatingAdmissionPolicy/safe-upgrades.gateway.networking.k8s.io", "ValidatingAdmissionPolicyBinding/safe-upgrades.gateway.networking.k8s.io"}
			}
			if diff := cmp.Diff(wantPolicies, policies); diff != "" {
				t.Errorf("the bundle's admission policy (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGatewayAPICRDBytesAreTheCallers lets a caller change a rendered CRD
// without changing the next render.
func TestGatewayAPICRDBytesAreTheCallers(t *testing.T) {
	const spec = "spec:\n  profile: minimal\n  gatewayAPI: {crds: render}\n"
	first := renderSpec(t, spec)
	for i := range first.Resources {
		for j := range first.Resources[i].YAML {
			first.Resources[i].YAML[j] = 'x'
		}
	}
	second := renderSpec(t, spec)
	for _, r := range second.Resources {
		if r.Kind == "CustomResourceDefinition" && strings.Contains(string(r.YAML[:20]), "xxxx") {
			t.Fatalf("%s shows the previous caller's change", r.ID())
		}
	}
}

// TestReferenceGrants grants each gateway namespace the Secrets its
// gateways name in another namespace, once per pair of namespaces.
func TestReferenceGrants(t *testing.T) {
	m := renderSpec(t, `spec:
  profile: minimal
  gatewayAPI:
    crds: present
    gateways:
    - name: a
      namespace: ingress
      listeners:
      - {name: one, hostname: a.example.com, tls: {certificateRefs: [{name: a-tls, namespace: certs}]}}
      - {name: two, hostname: b.example.com, tls: {certificateRefs: [{name: b-tls, namespace: certs}, {name: local-tls}]}}
    - name: b
      namespace: ingress
      listeners:
      - {hostname: c.example.com, tls: {certificateRefs: [{name: a-tls, namespace: certs}]}}
    - name: c
      namespace: partners
      listeners:
      - {hostname: d.example.com, tls: {certificateRefs: [{name: d-tls, namespace: certs}]}}
`)
	got := map[string]any{}
	for _, r := range m.Resources {
		if r.Kind == "ReferenceGrant" {
			got[r.Namespace+"/"+r.Name] = r.Object()["spec"]
		}
	}
	grant := func(from string, secrets ...string) map[string]any {
		var to []any
		for _, s := range secrets {
			to = append(to, map[string]any{"group": "", "kind": "Secret", "name": s})
		}
		return map[string]any{
			"from": []any{map[string]any{"group": "gateway.networking.k8s.io", "kind": "Gateway", "namespace": from}},
			"to":   to,
		}
	}
	want := map[string]any{
		"certs/gateways-from-ingress":  grant("ingress", "a-tls", "b-tls"),
		"certs/gateways-from-partners": grant("partners", "d-tls"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReferenceGrants (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Namespace//certs", "Namespace//ingress", "Namespace//istio-system", "Namespace//partners"}, objectsOf(m, render.ComponentNamespaces)); diff != "" {
		t.Errorf("namespaces (-want +got):\n%s", diff)
	}
}

// TestHTTPSRedirect redirects to the gateway's HTTPS port, written out
// when it is not 443.
func TestHTTPSRedirect(t *testing.T) {
	tests := []struct {
		name, httpsPort string
		want            map[string]any
	}{
		{name: "443", httpsPort: "443", want: map[string]any{"scheme": "https", "statusCode": float64(301)}},
		{name: "8443", httpsPort: "8443", want: map[string]any{"scheme": "https", "statusCode": float64(301), "port": float64(8443)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := renderSpec(t, `spec:
  profile: minimal
  gatewayAPI:
    crds: present
    gateways:
    - name: web
      listeners:
      - {name: plain, httpsRedirect: true}
      - {name: secure, port: `+tt.httpsPort+`, tls: {certificateRefs: [{name: web-tls}]}}
`)
			route := find(t, m, "HTTPRoute", "istio-system", "web-https-redirect")
			spec := route["spec"].(map[string]any)
			want := map[string]any{
				"parentRefs": []any{map[string]any{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "web", "sectionName": "plain"}},
				"rules": []any{map[string]any{
					"matches": []any{map[string]any{"path": map[string]any{"type": "PathPrefix", "value": "/"}}},
					"filters": []any{map[string]any{"type": "RequestRedirect", "requestRedirect": tt.want}},
				}},
			}
			if diff := cmp.Diff(want, spec); diff != "" {
				t.Errorf("redirect route (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGatewayClassDefaults hands istiod the per-class patches, a budget
// only where the class runs 2 or more replicas.
func TestGatewayClassDefaults(t *testing.T) {
	m := renderSpec(t, `spec:
  profile: minimal
  gatewayAPI:
    crds: render
    classes:
      istio:
        service: {type: ClusterIP, annotations: {a.example.com/x: "1"}}
        replicas: 1
      istio-waypoint:
        autoscale: {min: 2, max: 4}
        podDisruptionBudget: {maxUnavailable: 1}
        resources: {limits: {memory: 512Mi}}
`)
	data := func(name string) map[string]any {
		cm := find(t, m, "ConfigMap", "istio-system", name)
		out := map[string]any{}
		for k, v := range cm["data"].(map[string]any) {
			var patch any
			if err := yaml.Unmarshal([]byte(v.(string)), &patch); err != nil {
				t.Fatal(err)
			}
			out[k] = patch
		}
		return out
	}
	want := map[string]any{
		"istio-default-gatewayclass-istio": map[string]any{
			"service":    map[string]any{"metadata": map[string]any{"annotations": map[string]any{"a.example.com/x": "1"}}, "spec": map[string]any{"type": "ClusterIP"}},
			"deployment": map[string]any{"spec": map[string]any{"replicas": float64(1)}},
		},
		"istio-default-gatewayclass-istio-waypoint": map[string]any{
			"deployment": map[string]any{"spec": map[string]any{"template": map[string]any{"spec": map[string]any{"containers": []any{
				map[string]any{"name": "istio-proxy", "resources": map[string]any{"limits": map[string]any{"memory": "512Mi"}}},
			}}}}},
			"horizontalPodAutoscaler": map[string]any{"spec": map[string]any{"minReplicas": float64(2), "maxReplicas": float64(4)}},
			"podDisruptionBudget":     map[string]any{"spec": map[string]any{"maxUnavailable": float64(1)}},
		},
	}
	got := map[string]any{}
	for name := range want {
		got[name] = data(name)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("gateway class ConfigMaps (-want +got):\n%s", diff)
	}
}

// TestWaypoints renders a waypoint per namespace and labels the namespace
// to use it.
func TestWaypoints(t *testing.T) {
	m := renderSpec(t, `spec:
  profile: ambient
  revision: blue
  gatewayAPI: {crds: present}
  namespaces:
  - name: shop
    injection: ambient
    waypoint: {name: shop-waypoint, for: workload}
`)
	gw := find(t, m, "Gateway", "shop", "shop-waypoint")
	want := map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1",
		"kind":       "Gateway",
		"metadata": map[string]any{
			"name": "shop-waypoint", "namespace": "shop",
			"labels": map[string]any{
				"app.kubernetes.io/managed-by": "istio-render", "app.kubernetes.io/part-of": "istio",
				"istio.io/waypoint-for": "workload", "istio.io/rev": "blue",
			},
		},
		"spec": map[string]any{
			"gatewayClassName": "istio-waypoint",
			"listeners": []any{map[string]any{
				"name": "mesh", "port": float64(15008), "protocol": "HBONE",
				"allowedRoutes": map[string]any{"namespaces": map[string]any{"from": "Same"}},
			}},
		},
	}
	if diff := cmp.Diff(want, gw); diff != "" {
		t.Errorf("waypoint (-want +got):\n%s", diff)
	}
	labels := find(t, m, "Namespace", "", "shop")["metadata"].(map[string]any)["labels"].(map[string]any)
	if labels["istio.io/use-waypoint"] != "shop-waypoint" {
		t.Errorf("namespace labels %v, want istio.io/use-waypoint: shop-waypoint", labels)
	}
}

// TestWaypointAuthorization renders a namespace's policies twice when it
// has a waypoint: for its workloads, which ztunnel enforces and which then
// also admit the waypoint, and bound to the waypoint, which alone sees the
// caller's identity. A waypoint that handles no traffic changes nothing.
func TestWaypointAuthorization(t *testing.T) {
	spec := func(waypointFor string) string {
		return `spec:
  profile: ambient
  gatewayAPI: {crds: present}
  mesh: {trustDomain: example.org}
  gateways:
  - {name: edge, namespace: ingress}
  namespaces:
  - name: shop
    injection: ambient
    waypoint: {name: wp, for: ` + waypointFor + `}
    authorization: {defaultDeny: true, allowSameNamespace: true, allowFromGateways: [edge]}
`
	}
	policies := func(m *render.Manifest) map[string]any {
		out := map[string]any{}
		for _, r := range m.Resources {
			if r.Kind == "AuthorizationPolicy" && r.Namespace == "shop" {
				out[r.Name] = r.Object()["spec"]
			}
		}
		return out
	}
	from := func(key string, values ...any) []any {
		return []any{map[string]any{"from": []any{map[string]any{"source": map[string]any{key: values}}}}}
	}
	target := []any{map[string]any{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "wp"}}
	workloads := map[string]any{
		"allow-nothing":        map[string]any{},
		"allow-same-namespace": map[string]any{"action": "ALLOW", "rules": from("namespaces", "shop")},
		"allow-from-gateways":  map[string]any{"action": "ALLOW", "rules": from("principals", "example.org/ns/ingress/sa/edge")},
	}
	want := map[string]any{
		"allow-from-waypoint":     map[string]any{"action": "ALLOW", "rules": from("principals", "example.org/ns/shop/sa/wp")},
		"wp-allow-nothing":        map[string]any{"targetRefs": target},
		"wp-allow-same-namespace": map[string]any{"action": "ALLOW", "rules": from("namespaces", "shop"), "targetRefs": target},
		"wp-allow-from-gateways":  map[string]any{"action": "ALLOW", "rules": from("principals", "example.org/ns/ingress/sa/edge"), "targetRefs": target},
	}
	for k, v := range workloads {
		want[k] = v
	}
	if diff := cmp.Diff(want, policies(renderSpec(t, spec("service")))); diff != "" {
		t.Errorf("policies with a waypoint (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(workloads, policies(renderSpec(t, spec("none")))); diff != "" {
		t.Errorf("policies with a waypoint for none (-want +got):\n%s", diff)
	}
}

// TestGatewayObjects renders a gateway's additional Gateway objects with
// their own selectors, and exposes their ports on the gateway's Service.
func TestGatewayObjects(t *testing.T) {
	m := renderSpec(t, `spec:
  gateways:
  - name: istio-ingressgateway
    labels: {tier: edge}
    servers:
    - hosts: [a.example.com]
    objects:
    - name: db
      selector: {istio: ingressgateway}
      servers:
      - {hosts: [db.example.com], port: 5432, protocol: TCP}
    - name: api
      servers:
      - hosts: [api.example.com]
        tls: {mode: SIMPLE, credentialName: api-tls}
        certificate: {name: api-cert, issuerRef: {name: le}}
`)
	selectors := map[string]any{}
	for _, name := range []string{"istio-ingressgateway", "db", "api"} {
		selectors[name] = find(t, m, "Gateway", "istio-system", name)["spec"].(map[string]any)["selector"]
	}
	want := map[string]any{
		"istio-ingressgateway": map[string]any{"istio": "ingressgateway", "tier": "edge"},
		"db":                   map[string]any{"istio": "ingressgateway"},
		"api":                  map[string]any{"istio": "ingressgateway", "tier": "edge"},
	}
	if diff := cmp.Diff(want, selectors); diff != "" {
		t.Errorf("selectors (-want +got):\n%s", diff)
	}
	cert := find(t, m, "Certificate", "istio-system", "api-cert")["spec"].(map[string]any)
	if cert["secretName"] != "api-tls" {
		t.Errorf("Certificate api-cert writes %v, want api-tls", cert["secretName"])
	}
	ports := find(t, m, "Service", "istio-system", "istio-ingressgateway")["spec"].(map[string]any)["ports"].([]any)
	var names []string
	for _, p := range ports {
		names = append(names, p.(map[string]any)["name"].(string))
	}
	if !strings.Contains(strings.Join(names, ","), "tcp-5432") {
		t.Errorf("Service ports %v lack the db object's tcp-5432", names)
	}
}
