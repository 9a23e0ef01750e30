package behaviour_test

import (
	"os"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// breaksEnv names the case whose breaks a child process runs.
const breaksEnv = "ISTIO_RENDER_PROOF_BREAKS"

// breakage is one deliberately broken render: a copy of a case's render
// with one thing changed, and the finding a check must make of it.
type breakage struct {
	name string
	// from is the case whose render is broken.
	from string
	// step is the step that must find it: inject, analyze or configgen.
	step    string
	breakIt func(t *testing.T, b *bundle)
	// want is part of the finding.
	want string
}

// breaks are the deliberately broken renders, at least one per check.
var breaks = []breakage{
	// The analyzers.
	{
		name: "Gateway selector matches no pod", from: "seed-greenfield", step: "analyze",
		breakIt: func(t *testing.T, b *bundle) {
			editGroup(t, b, "networking.istio.io", "Gateway", "istio-system", "external-gateway", func(u *unstructured.Unstructured) {
				set(t, u, "ingressgateway-typo", "spec", "selector", "istio")
			})
		},
		want: "[IST0101] (Gateway istio-system/external-gateway",
	},
	{
		name: "gateway pods no longer opt in to injection", from: "seed-greenfield", step: "analyze",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "Deployment", "istio-system", "istio-ingressgateway", func(u *unstructured.Unstructured) {
				unset(t, u, "spec", "template", "metadata", "labels", "sidecar.istio.io/inject")
			})
		},
		want: "(Pod istio-system/istio-ingressgateway-",
	},
	{
		name: "a namespace asking for sidecars loses its injection label", from: "seed-greenfield", step: "analyze",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "Namespace", "", "greenfield", func(u *unstructured.Unstructured) {
				unset(t, u, "metadata", "labels", "istio-injection")
			})
		},
		want: "not a known message: Info [IST0102] (Namespace greenfield",
	},
	{
		name: "Gateway API CRD of a release below istiod's minimum", from: "gateway-api-ingress", step: "analyze",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "CustomResourceDefinition", "", "tlsroutes.gateway.networking.k8s.io", func(u *unstructured.Unstructured) {
				set(t, u, "v1.0.0", "metadata", "annotations", "gateway.networking.k8s.io/bundle-version")
			})
		},
		want: "tlsroutes.gateway.networking.k8s.io",
	},

	// The injector and istiod's deployment controller.
	{
		name: "injector values with another hub", from: "seed-greenfield", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio-sidecar-injector", func(u *unstructured.Unstructured) {
				editData(t, u, "values", func(v map[string]any) { at(v, "global")["hub"] = "docker.io/wronghub" })
			})
		},
		want: `istio-proxy image "docker.io/wronghub/proxyv2:1.31.0", want "docker.io/istio/proxyv2:1.31.0"`,
	},
	{
		// The ambient profile sets the variant in two places: the injector's
		// values and the mesh's default proxy image type.
		name: "injector and mesh config without the ambient profile's variant", from: "ambient-namespaces", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio", func(u *unstructured.Unstructured) {
				editData(t, u, "mesh", func(m map[string]any) { delete(at(m, "defaultConfig"), "image") })
			})
			edit(t, b, "ConfigMap", "istio-system", "istio-sidecar-injector", func(u *unstructured.Unstructured) {
				editData(t, u, "values", func(v map[string]any) { delete(at(v, "global"), "variant") })
			})
		},
		want: `istio-proxy image "docker.io/istio/proxyv2:1.31.0", want "docker.io/istio/proxyv2:1.31.0-distroless"`,
	},
	{
		name: "injector values with another proxy log level", from: "testdata/proxy-settings", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio-sidecar-injector", func(u *unstructured.Unstructured) {
				editData(t, u, "values", func(v map[string]any) { at(v, "global", "proxy")["logLevel"] = "warning" })
			})
		},
		want: `proxy log level "warning", want "debug"`,
	},
	{
		name: "injector values with other proxy requests", from: "seed-production", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio-sidecar-injector", func(u *unstructured.Unstructured) {
				editData(t, u, "values", func(v map[string]any) { at(v, "global", "proxy", "resources", "requests")["cpu"] = "50m" })
			})
		},
		want: "istio-proxy requests.cpu 50m, want 100m",
	},
	{
		name: "injector values with another network", from: "zero-trust", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio-sidecar-injector", func(u *unstructured.Unstructured) {
				editData(t, u, "values", func(v map[string]any) { at(v, "global")["network"] = "network2" })
			})
		},
		want: `ISTIO_META_NETWORK "network2", want "network1"`,
	},
	{
		name: "injector values with another mesh ID", from: "zero-trust", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio-sidecar-injector", func(u *unstructured.Unstructured) {
				editData(t, u, "values", func(v map[string]any) { at(v, "global")["meshID"] = "mesh2" })
			})
		},
		want: `ISTIO_META_MESH_ID "mesh2", want "mesh1"`,
	},
	{
		name: "injector values with another cluster name", from: "zero-trust", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio-sidecar-injector", func(u *unstructured.Unstructured) {
				editData(t, u, "values", func(v map[string]any) { at(v, "global", "multiCluster")["clusterName"] = "eu-west-2" })
			})
		},
		want: `ISTIO_META_CLUSTER_ID "eu-west-2", want "eu-west-1"`,
	},
	{
		name: "gateway namespace labelled injection disabled", from: "seed-greenfield", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "Namespace", "", "istio-system", func(u *unstructured.Unstructured) {
				set(t, u, "disabled", "metadata", "labels", "istio-injection")
			})
		},
		want: "Deployment/istio-system/istio-ingressgateway: not injected (no sidecar.istio.io/status annotation)",
	},
	{
		name: "revision tag webhook calling the canary", from: "canary", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "MutatingWebhookConfiguration", "", "istio-revision-tag-prod-stable", func(u *unstructured.Unstructured) {
				for i := range 2 {
					editItem(t, u, i, func(h map[string]any) { at(h, "clientConfig", "service")["name"] = "istiod-1-31-1" }, "webhooks")
				}
			})
		},
		want: `Deployment/payments/sample: injected through webhook istio-revision-tag-prod-stable/rev.namespace.sidecar-injector.istio.io by istiod "1-31-1", want "1-31-0"`,
	},
	{
		name: "canary mesh config pointing proxies at the other istiod", from: "canary", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio-1-31-1", func(u *unstructured.Unstructured) {
				editData(t, u, "mesh", func(m map[string]any) {
					at(m, "defaultConfig")["discoveryAddress"] = "istiod-1-31-0.istio-system.svc:15012"
				})
			})
		},
		want: `Deployment/catalog/sample: the proxy connects to istiod at "istiod-1-31-0.istio-system.svc:15012", want "istiod-1-31-1.istio-system.svc:15012"`,
	},
	{
		name: "gateway class defaults with other proxy requests", from: "gateway-api-ingress", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio-default-gatewayclass-istio", func(u *unstructured.Unstructured) {
				editData(t, u, "deployment", func(d map[string]any) {
					c := item(t, at(d, "spec", "template", "spec"), "containers", 0)
					at(c, "resources", "requests")["cpu"] = "100m"
				})
			})
		},
		want: "Deployment/istio-ingress/public-istio: istio-proxy requests.cpu 100m, want 200m",
	},
	{
		name: "gateway class defaults with another autoscaler bound", from: "gateway-api-ingress", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio-default-gatewayclass-istio", func(u *unstructured.Unstructured) {
				editData(t, u, "horizontalPodAutoscaler", func(h map[string]any) { at(h, "spec")["maxReplicas"] = int64(10) })
			})
		},
		want: "istio istio-ingress/public: autoscaler 2-10, want 2-5",
	},
	{
		name: "gateway class defaults with another external traffic policy", from: "gateway-api-ingress", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio-default-gatewayclass-istio", func(u *unstructured.Unstructured) {
				editData(t, u, "service", func(s map[string]any) { at(s, "spec")["externalTrafficPolicy"] = "Cluster" })
			})
		},
		want: `istio istio-ingress/public: Service externalTrafficPolicy "Cluster", want "Local"`,
	},
	{
		name: "Gateway API gateway without its infrastructure annotations", from: "gateway-api-ingress", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			editGroup(t, b, gatewayAPIGroup, "Gateway", "istio-ingress", "public", func(u *unstructured.Unstructured) {
				unset(t, u, "spec", "infrastructure", "annotations")
			})
		},
		want: `istio istio-ingress/public: Service annotation service.beta.kubernetes.io/aws-load-balancer-type "", want "nlb"`,
	},
	{
		name: "Gateway API gateway of a revision no istiod serves", from: "gateway-api-ingress", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			editGroup(t, b, gatewayAPIGroup, "Gateway", "istio-ingress", "public", func(u *unstructured.Unstructured) {
				set(t, u, "elsewhere", "metadata", "labels", "istio.io/rev")
			})
		},
		want: "Gateway istio-ingress/public: want exactly one istiod to deploy it, got []",
	},
	{
		name: "waypoint class defaults with one replica", from: "ambient-waypoints", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio-default-gatewayclass-istio-waypoint", func(u *unstructured.Unstructured) {
				editData(t, u, "deployment", func(d map[string]any) { at(d, "spec")["replicas"] = int64(1) })
			})
		},
		want: "istio-waypoint shop/waypoint: 1 replicas, want 2",
	},
	{
		name: "waypoint class defaults without a disruption budget", from: "ambient-waypoints", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio-default-gatewayclass-istio-waypoint", func(u *unstructured.Unstructured) {
				unset(t, u, "data", "podDisruptionBudget")
			})
		},
		want: "istio-waypoint shop/waypoint: runs 2 or more replicas, but istiod applied no PodDisruptionBudget",
	},

	// istiod's configuration: sidecars.
	{
		name: "PeerAuthentications removed", from: "seed-greenfield", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			drop(t, b, "PeerAuthentication", "istio-system", "default")
			drop(t, b, "PeerAuthentication", "greenfield", "default")
		},
		want: "sidecar greenfield/sample: PeerAuthentication STRICT, but inbound plaintext on 8080 is accepted",
	},
	{
		name: "client mTLS DestinationRule removed", from: "seed-greenfield", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) { drop(t, b, "DestinationRule", "greenfield", "default-mtls") },
		want:    "but cluster outbound|8080||sample.greenfield.svc.cluster.local has no Istio mTLS transport socket",
	},
	{
		name: "mesh config without the Prometheus metrics provider", from: "seed-greenfield", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio", func(u *unstructured.Unstructured) {
				editData(t, u, "mesh", func(m map[string]any) { delete(m, "defaultProviders") })
			})
		},
		want: `sidecar greenfield/sample: inbound filter chain "0.0.0.0_8080" has no istio.stats filter`,
	},
	{
		name: "mesh config lets unknown destinations out", from: "seed-production", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio", func(u *unstructured.Unstructured) {
				editData(t, u, "mesh", func(m map[string]any) { at(m, "outboundTrafficPolicy")["mode"] = "ALLOW_ANY" })
			})
		},
		want: `goes to "PassthroughCluster" (<nil>), want BlackHoleCluster`,
	},
	{
		name: "mesh config with an access log the spec does not ask for", from: "seed-greenfield", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio", func(u *unstructured.Unstructured) {
				editData(t, u, "mesh", func(m map[string]any) { m["accessLogFile"] = "/dev/stdout" })
			})
		},
		want: `access log to ["/dev/stdout"], but the spec asks for none`,
	},
	{
		name: "AuthorizationPolicy allows another gateway identity", from: "zero-trust", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "AuthorizationPolicy", "shop", "allow-from-gateways", func(u *unstructured.Unstructured) {
				set(t, u, []any{map[string]any{"from": []any{map[string]any{"source": map[string]any{
					"principals": []any{"prod.example.com/ns/istio-system/sa/istio-ingressgateway"},
				}}}}}, "spec", "rules")
			})
		},
		want: "allowFromGateways istio-ingressgateway: its pod runs as spiffe://prod.example.com/ns/istio-ingress/sa/istio-ingressgateway, which no inbound RBAC rule allows",
	},
	{
		name: "AuthorizationPolicies removed", from: "zero-trust", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			drop(t, b, "AuthorizationPolicy", "shop", "allow-nothing")
			drop(t, b, "AuthorizationPolicy", "shop", "allow-same-namespace")
			drop(t, b, "AuthorizationPolicy", "shop", "allow-from-gateways")
		},
		want: "sidecar shop/sample: authorization asked for, but the inbound chain has no RBAC rules",
	},

	// istiod's configuration: tracing through the Telemetry API.
	{
		name: "Telemetry resource removed", from: "seed-greenfield", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) { drop(t, b, "Telemetry", "istio-system", "mesh-default") },
		want:    "sidecar greenfield/sample inbound: tracing to zipkin asked for, but the connection manager sends no span anywhere",
	},
	{
		name: "Telemetry resource samples another percentage", from: "seed-greenfield", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "Telemetry", "istio-system", "mesh-default", func(u *unstructured.Unstructured) {
				editItem(t, u, 0, func(tr map[string]any) { tr["randomSamplingPercentage"] = 10.0 }, "spec", "tracing")
			})
		},
		want: "trace sampling 10%, want 100%",
	},
	{
		name: "Telemetry resource selects another provider", from: "profile-demo", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "Telemetry", "istio-system", "mesh-default", func(u *unstructured.Unstructured) {
				editItem(t, u, 0, func(tr map[string]any) {
					tr["providers"] = []any{map[string]any{"name": "otel-tracing"}}
				}, "spec", "tracing")
			})
		},
		want: "sidecar istio-proof/sample inbound: tracing to zipkin asked for, but the connection manager sends no span anywhere",
	},
	{
		name: "extension provider sending spans to another service", from: "seed-greenfield", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio", func(u *unstructured.Unstructured) {
				editData(t, u, "mesh", func(m map[string]any) {
					at(item(t, m, "extensionProviders", 0), "zipkin")["service"] = "sample.istio-proof.svc.cluster.local"
					at(item(t, m, "extensionProviders", 0), "zipkin")["port"] = int64(8080)
				})
			})
		},
		want: `spans go to cluster "outbound|8080||sample.istio-proof.svc.cluster.local", want "outbound|9411||jaeger-collector.greenfield.svc.cluster.local"`,
	},
	{
		name: "extension provider of another kind", from: "zero-trust", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio", func(u *unstructured.Unstructured) {
				editData(t, u, "mesh", func(m map[string]any) {
					p := item(t, m, "extensionProviders", 0)
					p["zipkin"] = p["opentelemetry"]
					delete(p, "opentelemetry")
				})
			})
		},
		want: `tracer "envoy.tracers.zipkin", want envoy.tracers.opentelemetry for provider opentelemetry`,
	},

	// istiod's configuration: classic gateways.
	{
		name: "Gateway credential renamed", from: "seed-greenfield", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			editGroup(t, b, "networking.istio.io", "Gateway", "istio-system", "external-gateway", func(u *unstructured.Unstructured) {
				editItem(t, u, 1, func(sv map[string]any) { at(sv, "tls")["credentialName"] = "other-tls" }, "spec", "servers")
			})
		},
		want: `certificate SDS secrets ["kubernetes://other-tls"], want ["kubernetes://example-tls"]`,
	},
	{
		name: "Gateway MUTUAL turned SIMPLE", from: "seed-greenfield", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			editGroup(t, b, "networking.istio.io", "Gateway", "istio-system", "internal-gateway", func(u *unstructured.Unstructured) {
				editItem(t, u, 0, func(sv map[string]any) { at(sv, "tls")["mode"] = "SIMPLE" }, "spec", "servers")
			})
		},
		want: "mutual TLS true, but require_client_certificate is false",
	},
	{
		name: "Gateway without httpsRedirect", from: "seed-greenfield", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			editGroup(t, b, "networking.istio.io", "Gateway", "istio-system", "external-gateway", func(u *unstructured.Unstructured) {
				editItem(t, u, 0, func(sv map[string]any) { delete(sv, "tls") }, "spec", "servers")
			})
		},
		want: "server http-80 (HTTP 80): httpsRedirect, but plain HTTP to www.example.test gets <nil>",
	},
	{
		name: "Gateway server moved to another port", from: "egress", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			editGroup(t, b, "networking.istio.io", "Gateway", "istio-egress", "istio-egressgateway", func(u *unstructured.Unstructured) {
				editItem(t, u, 0, func(sv map[string]any) { at(sv, "port")["number"] = int64(8443) }, "spec", "servers")
			})
		},
		want: "server tls-443 (TLS 443): no listener 0.0.0.0_443",
	},
	{
		name: "Gateway without minProtocolVersion", from: "zero-trust", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			editGroup(t, b, "networking.istio.io", "Gateway", "istio-ingress", "istio-ingressgateway", func(u *unstructured.Unstructured) {
				editItem(t, u, 1, func(sv map[string]any) { delete(at(sv, "tls"), "minProtocolVersion") }, "spec", "servers")
			})
		},
		want: "minimum TLS version TLS_AUTO, want TLSv1_3",
	},
	{
		name: "gateway Service port renamed grpc", from: "seed-greenfield", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "Service", "istio-system", "istio-ingressgateway", func(u *unstructured.Unstructured) {
				ports, _, _ := unstructured.NestedSlice(u.Object, "spec", "ports")
				renamed := false
				for _, p := range ports {
					if p.(map[string]any)["name"] == "https" {
						p.(map[string]any)["name"], renamed = "grpc", true
					}
				}
				if !renamed {
					t.Fatal("no port named https")
				}
				set(t, u, ports, "spec", "ports")
			})
		},
		want: `Service port 443 is named "grpc", which Istio reads as GRPC`,
	},

	// istiod's configuration: Gateway API gateways.
	{
		name: "Gateway API listener moved to another port", from: "gateway-api-ingress", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			editGroup(t, b, gatewayAPIGroup, "Gateway", "istio-ingress", "public", func(u *unstructured.Unstructured) {
				editItem(t, u, 1, func(l map[string]any) { l["port"] = int64(8443) }, "spec", "listeners")
			})
		},
		want: "listener https (HTTPS 443): no filter chain for TLS to shop.example.com",
	},
	{
		name: "Gateway API listener with another certificate", from: "gateway-api-ingress", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			editGroup(t, b, gatewayAPIGroup, "Gateway", "istio-ingress", "public", func(u *unstructured.Unstructured) {
				editItem(t, u, 2, func(l map[string]any) {
					item(t, at(l, "tls"), "certificateRefs", 0)["name"] = "shop-tls"
					item(t, at(l, "tls"), "certificateRefs", 0)["namespace"] = "certificates"
				}, "spec", "listeners")
			})
		},
		want: `listener https-api (HTTPS 443): certificate SDS secrets ["kubernetes-gateway://certificates/shop-tls"], want ["kubernetes-gateway://istio-ingress/api-tls"]`,
	},
	{
		name: "ReferenceGrant for the certificates removed", from: "gateway-api-ingress", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			drop(t, b, "ReferenceGrant", "certificates", "gateways-from-istio-ingress")
		},
		want: "listener https (HTTPS 443): ",
	},
	{
		name: "HTTPS redirect route removed", from: "gateway-api-ingress", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) { drop(t, b, "HTTPRoute", "istio-ingress", "public-https-redirect") },
		want:    "listener http (HTTP 80): httpsRedirect, but plain HTTP to www.example.test gets",
	},
	{
		name: "TLSRoute CRD of a release istiod ignores", from: "gateway-api-ingress", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "CustomResourceDefinition", "", "tlsroutes.gateway.networking.k8s.io", func(u *unstructured.Unstructured) {
				set(t, u, "v1.0.0", "metadata", "annotations", "gateway.networking.k8s.io/bundle-version")
			})
		},
		want: "listener tls-db (TLS 5443): no listener 0.0.0.0_5443",
	},

	// istiod's configuration: waypoints.
	{
		name: "namespace no longer uses its waypoint", from: "ambient-waypoints", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "Namespace", "", "payments", func(u *unstructured.Unstructured) {
				unset(t, u, "metadata", "labels", "istio.io/use-waypoint")
			})
		},
		want: "waypoint payments/payments-waypoint (for all): does not serve Service sample.payments",
	},
	{
		name: "waypoint for workload traffic only", from: "ambient-waypoints", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			editGroup(t, b, gatewayAPIGroup, "Gateway", "payments", "payments-waypoint", func(u *unstructured.Unstructured) {
				set(t, u, "workload", "metadata", "labels", "istio.io/waypoint-for")
			})
		},
		want: "waypoint payments/payments-waypoint (for all): does not serve Service sample.payments",
	},
	{
		name: "policies not bound to the waypoint", from: "ambient-waypoints", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			for _, name := range []string{"waypoint-allow-nothing", "waypoint-allow-same-namespace"} {
				drop(t, b, "AuthorizationPolicy", "shop", name)
			}
		},
		want: "waypoint shop/waypoint (for service): authorization asked for, but the inbound chain has no RBAC rules",
	},
	{
		name: "a namespace's own Sidecar widened to the whole mesh", from: "scope", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "Sidecar", "reporting", "default", func(u *unstructured.Unstructured) {
				set(t, u, []any{map[string]any{"hosts": []any{"*/*"}}}, "spec", "egress")
			})
		},
		want: "sidecar reporting/sample: cluster outbound|8080||sample.shop.svc.cluster.local, though the spec's scope hides",
	},
	{
		name: "remote cluster's istiod endpoint elsewhere", from: "multicluster-remote", step: "inject",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "EndpointSlice", "istio-system", "istiod", func(u *unstructured.Unstructured) {
				set(t, u, []any{map[string]any{"addresses": []any{"198.51.100.7"}}}, "endpoints")
			})
		},
		want: "leads to [198.51.100.7], want spec.multicluster.discoveryAddress 203.0.113.10",
	},
	{
		name: "waypoint without the Prometheus metrics provider", from: "ambient-waypoints", step: "configgen",
		breakIt: func(t *testing.T, b *bundle) {
			edit(t, b, "ConfigMap", "istio-system", "istio", func(u *unstructured.Unstructured) {
				editData(t, u, "mesh", func(m map[string]any) { delete(m, "defaultProviders") })
			})
		},
		want: `waypoint payments/payments-waypoint (for all): chain "inbound-vip|8080|http|sample.payments.svc.cluster.local" has no istio.stats filter`,
	},
}

