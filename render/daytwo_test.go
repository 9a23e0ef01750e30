package render_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// valueAt returns the value at a dotted path of a release's values.
func valueAt(values map[string]any, path string) any {
	var cur any = values
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

// TestDayTwoValues checks the chart values each day-two setting becomes,
// release by release: the values Helm is given, as render.Releases reports
// them.
func TestDayTwoValues(t *testing.T) {
	type want struct {
		component, path string
		value           any
	}
	tests := []struct {
		name string
		spec string
		want []want
	}{{
		name: "nothing set: none of the values",
		spec: "spec:\n  profile: ambient\n",
		want: []want{
			{"istiod", "global.platform", nil}, {"istiod", "compatibilityVersion", nil},
			{"istiod", "global.networkPolicy", nil}, {"istiod", "env", nil}, {"istiod", "global.caAddress", nil},
			{"cni", "cni", nil}, {"ztunnel", "resourceQuotas", nil}, {"ztunnel", "caAddress", nil},
			{"istiod", "meshConfig.discoverySelectors", nil}, {"istiod", "trustedZtunnelNamespace", nil},
		},
	}, {
		name: "platform and compatibility version reach every chart",
		spec: "spec:\n  profile: ambient\n  platform: gke\n  compatibilityVersion: \"1.29\"\n",
		want: []want{
			{"base", "global.platform", "gke"}, {"istiod", "global.platform", "gke"},
			{"cni", "global.platform", "gke"}, {"ztunnel", "global.platform", "gke"}, {"ztunnel", "platform", "gke"},
			{"base", "compatibilityVersion", "1.29"}, {"istiod", "compatibilityVersion", "1.29"},
			{"cni", "compatibilityVersion", "1.29"}, {"ztunnel", "compatibilityVersion", "1.29"},
		},
	}, {
		name: "gke: the CNI agent's binary folder, which the chart cannot detect from a pinned version",
		spec: "spec:\n  profile: ambient\n  platform: gke\n",
		want: []want{{"cni", "cni.cniBinDir", "/home/kubernetes/bin"}, {"cni", "cni.resourceQuotas", nil}},
	}, {
		name: "gke: no quota for node agents in kube-system",
		spec: "spec:\n  profile: ambient\n  platform: gke\n  rootNamespace: kube-system\n",
		want: []want{{"cni", "cni.resourceQuotas.enabled", false}, {"ztunnel", "resourceQuotas.enabled", false}},
	}, {
		name: "openshift ambient: istiod trusts the ztunnel of the root namespace",
		spec: "spec:\n  profile: ambient\n  platform: openshift\n",
		want: []want{{"istiod", "trustedZtunnelNamespace", "istio-system"}},
	}, {
		name: "pull secrets in each chart's shape, network policies",
		spec: "spec:\n  profile: ambient\n  imagePullSecrets: [reg]\n  networkPolicy: {enabled: true}\n  gateways: [{name: gw}]\n",
		want: []want{
			{"base", "global.imagePullSecrets", []any{"reg"}}, {"istiod", "global.imagePullSecrets", []any{"reg"}},
			{"cni", "global.imagePullSecrets", []any{"reg"}}, {"ztunnel", "imagePullSecrets", []any{"reg"}},
			{"gateway/gw", "imagePullSecrets", []any{map[string]any{"name": "reg"}}},
			{"istiod", "global.networkPolicy.enabled", true}, {"cni", "global.networkPolicy.enabled", true},
			{"ztunnel", "global.networkPolicy.enabled", true}, {"gateway/gw", "global.networkPolicy.enabled", true},
		},
	}, {
		name: "istio-csr: proxies and ztunnel ask it, istiod's CA server is off",
		spec: "spec:\n  profile: ambient\n  mesh:\n    ca: {type: istio-csr}\n",
		want: []want{
			{"istiod", "global.caAddress", mesh.DefaultIstioCSRAddress}, {"istiod", "env.ENABLE_CA_SERVER", "false"},
			{"ztunnel", "caAddress", mesh.DefaultIstioCSRAddress},
		},
	}, {
		name: "discovery selectors select the root namespace's label",
		spec: "spec:\n  mesh: {scope: {discoverySelectors: true}}\n",
		want: []want{{"istiod", "meshConfig.discoverySelectors", []any{map[string]any{"matchLabels": map[string]any{mesh.DiscoveryLabel: "istio-system"}}}}},
	}, {
		name: "scheduling: istiod's priority class is global, a gateway's its own",
		spec: "spec:\n  controlPlane: {priorityClassName: a, nodeSelector: {pool: infra}}\n  gateways: [{name: istio-ingressgateway, priorityClassName: b, tolerations: [{key: k, operator: Exists}]}]\n",
		want: []want{
			{"istiod", "global.priorityClassName", "a"}, {"istiod", "nodeSelector", map[string]any{"pool": "infra"}},
			{"gateway/istio-ingressgateway", "priorityClassName", "b"},
			{"gateway/istio-ingressgateway", "tolerations", []any{map[string]any{"key": "k", "operator": "Exists"}}},
		},
	}, {
		name: "affinity composes with antiAffinity, the spec's terms first",
		spec: "spec:\n  controlPlane:\n    antiAffinity: required\n    affinity:\n      podAntiAffinity:\n        requiredDuringSchedulingIgnoredDuringExecution:\n        - {topologyKey: zone, labelSelector: {matchLabels: {app: istiod}}}\n      nodeAffinity:\n        preferredDuringSchedulingIgnoredDuringExecution:\n        - {weight: 10, preference: {matchExpressions: [{key: pool, operator: In, values: [infra]}]}}\n",
		want: []want{{"istiod", "affinity", map[string]any{
			"nodeAffinity": map[string]any{"preferredDuringSchedulingIgnoredDuringExecution": []any{map[string]any{
				"weight": int64(10), "preference": map[string]any{"matchExpressions": []any{map[string]any{"key": "pool", "operator": "In", "values": []any{"infra"}}}},
			}}},
			"podAntiAffinity": map[string]any{"requiredDuringSchedulingIgnoredDuringExecution": []any{
				map[string]any{"topologyKey": "zone", "labelSelector": map[string]any{"matchLabels": map[string]any{"app": "istiod"}}},
				map[string]any{"topologyKey": "kubernetes.io/hostname", "labelSelector": map[string]any{"matchLabels": map[string]any{"app": "istiod", "istio.io/rev": "default"}}},
			}},
		}}},
	}, {
		name: "primary of remote clusters: istiod serves them",
		spec: "spec:\n  mesh: {meshID: m, clusterName: c1, network: n1}\n  multicluster: {model: primary-remote, eastWestGateway: {}}\n",
		want: []want{
			{"istiod", "global.externalIstiod", true}, {"istiod", "profile", nil},
			{"gateway/istio-eastwestgateway", "networkGateway", "n1"},
		},
	}, {
		name: "with revisions, the east-west gateway is injected by the default control plane",
		spec: "spec:\n  profile: minimal\n  revisions: [{name: a}, {name: b}]\n  tags: {default: b}\n  mesh: {meshID: m, clusterName: c1, network: n1}\n  multicluster: {eastWestGateway: {}}\n",
		want: []want{{"gateway/istio-eastwestgateway", "revision", "b"}},
	}, {
		name: "remote: the charts' remote profile, the primary's address, the injection path",
		spec: "spec:\n  profile: minimal\n  mesh: {meshID: m, clusterName: c2, network: n2}\n  multicluster: {model: remote, discoveryAddress: istiod.example.com}\n",
		want: []want{
			{"base", "profile", "remote"}, {"istiod", "profile", "remote"},
			{"istiod", "global.remotePilotAddress", "istiod.example.com"},
			{"istiod", "istiodRemote.injectionPath", "/inject/cluster/c2/net/n2"},
			{"istiod", "global.externalIstiod", nil},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, err := mesh.Load([]byte(header + tt.spec))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			rels, err := render.Releases(m, render.Options{})
			if err != nil {
				t.Fatalf("Releases: %v", err)
			}
			values := map[string]map[string]any{}
			for _, r := range rels {
				values[r.Component] = r.Values
			}
			for _, w := range tt.want {
				v, ok := values[w.component]
				if !ok {
					t.Fatalf("no release %s", w.component)
				}
				if diff := cmp.Diff(w.value, valueAt(v, w.path)); diff != "" {
					t.Errorf("%s %s (-want +got):\n%s", w.component, w.path, diff)
				}
			}
		})
	}
}

// TestDayTwoObjects renders specs with the day-two settings and checks the
// objects they add or change.
func TestDayTwoObjects(t *testing.T) {
	t.Run("two allowed hosts render their ServiceEntries", func(t *testing.T) {
		out := renderSpec(t, "spec:\n  profile: production\n  mesh:\n    egress:\n    - host: api.stripe.com\n    - host: api.github.com\n      ports: [{port: 443}, {port: 80}]\n")
		got := map[string]any{}
		for _, r := range out.Resources {
			if r.Kind == "ServiceEntry" {
				got[r.Namespace+"/"+r.Name] = r.Object()["spec"]
			}
		}
		want := map[string]any{
			"istio-system/egress-api.stripe.com": map[string]any{
				"hosts": []any{"api.stripe.com"}, "location": "MESH_EXTERNAL", "resolution": "DNS",
				"ports": []any{map[string]any{"name": "tls-443", "number": float64(443), "protocol": "TLS"}},
			},
			"istio-system/egress-api.github.com": map[string]any{
				"hosts": []any{"api.github.com"}, "location": "MESH_EXTERNAL", "resolution": "DNS",
				"ports": []any{
					map[string]any{"name": "tls-443", "number": float64(443), "protocol": "TLS"},
					map[string]any{"name": "http-80", "number": float64(80), "protocol": "HTTP"},
				},
			},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ServiceEntries (-want +got):\n%s", diff)
		}
	})
	t.Run("a host routed through an egress gateway gets a Gateway object istiod accepts", func(t *testing.T) {
		out := renderSpec(t, "spec:\n  profile: minimal\n  gateways: [{name: egw, namespace: istio-egress, kind: egress}]\n  mesh:\n    egress:\n    - {host: api.github.com, gateway: egw}\n")
		var gateways, referenced []string
		for _, r := range out.Resources {
			switch r.Kind {
			case "Gateway":
				gateways = append(gateways, r.Namespace+"/"+r.Name)
			case "VirtualService":
				for _, g := range r.Object()["spec"].(map[string]any)["gateways"].([]any) {
					if g != "mesh" {
						referenced = append(referenced, g.(string))
					}
				}
			}
		}
		// istiod's validation: a Gateway's name is a DNS-1123 label.
		want := []string{"istio-egress/egress-api-github-com"}
		if diff := cmp.Diff(want, gateways); diff != "" {
			t.Errorf("Gateway objects (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, referenced); diff != "" {
			t.Errorf("gateways the VirtualService names (-want +got):\n%s", diff)
		}
	})
	t.Run("a remote cluster renders no istiod", func(t *testing.T) {
		out := renderSpec(t, "spec:\n  profile: minimal\n  mesh: {meshID: m, clusterName: c2}\n  multicluster: {model: remote, discoveryAddress: 203.0.113.7}\n")
		for _, r := range out.Resources {
			if r.Kind == "Deployment" || r.Kind == "HorizontalPodAutoscaler" || r.Kind == "PodDisruptionBudget" {
				t.Errorf("remote cluster renders %s", r.ID())
			}
		}
		if out.Counts()["EndpointSlice"] != 1 {
			t.Errorf("want the EndpointSlice that leads to the primary's istiod, got %v", out.Counts())
		}
	})
	t.Run("Pod Security levels by what runs in each namespace", func(t *testing.T) {
		out := renderSpec(t, "spec:\n  profile: minimal\n  podSecurity: {enabled: true}\n  cni: {enabled: true, namespace: istio-cni}\n  gateways: [{name: gw, namespace: edge}]\n  namespaces:\n  - {name: shop, injection: enabled}\n  - {name: batch}\n  - {name: own, injection: enabled, labels: {pod-security.kubernetes.io/enforce: restricted}}\n")
		got := map[string]any{}
		for _, r := range out.Resources {
			if r.Kind == "Namespace" {
				labels := r.Object()["metadata"].(map[string]any)["labels"].(map[string]any)
				got[r.Name] = labels[mesh.PodSecurityLabel]
			}
		}
		want := map[string]any{
			"istio-system": "baseline", "istio-cni": "privileged", "edge": "baseline",
			"shop": "baseline", "batch": nil, "own": "restricted",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("enforce labels (-want +got):\n%s", diff)
		}
	})
	t.Run("the east-west gateway's NetworkPolicy admits its network ports", func(t *testing.T) {
		out := renderSpec(t, "spec:\n  profile: minimal\n  networkPolicy: {enabled: true}\n  mesh: {meshID: m, clusterName: c1, network: n1}\n  multicluster: {eastWestGateway: {}}\n")
		var got []any
		for _, r := range out.Resources {
			if r.Kind == "NetworkPolicy" && r.Name == "istio-eastwestgateway" {
				for _, rule := range r.Object()["spec"].(map[string]any)["ingress"].([]any) {
					for _, p := range rule.(map[string]any)["ports"].([]any) {
						got = append(got, p.(map[string]any)["port"])
					}
				}
			}
		}
		want := []any{float64(15021), float64(15020), float64(15090), float64(15021), float64(15443), float64(15012), float64(15017)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ingress ports (-want +got):\n%s", diff)
		}
	})
	t.Run("a plugged-in CA is a Certificate for cacerts, and no Secret is rendered", func(t *testing.T) {
		out := renderSpec(t, "spec:\n  mesh:\n    ca: {type: plugin, plugin: {issuerRef: {name: root, kind: Issuer}}}\n")
		var got []any
		for _, r := range out.Resources {
			switch {
			case r.Kind == "Secret":
				t.Errorf("renders Secret %s", r.ID())
			case r.Kind == "Certificate":
				got = append(got, r.Namespace+"/"+r.Name, r.Object()["spec"])
			}
		}
		want := []any{"istio-system/cacerts", map[string]any{
			"secretName": "cacerts", "isCA": true, "commonName": "istiod intermediate CA",
			"issuerRef": map[string]any{"name": "root", "kind": "Issuer", "group": "cert-manager.io"},
		}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Certificates (-want +got):\n%s", diff)
		}
	})
	t.Run("a Gateway API gateway's namespace: baseline, and in the root Sidecar", func(t *testing.T) {
		out := renderSpec(t, "spec:\n  profile: minimal\n  cni: {enabled: true}\n  podSecurity: {enabled: true}\n  mesh: {scope: {sidecar: true}}\n  gatewayAPI:\n    crds: present\n    gateways: [{name: public, namespace: edge-api, listeners: [{name: http}]}]\n")
		var level, hosts any
		for _, r := range out.Resources {
			switch {
			case r.Kind == "Namespace" && r.Name == "edge-api":
				level = r.Object()["metadata"].(map[string]any)["labels"].(map[string]any)[mesh.PodSecurityLabel]
			case r.Kind == "Sidecar":
				hosts = r.Object()["spec"].(map[string]any)["egress"].([]any)[0].(map[string]any)["hosts"]
			}
		}
		if diff := cmp.Diff(any("baseline"), level); diff != "" {
			t.Errorf("edge-api's level (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(any([]any{"./*", "edge-api/*", "istio-system/*"}), hosts); diff != "" {
			t.Errorf("root Sidecar's hosts (-want +got):\n%s", diff)
		}
	})
}

// TestCompatibilityVersionAgainstCharts refuses, with its field path, a
// compatibility version the charts carry no profile for, which the charts
// themselves reject without naming a field.
func TestCompatibilityVersionAgainstCharts(t *testing.T) {
	tests := []struct{ name, spec, want string }{{
		name: "one control plane",
		spec: "spec:\n  profile: minimal\n  compatibilityVersion: \"1.20\"\n",
		want: `invalid IstioMesh: spec.compatibilityVersion: "1.20": the Istio 1.31 charts carry no such profile; they keep the behaviour of 1.25, 1.26, 1.27, 1.28, 1.29, 1.30`,
	}, {
		name: "revisions name theirs",
		spec: "spec:\n  profile: minimal\n  compatibilityVersion: \"1.19\"\n  revisions: [{name: a}]\n",
		want: `invalid IstioMesh: spec.compatibilityVersion: "1.19": the Istio 1.31 charts of spec.revisions[0] carry no such profile; they keep the behaviour of 1.25, 1.26, 1.27, 1.28, 1.29, 1.30`,
	}, {
		name: "a profile the charts carry",
		spec: "spec:\n  profile: minimal\n  compatibilityVersion: \"1.25\"\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, err := mesh.Load([]byte(header + tt.spec))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			_, err = render.Releases(m, render.Options{})
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Releases error (-want +got):\n%s", diff)
			}
		})
	}
}
