package render_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// renderErr loads a valid spec and returns what Render says about it.
func renderErr(t *testing.T, spec string) error {
	t.Helper()
	m, _, err := mesh.Load([]byte(header + spec))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	_, err = render.Render(context.Background(), m, render.Options{})
	return err
}

// TestRenderRefusesWhatDoesNotWork renders specs that validation accepts,
// because the cause is in raw values, but whose objects would not work:
// each must fail with the spec field at fault.
func TestRenderRefusesWhatDoesNotWork(t *testing.T) {
	gatewayWithServer := "  gateways:\n  - name: istio-ingressgateway\n    servers:\n    - hosts: [\"*\"]\n      tls: {mode: SIMPLE, credentialName: gw-tls}\n"
	tests := []struct {
		name, spec, field, text string
	}{{
		name:  "raw values change the label the Gateway selects",
		spec:  "spec:\n" + gatewayWithServer + "  values:\n    gateway:\n      labels: {istio: other}\n",
		field: "spec.values.gateway.labels.istio",
		text:  `Gateway "istio-system/istio-ingressgateway": selects istio=ingressgateway, but no rendered gateway pods carry these labels`,
	}, {
		name:  "raw values turn injection off for the gateway",
		spec:  "spec:\n  values:\n    gateway:\n      labels: {sidecar.istio.io/inject: \"false\"}\n",
		field: `spec.values.gateway.labels["sidecar.istio.io/inject"]`,
		text:  `the pods are labelled sidecar.istio.io/inject="false"`,
	}, {
		name:  "a gateway's own raw values turn injection off",
		spec:  "spec:\n  gateways:\n  - name: edge\n    values:\n      labels: {sidecar.istio.io/inject: \"false\"}\n",
		field: `spec.gateways[0].values.labels["sidecar.istio.io/inject"]`,
		text:  `the pods are labelled sidecar.istio.io/inject="false"`,
	}, {
		name:  "a namespace's revision takes the gateway from its own",
		spec:  "spec:\n  revision: blue\n  canary: {revision: green}\n  gateways:\n  - name: edge\n    namespace: edge\n  namespaces:\n  - name: edge\n    injection: green\n",
		field: "spec.namespaces[0].injection",
		text:  `the pods are injected by revision "green" (webhook rev.namespace.sidecar-injector.istio.io of istio-sidecar-injector-green), not by their own, "blue"`,
	}, {
		name:  "a load balancer IP in raw values",
		spec:  "spec:\n  values:\n    gateway:\n      service: {loadBalancerIP: not-an-ip}\n",
		field: "spec.values.gateway.service.loadBalancerIP",
		text:  `Service "istio-system/istio-ingressgateway": spec.loadBalancerIP: Invalid value: "not-an-ip": must be a valid IP address`,
	}, {
		name:  "raw Service annotations over the size limit",
		spec:  "spec:\n  values:\n    gateway:\n      service:\n        annotations: {big: " + strings.Repeat("x", 300<<10) + "}\n",
		field: "spec.values.gateway.service.annotations.big",
		text:  `Service "istio-system/istio-ingressgateway": metadata.annotations: Too long: may not be more than 262144 bytes`,
	}, {
		name:  "a label value too long in raw values",
		spec:  "spec:\n  values:\n    gateway:\n      labels: {tier: " + strings.Repeat("t", 64) + "}\n",
		field: "spec.values.gateway.labels.tier",
		text:  "must be no more than 63 bytes",
	}, {
		name:  "raw Service ports that lie about the protocol",
		spec:  "spec:\n" + gatewayWithServer + "  values:\n    gateway:\n      service:\n        ports:\n        - {name: grpc, port: 443, targetPort: 443, protocol: TCP}\n",
		field: "spec.values.gateway.service.ports[0].name",
		text:  `port "grpc" (443) tells clients in the mesh it speaks GRPC, but the gateway's server on port 443 speaks HTTPS`,
	}, {
		name:  "a raw limit below the chart's request",
		spec:  "spec:\n  values:\n    gateway:\n      resources:\n        limits: {cpu: 10m}\n",
		field: "spec.values.gateway.resources.limits.cpu",
		text:  `Deployment "istio-system/istio-ingressgateway": spec.template.spec.containers[0].resources.requests: Invalid value: "100m": must be less than or equal to cpu limit of 10m`,
	}, {
		name:  "a raw request above the chart's limit",
		spec:  "spec:\n  values:\n    gateway:\n      resources:\n        requests: {memory: 4Gi}\n",
		field: "spec.values.gateway.resources.requests.memory",
		text:  "must be less than or equal to memory limit of 1024Mi",
	}, {
		name:  "raw Service ports of one name",
		spec:  "spec:\n  values:\n    gateway:\n      service:\n        ports:\n        - {name: web, port: 8080, targetPort: 8080, protocol: TCP}\n        - {name: web, port: 8081, targetPort: 8081, protocol: TCP}\n",
		field: "spec.values.gateway.service.ports[0].name",
		text:  `Service "istio-system/istio-ingressgateway": spec.ports[1].name: Duplicate value: "web"`,
	}, {
		name:  "raw Service ports of one number",
		spec:  "spec:\n  values:\n    gateway:\n      service:\n        ports:\n        - {name: web, port: 8080, targetPort: 8080, protocol: TCP}\n        - {name: api, port: 8080, targetPort: 8081, protocol: TCP}\n",
		field: "spec.values.gateway.service.ports[0].port",
		text:  `Service "istio-system/istio-ingressgateway": spec.ports[1]: Duplicate value: "8080/TCP"`,
	}, {
		name:  "raw mesh config that drops Prometheus metrics",
		spec:  "spec:\n  values:\n    istiod:\n      meshConfig:\n        defaultProviders: {accessLogging: [envoy]}\n",
		field: "spec.values.istiod.meshConfig.defaultProviders",
		text:  "the mesh config's defaultProviders list no prometheus metrics provider",
	}, {
		name:  "a raw tracing provider port out of range",
		spec:  "spec:\n  values:\n    istiod:\n      meshConfig:\n        extensionProviders:\n        - {name: z, zipkin: {service: z.obs, port: 99999}}\n",
		field: "spec.values.istiod.meshConfig.extensionProviders[0].zipkin.port",
		text:  `extension provider "z": port 99999 is not a port number (1-65535)`,
	}, {
		name:  "raw mesh config istiod cannot decode",
		spec:  "spec:\n  profile: production\n  values: {istiod: {meshConfig: {defaultConfig: {holdApplicationUntilProxyStarts: \"yes please\"}}}}\n",
		field: "spec.values.istiod.meshConfig.defaultConfig.holdApplicationUntilProxyStarts",
		text:  `ConfigMap "istio-system/istio": defaultConfig.holdApplicationUntilProxyStarts in the mesh config is "yes please", which istiod cannot decode (json: cannot unmarshal string into Go value of type bool): istiod would ignore the whole mesh config`,
	}, {
		name:  "a spec extension provider istiod cannot decode",
		spec:  "spec:\n  mesh: {extensionProviders: [{name: z, zipkin: {service: z.obs, port: 9411, maxTagLength: long}}]}\n",
		field: "spec.mesh.extensionProviders[0].zipkin.maxTagLength",
		text:  `extensionProviders[0].zipkin.maxTagLength in the mesh config is "long", which istiod cannot decode`,
	}, {
		name:  "a raw extension provider istiod cannot decode",
		spec:  "spec:\n  values: {istiod: {meshConfig: {extensionProviders: [{name: z, zipkin: {service: z.obs, port: 9411, maxTagLength: long}}]}}}\n",
		field: "spec.values.istiod.meshConfig.extensionProviders[0].zipkin.maxTagLength",
		text:  `extensionProviders[0].zipkin.maxTagLength in the mesh config is "long", which istiod cannot decode`,
	}, {
		name:  "raw mesh config settings of the wrong shape",
		spec:  "spec:\n  values: {istiod: {meshConfig: {defaultConfig: {proxyMetadata: [a, b]}}}}\n",
		field: "spec.values.istiod.meshConfig.defaultConfig.proxyMetadata",
		text:  `defaultConfig.proxyMetadata in the mesh config is a list, which istiod cannot decode`,
	}, {
		name:  "raw mesh networks istiod cannot decode",
		spec:  "spec:\n  values: {istiod: {global: {meshNetworks: {net1: {endpoints: \"x\"}}}}}\n",
		field: "spec.values.istiod.global.meshNetworks.net1.endpoints",
		text:  `networks.net1.endpoints in the mesh networks is "x", which istiod cannot decode (json: cannot unmarshal string into Go value of type []json.RawMessage): istiod would ignore all mesh networks`,
	}, {
		name:  "raw values of the wrong type for istiod's Deployment",
		spec:  "spec:\n  values: {istiod: {pilot: {replicaCount: \"many\", autoscaleEnabled: false}}}\n",
		field: "spec.values.istiod.pilot.replicaCount",
		text:  `Deployment "istio-system/istiod": spec.replicas is "many", which the API server cannot decode (json: cannot unmarshal string into Go value of type int32)`,
	}, {
		name:  "a gateway's raw resources that are no quantity",
		spec:  "spec:\n  gateways:\n  - name: edge\n    values: {resources: {requests: {cpu: lots}}}\n",
		field: "spec.gateways[0].values.resources.requests.cpu",
		text:  `Deployment "istio-system/edge": spec.template.spec.containers[0].resources.requests.cpu is "lots", which the API server cannot decode`,
	}, {
		name:  "a gateway's raw values rename the ServiceAccount a policy allows",
		spec:  "spec:\n  gateways:\n  - name: istio-ingressgateway\n    values: {serviceAccount: {name: bar}}\n  namespaces:\n  - name: shop\n    authorization: {allowFromGateways: [istio-ingressgateway]}\n",
		field: "spec.gateways[0].values.serviceAccount.name",
		text:  `AuthorizationPolicy "shop/allow-from-gateways": allows gateway "istio-ingressgateway" as principal "cluster.local/ns/istio-system/sa/istio-ingressgateway", but its pods (Deployment "istio-system/istio-ingressgateway") run as ServiceAccount "bar" in namespace "istio-system": every request from the gateway into namespace "shop" is denied`,
	}, {
		name:  "a gateway's raw values give it the default ServiceAccount",
		spec:  "spec:\n  gateways:\n  - name: edge\n    values: {serviceAccount: {create: false}}\n  namespaces:\n  - name: shop\n    authorization: {allowFromGateways: [edge]}\n",
		field: "spec.gateways[0].values.serviceAccount.create",
		text:  `run as ServiceAccount "default" in namespace "istio-system"`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := renderErr(t, tt.spec)
			var ve *mesh.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Render: %v, want a *mesh.ValidationError", err)
			}
			for _, e := range ve.Errors {
				if e.Field == tt.field && strings.Contains(e.Message, tt.text) {
					return
				}
			}
			t.Errorf("no error at %s containing %q; got:\n%v", tt.field, tt.text, err)
		})
	}
}