// TestChecksCatchBrokenRenders shows every check failing: for each case
// with breaks, a child process (this test again, with the case's istiod
// environment as TestProof runs it and ISTIO_RENDER_PROOF_BREAKS naming
// the case) proves the render clean of each finding, then requires the
// finding of each broken copy.
func TestChecksCatchBrokenRenders(t *testing.T) {
	if name := os.Getenv(breaksEnv); name != "" {
		runBreaks(t, name)
		return
	}
	var order []string
	seen := map[string]bool{}
	for _, br := range breaks {
		if !seen[br.from] {
			seen[br.from] = true
			order = append(order, br.from)
		}
	}
	caught := 0
	for _, name := range order {
		t.Run(name, func(t *testing.T) {
			for _, l := range runChild(t, caseNamed(t, name), "TestChecksCatchBrokenRenders", breaksEnv) {
				if strings.HasPrefix(l, "caught: ") {
					caught++
				}
			}
		})
	}
	if caught != len(breaks) {
		t.Errorf("%d of %d breaks caught", caught, len(breaks))
	}
	t.Logf("%d of %d breaks caught, on %d cases", caught, len(breaks), len(order))
}

// runBreaks runs the breaks of one case, in the child process
// TestChecksCatchBrokenRenders starts.
func runBreaks(t *testing.T, name string) {
	b := renderCase(t, caseNamed(t, name))
	base := prove(t, b)
	for _, br := range breaks {
		if br.from != name {
			continue
		}
		t.Run(br.name, func(t *testing.T) {
			if hit := grep(base.step(br.step), br.want); hit != "" {
				t.Fatalf("%s already finds %q before the break: %s", name, br.want, hit)
			}
			broken := b.clone()
			br.breakIt(t, broken)
			got := prove(t, broken).step(br.step)
			hit := grep(got, br.want)
			if hit == "" {
				t.Fatalf("the %s step did not catch the break: want a finding containing %q, got:\n%s", br.step, br.want, strings.Join(got, "\n"))
			}
			t.Logf("caught: %s", hit)
		})
	}
}

// step returns the findings of one step.
func (f findings) step(name string) []string {
	switch name {
	case "inject":
		return f.inject
	case "analyze":
		return f.analyze
	}
	return f.configgen
}
