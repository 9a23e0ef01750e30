package render

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
)

// parseTestObject parses a hand-written object.
func parseTestObject(t *testing.T, text string) map[string]any {
	t.Helper()
	var obj map[string]any
	if err := yaml.Unmarshal([]byte(text), &obj); err != nil {
		t.Fatalf("parsing %q: %v", text, err)
	}
	return obj
}

// TestObjectRules shows each of Kubernetes' own rules that inspectObject
// applies failing on a broken object, and passing on a good one.
func TestObjectRules(t *testing.T) {
	long := strings.Repeat("a", 64)
	big := strings.Repeat("x", 140<<10)
	tests := []struct {
		name, object string
		want         []string // each a finding's "object: message", in order
	}{{
		name:   "a good Service",
		object: "apiVersion: v1\nkind: Service\nmetadata: {name: gw, namespace: edge, labels: {app: gw}}\nspec:\n  selector: {app: gw}\n  loadBalancerIP: 10.0.0.1\n  ports:\n  - {name: http2, port: 80, targetPort: 80}\n  - {name: https, port: 443, targetPort: https, nodePort: 30443}\n",
	}, {
		name:   "a Service name is a DNS-1035 label",
		object: "apiVersion: v1\nkind: Service\nmetadata: {name: 1gw, namespace: edge}\n",
		want:   []string{`Service "edge/1gw": metadata.name: Invalid value: "1gw": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123')`},
	}, {
		name:   "a ConfigMap name may start with a digit",
		object: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 1cm, namespace: edge}\n",
	}, {
		name:   "a Role name is a path segment",
		object: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: \"a:b\"}\n",
	}, {
		name:   "a namespaced object needs a namespace, a cluster-scoped one has none",
		object: "apiVersion: v1\nkind: Namespace\nmetadata: {name: Shop, namespace: x}\n",
		want: []string{
			`Namespace "Shop": metadata.name: Invalid value: "Shop": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc')`,
			`Namespace "Shop": metadata.namespace: Forbidden: not allowed on this type`,
		},
	}, {
		name:   "labels",
		object: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: edge, labels: {\"a b\": x, ok: " + long + ", flag: true}}\n",
		want: []string{
			`ConfigMap "edge/cm": metadata.labels: the value of label "flag" is a boolean; label values are strings`,
			`ConfigMap "edge/cm": metadata.labels: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc')`,
			`ConfigMap "edge/cm": metadata.labels: Invalid value: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": must be no more than 63 bytes`,
		},
	}, {
		name:   "annotations over 256 KiB",
		object: "apiVersion: v1\nkind: Service\nmetadata: {name: gw, namespace: edge, annotations: {a: " + big + ", b: " + big + "}}\n",
		want:   []string{`Service "edge/gw": metadata.annotations: Too long: may not be more than 262144 bytes`},
	}, {
		name:   "Service IPs and ports",
		object: "apiVersion: v1\nkind: Service\nmetadata: {name: gw, namespace: edge}\nspec:\n  loadBalancerIP: not-an-ip\n  externalIPs: [10.0.0.300]\n  loadBalancerSourceRanges: [10.0.0.0/33]\n  selector: {\"a b\": x}\n  ports:\n  - {name: http, port: 0}\n  - {name: Big, port: 99999, targetPort: 70000, nodePort: 99999}\n  - {port: 81, targetPort: \"not a name\"}\n",
		want: []string{
			`Service "edge/gw": spec.loadBalancerIP: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
			`Service "edge/gw": spec.externalIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
			`Service "edge/gw": spec.loadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
			`Service "edge/gw": spec.selector: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc')`,
			`Service "edge/gw": spec.ports[0].port: Invalid value: "0": must be between 1 and 65535, inclusive`,
			`Service "edge/gw": spec.ports[1].name: Invalid value: "Big": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc')`,
			`Service "edge/gw": spec.ports[1].port: Invalid value: "99999": must be between 1 and 65535, inclusive`,
			`Service "edge/gw": spec.ports[1].targetPort: Invalid value: "70000": must be between 1 and 65535, inclusive`,
			`Service "edge/gw": spec.ports[1].nodePort: Invalid value: "99999": must be between 1 and 65535, inclusive`,
			`Service "edge/gw": spec.ports[2].name: Required value: a Service with more than one port names each`,
			`Service "edge/gw": spec.ports[2].targetPort: Invalid value: "not a name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
		},
	}, {
		name:   "a pod template",
		object: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: gw, namespace: edge}\nspec:\n  template:\n    metadata: {labels: {app: " + long + "}}\n    spec:\n      containers:\n      - name: c\n        ports: [{containerPort: 0, name: this-name-is-too-long}]\n",
		want: []string{
			`Deployment "edge/gw": spec.template.metadata.labels: Invalid value: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": must be no more than 63 bytes`,
			`Deployment "edge/gw": spec.template.spec.containers[0].ports[0].containerPort: Invalid value: "0": must be between 1 and 65535, inclusive`,
			`Deployment "edge/gw": spec.template.spec.containers[0].ports[0].name: Invalid value: "this-name-is-too-long": must be no more than 15 characters`,
		},
	}, {
		name:   "fields of the wrong type, as the API server decodes them",
		object: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: gw, namespace: edge}\nspec:\n  replicas: many\n  template:\n    spec:\n      nodeSelector: [a]\n      containers:\n      - name: c\n        resources: {requests: {cpu: lots, memory: 1Gi}}\n",
		want: []string{
			`Deployment "edge/gw": spec.replicas is "many", which the API server cannot decode (json: cannot unmarshal string into Go value of type int32)`,
			`Deployment "edge/gw": spec.template.spec.containers[0].resources.requests.cpu is "lots", which the API server cannot decode (quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$')`,
			`Deployment "edge/gw": spec.template.spec.nodeSelector is a list, which the API server cannot decode (json: cannot unmarshal array into Go value of type map[string]string)`,
		},
	}, {
		name:   "a long string where a number belongs",
		object: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: edge, generation: " + long + "}\ndata: {big: " + big + "}\n",
		want:   []string{`ConfigMap "edge/cm": metadata.generation is "` + long + `", which the API server cannot decode (json: cannot unmarshal string into Go value of type int64)`},
	}, {
		name:   "a custom resource is not decoded",
		object: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: edge}\nspec: {servers: many}\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range inspectObject("gateway/gw", parseTestObject(t, tt.object), nil) {
				got = append(got, f.object+": "+f.message)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// resource is a hand-written rendered object.
func resource(t *testing.T, component, text string) Resource {
	t.Helper()
	r, err := newResource(component, parseTestObject(t, text))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// spec loads a spec for tracing findings to its fields.
func spec(t *testing.T, text string) *mesh.Spec {
	t.Helper()
	m, _, err := mesh.Load([]byte("apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata: {name: t}\n" + text))
	if err != nil {
		t.Fatal(err)
	}
	return &m.Spec
}

// check runs the checks across objects, and the object rules on each, on
// a hand-made resource list.
func check(t *testing.T, s *mesh.Spec, rs []Resource) error {
	t.Helper()
	var found []finding
	var objs []parsedObject
	for _, r := range rs {
		tree := r.Object()
		found = append(found, inspectObject(r.Component, tree, newLabelRules())...)
		if o, ok := kept(r.Component, tree); ok {
			objs = append(objs, o)
		}
	}
	return checkRendered(s, releases(s, embeddedFor(s)), objs, found)
}

// embeddedFor gives every control plane of s the embedded charts.
func embeddedFor(s *mesh.Spec) []*charts.Source {
	srcs := make([]*charts.Source, len(s.Istiods()))
	for i := range srcs {
		srcs[i] = charts.Embedded()
	}
	return srcs
}

// fieldErrors lists "field: message" of a validation error.
func fieldErrors(t *testing.T, err error) []string {
	t.Helper()
	var ve *mesh.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v, want a *mesh.ValidationError", err)
	}
	var out []string
	for _, e := range ve.Errors {
		out = append(out, e.Error())
	}
	return out
}

const (
	defaultInjector = "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: istio-sidecar-injector\n  labels: {istio.io/rev: default}\nwebhooks:\n" +
		"- name: rev.namespace.sidecar-injector.istio.io\n  namespaceSelector: {matchExpressions: [{key: istio.io/rev, operator: In, values: [default]}, {key: istio-injection, operator: DoesNotExist}]}\n  objectSelector: {matchExpressions: [{key: sidecar.istio.io/inject, operator: NotIn, values: [\"false\"]}]}\n" +
		"- name: rev.object.sidecar-injector.istio.io\n  namespaceSelector: {matchExpressions: [{key: istio.io/rev, operator: DoesNotExist}, {key: istio-injection, operator: DoesNotExist}]}\n  objectSelector: {matchExpressions: [{key: sidecar.istio.io/inject, operator: NotIn, values: [\"false\"]}, {key: istio.io/rev, operator: In, values: [default]}]}\n" +
		"- name: namespace.sidecar-injector.istio.io\n  namespaceSelector: {matchExpressions: [{key: istio-injection, operator: In, values: [enabled]}]}\n  objectSelector: {matchExpressions: [{key: sidecar.istio.io/inject, operator: NotIn, values: [\"false\"]}]}\n" +
		"- name: object.sidecar-injector.istio.io\n  namespaceSelector: {matchExpressions: [{key: istio-injection, operator: DoesNotExist}, {key: istio.io/rev, operator: DoesNotExist}]}\n  objectSelector: {matchExpressions: [{key: sidecar.istio.io/inject, operator: In, values: [\"true\"]}, {key: istio.io/rev, operator: DoesNotExist}]}\n"
	gatewayPods = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: istio-ingressgateway, namespace: %NS%}\nspec:\n  template:\n    metadata:\n      labels: {app: istio-ingressgateway, istio: %ISTIO%, sidecar.istio.io/inject: \"%INJECT%\"}\n"
	testGateway = "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: istio-ingressgateway, namespace: istio-system}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 443, name: https-443, protocol: HTTPS}\n    hosts: [\"*\"]\n"
)

// pods is the gateway Deployment in a namespace, with its istio and
// sidecar.istio.io/inject labels.
func pods(ns, istio, inject string) string {
	return strings.NewReplacer("%NS%", ns, "%ISTIO%", istio, "%INJECT%", inject).Replace(gatewayPods)
}

// TestChecksAcrossObjects shows each check across objects failing on a
// deliberately broken resource list, with the spec field it traces the
// problem to, and passing on the list that works.
func TestChecksAcrossObjects(t *testing.T) {
	const gw = "gateway/istio-ingressgateway"
	defaultSpec := "spec: {profile: default}\n"
	ns := func(name, labels string) string {
		return "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + ", labels: {" + labels + "}}\n"
	}
	tests := []struct {
		name, spec string
		objects    [][2]string // component, object
		want       []string
	}{{
		name: "a mesh that works",
		spec: defaultSpec,
		objects: [][2]string{
			{"istiod", defaultInjector}, {gw, pods("istio-system", "ingressgateway", "true")}, {gw, testGateway},
		},
	}, {
		name: "a Gateway that selects no pods",
		spec: "spec:\n  values:\n    gateway:\n      labels: {istio: other}\n",
		objects: [][2]string{
			{"istiod", defaultInjector}, {gw, pods("istio-system", "other", "true")}, {gw, testGateway},
		},
		want: []string{`spec.values.gateway.labels.istio: Gateway "istio-system/istio-ingressgateway": selects istio=ingressgateway, but no rendered gateway pods carry these labels (the pods of Deployment "istio-system/istio-ingressgateway" have istio="other"): the Gateway configures no gateway`},
	}, {
		name: "gateway pods in a namespace the injector skips",
		spec: defaultSpec,
		objects: [][2]string{
			{"istiod", defaultInjector}, {gw, pods("kube-system", "ingressgateway", "true")},
		},
		want: []string{`gateway/istio-ingressgateway: Deployment "kube-system/istio-ingressgateway": namespace "kube-system" is one Istio's sidecar injector never injects: the pods keep the image "auto" and never start`},
	}, {
		name: "gateway pods that refuse injection",
		spec: "spec:\n  values:\n    gateway:\n      labels: {sidecar.istio.io/inject: \"false\"}\n",
		objects: [][2]string{
			{"istiod", defaultInjector}, {gw, pods("istio-system", "ingressgateway", "false")},
		},
		want: []string{`spec.values.gateway.labels["sidecar.istio.io/inject"]: Deployment "istio-system/istio-ingressgateway": the pods are labelled sidecar.istio.io/inject="false", so Istio's injector never gives them their proxy: they keep the image "auto" and never start`},
	}, {
		name: "gateway pods in a namespace with injection disabled",
		spec: "spec:\n  values:\n    gateway:\n      x: 1\n",
		objects: [][2]string{
			{"istiod", defaultInjector}, {gw, pods("istio-system", "ingressgateway", "true")},
			{"namespaces", ns("istio-system", "istio-injection: disabled")},
		},
		want: []string{`gateway/istio-ingressgateway: Deployment "istio-system/istio-ingressgateway": no sidecar injector webhook of revision "default" selects these pods in namespace "istio-system" (labels istio-injection=disabled): they keep the image "auto" and never start`},
	}, {
		name: "client mTLS toward a namespace without proxies",
		spec: "spec:\n  namespaces:\n  - {name: shop, injection: enabled, clientMTLS: true}\n",
		objects: [][2]string{
			{"istiod", defaultInjector}, {"namespaces", ns("shop", "app: shop")},
			{"mesh-policy", "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: default-mtls, namespace: shop}\nspec:\n  host: \"*.shop.svc.cluster.local\"\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n"},
		},
		want: []string{`spec.namespaces[0].clientMTLS: DestinationRule "shop/default-mtls": every client in the mesh calls namespace "shop" with Istio mTLS, but no injector webhook gives its pods a proxy (labels app=shop): every call from the mesh into it fails`},
	}, {
		// Whether another control plane injects it is unknown here; the
		// spec's validation warns about it.
		name: "client mTLS toward a namespace another control plane injects",
		spec: "spec:\n  namespaces:\n  - {name: shop, injection: elsewhere, clientMTLS: true}\n",
		objects: [][2]string{
			{"istiod", defaultInjector}, {"namespaces", ns("shop", "istio.io/rev: elsewhere")},
			{"mesh-policy", "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: default-mtls, namespace: shop}\nspec:\n  host: \"*.shop.svc.cluster.local\"\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n"},
		},
	}, {
		name: "a Service port name that lies about the protocol",
		spec: "spec:\n  gateways:\n  - name: istio-ingressgateway\n    servers:\n    - {hosts: [\"*\"], tls: {mode: SIMPLE, credentialName: c}}\n",
		objects: [][2]string{
			{gw, testGateway}, {gw, pods("istio-system", "ingressgateway", "true")},
			{gw, "apiVersion: v1\nkind: Service\nmetadata: {name: istio-ingressgateway, namespace: istio-system}\nspec:\n  ports:\n  - {name: grpc, port: 443, targetPort: 443}\n"},
		},
		want: []string{`gateway/istio-ingressgateway: Service "istio-system/istio-ingressgateway": port "grpc" (443) tells clients in the mesh it speaks GRPC, but the gateway's server on port 443 speaks HTTPS`},
	}, {
		name: "a mesh config without Prometheus metrics",
		spec: "spec:\n  values:\n    istiod:\n      meshConfig:\n        defaultProviders: {tracing: [otel]}\n        extensionProviders:\n        - {name: otel, opentelemetry: {service: otel.obs, port: 0}}\n",
		objects: [][2]string{
			{"istiod", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n    defaultProviders:\n      tracing: [otel]\n    extensionProviders:\n    - name: otel\n      opentelemetry: {service: otel.obs, port: 0}\n"},
		},
		want: []string{
			`spec.values.istiod.meshConfig.defaultProviders: ConfigMap "istio-system/istio": the mesh config's defaultProviders list no prometheus metrics provider (metrics: []), so Istio produces none of its standard metrics anywhere in the mesh; list prometheus in istiod's meshConfig.defaultProviders.metrics (spec.values.istiod)`,
			`spec.values.istiod.meshConfig.extensionProviders[0].opentelemetry.port: ConfigMap "istio-system/istio": extension provider "otel": port 0 is not a port number (1-65535)`,
		},
	}, {
		name: "a name derived from the revision, traced to the spec",
		spec: "spec:\n  revision: " + strings.Repeat("r", 56) + "\n",
		objects: [][2]string{
			{"istiod", "apiVersion: v1\nkind: Service\nmetadata: {name: istiod-" + strings.Repeat("r", 56) + "-x, namespace: istio-system}\n"},
			{"istiod", "apiVersion: v1\nkind: Service\nmetadata: {name: istiod-" + strings.Repeat("r", 56) + "-x, namespace: istio-other}\n"},
		},
		want: []string{`spec.revision: Service "istio-system/istiod-` + strings.Repeat("r", 41) + `..." and 1 more object: metadata.name: Invalid value: "istiod-` + strings.Repeat("r", 54) + `...": must be no more than 63 characters`},
	}, {
		name: "a problem no spec field explains names the component",
		spec: defaultSpec,
		objects: [][2]string{
			{"istiod", "apiVersion: v1\nkind: Service\nmetadata: {name: Istiod, namespace: istio-system}\n"},
		},
		want: []string{`istiod: Service "istio-system/Istiod": metadata.name: Invalid value: "Istiod": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123')`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rs []Resource
			for _, o := range tt.objects {
				rs = append(rs, resource(t, o[0], o[1]))
			}
			err := check(t, spec(t, tt.spec), rs)
			var got []string
			if err != nil {
				got = fieldErrors(t, err)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestBundledCRDsPassObjectRules inspects every precomputed CRD whole:
// a render inspects only their names and computed labels, as the rest of
// each is constant.
func TestBundledCRDsPassObjectRules(t *testing.T) {
	b, err := bundle()
	if err != nil {
		t.Fatal(err)
	}
	labels := "\n    app.kubernetes.io/part-of: istio\n"
	for _, crd := range b.CRDs {
		text := strings.Replace(crd.YAML, "    "+labelPlaceholder+": "+labelPlaceholder+"\n", labels[1:], 1)
		if found := inspectObject(ComponentBase, parseTestObject(t, text), nil); len(found) > 0 {
			t.Errorf("CRD %s: %+v", crd.Name, found)
		}
	}
}

// TestLabelRulesAreKubernetes holds labelRules, which remembers verdicts,
// to the functions it stands for: apimachinery's ValidateLabels and
// ValidateAnnotations, on keys and values valid and not, asked twice.
func TestLabelRulesAreKubernetes(t *testing.T) {
	samples := []string{
		"", "a", "app", "A.b-c_d", "-a", "a-", "a b", "example.com/app", "Example.COM/App", "x/y/z", "/a", "a/",
		"sidecar.istio.io/inject", strings.Repeat("a", 63), strings.Repeat("a", 64), strings.Repeat("b", 254) + "/a",
		"naïve", "a\nb", "true", "0", "1.2.3",
	}
	rules := newLabelRules()
	sorted := func(errs field.ErrorList) []string {
		var out []string
		for _, e := range errs {
			out = append(out, e.Error())
		}
		slices.Sort(out)
		return out
	}
	for round := 0; round < 2; round++ {
		for i, k := range samples {
			m := map[string]string{k: samples[(i*7+3)%len(samples)], "ok": samples[i]}
			at := field.NewPath("metadata", "labels")
			if diff := cmp.Diff(sorted(metav1validation.ValidateLabels(m, at)), sorted(rules.labels(m, at))); diff != "" {
				t.Errorf("labels %q (-kubernetes +rules):\n%s", m, diff)
			}
			at = field.NewPath("metadata", "annotations")
			if diff := cmp.Diff(sorted(apivalidation.ValidateAnnotations(m, at)), sorted(rules.annotations(m, at))); diff != "" {
				t.Errorf("annotations %q (-kubernetes +rules):\n%s", m, diff)
			}
		}
	}
	big := map[string]string{"a": strings.Repeat("x", 200<<10), "b": strings.Repeat("x", 100<<10)}
	at := field.NewPath("metadata", "annotations")
	if diff := cmp.Diff(sorted(apivalidation.ValidateAnnotations(big, at)), sorted(rules.annotations(big, at))); diff != "" {
		t.Errorf("annotations over the size limit (-kubernetes +rules):\n%s", diff)
	}
}