// TestGatewayInjectedThroughTags renders gateways whose namespace selects
// their control plane by another name: a revision tag pointing at the
// gateway's revision, or the revision a gateway's tag points at. The pods
// are injected by their own control plane, so nothing may be refused.
func TestGatewayInjectedThroughTags(t *testing.T) {
	planes := "spec:\n  revision: blue\n  revisionTags: [prod]\n  canary: {revision: green, revisionTags: [next]}\n"
	tests := []struct {
		name, spec string
	}{{
		name: "a tag of the gateway's revision",
		spec: planes + "  gateways:\n  - name: edge\n    namespace: edge\n  namespaces:\n  - name: edge\n    injection: prod\n",
	}, {
		name: "the revision of the gateway's tag",
		spec: planes + "  gateways:\n  - name: edge\n    namespace: edge\n    revision: next\n  namespaces:\n  - name: edge\n    injection: green\n",
	}, {
		name: "another tag of the same revision",
		spec: "spec:\n  revision: blue\n  revisionTags: [prod, stable]\n  gateways:\n  - name: edge\n    namespace: edge\n    revision: stable\n  namespaces:\n  - name: edge\n    injection: prod\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := renderErr(t, tt.spec); err != nil {
				t.Errorf("Render: %v", err)
			}
		})
	}
}

// TestLongestNamesRender renders a revision, a revision tag and a canary
// revision of the longest lengths validation allows: every name derived
// from them must pass Kubernetes' rules, so the limits are not too loose.
func TestLongestNamesRender(t *testing.T) {
	long := func(c string, n int) string { return strings.Repeat(c, n) }
	renderSpec(t, "spec:\n  revision: "+long("r", mesh.MaxRevisionLength)+"\n  revisionTags: ["+long("t", mesh.MaxRevisionTagLength)+"]\n"+
		"  canary:\n    revision: "+long("c", mesh.MaxRevisionLength)+"\n    revisionTags: ["+long("u", mesh.MaxRevisionTagLength)+"]\n"+
		"  gateways:\n  - name: "+long("g", 63)+"\n    revision: "+long("t", mesh.MaxRevisionTagLength)+"\n")
}
