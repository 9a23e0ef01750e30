package schema

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	sjs "github.com/santhosh-tekuri/jsonschema/v6"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/profiles"
)

// compile compiles JSON() with an independent JSON Schema implementation.
func compile(t *testing.T) *sjs.Schema {
	t.Helper()
	data, err := JSON()
	if err != nil {
		t.Fatal(err)
	}
	again, err := JSON()
	if err != nil || !bytes.Equal(data, again) {
		t.Fatalf("JSON() is not deterministic (err %v)", err)
	}
	doc, err := sjs.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := sjs.NewCompiler()
	if err := c.AddResource("istiomesh.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("istiomesh.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validate checks a YAML document against the schema.
func validate(t *testing.T, s *sjs.Schema, doc string) error {
	t.Helper()
	js, err := yaml.YAMLToJSON([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	v, err := sjs.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(v)
}

const head = "apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata: {name: m}\n"

func TestSchema(t *testing.T) {
	s := compile(t)
	for _, name := range profiles.Names() {
		p, err := profiles.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(t, s, string(p.Document)); err != nil {
			t.Errorf("profile %s does not match the schema: %v", name, err)
		}
	}
	tests := []struct {
		reason string
		doc    string
		ok     bool
	}{
		{"a minimal spec", head + "spec: {}", true},
		{"quantities as strings and numbers", head + "spec: {proxy: {resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 2}}}}", true},
		{"a count or a percentage", head + "spec: {controlPlane: {podDisruptionBudget: {minAvailable: 1, maxUnavailable: \"50%\"}}}", true},
		{"null removes a profile setting", head + "spec: {mesh: {mtls: null, tracing: null}, gateways: [{name: g, autoscale: null}]}", true},
		{"free-form Helm values", head + "spec: {values: {istiod: {pilot: {env: {A: \"1\"}}}}}", true},
		{"a wrong apiVersion", "apiVersion: v1\nkind: IstioMesh\nmetadata: {name: m}\nspec: {}", false},
		{"no metadata.name", "apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata: {}\nspec: {}", false},
		{"an unknown field", head + "spec: {profiles: default}", false},
		{"an unknown profile", head + "spec: {profile: tiny}", false},
		{"a version written as a number", head + "spec: {version: 1.31}", false},
		{"a quantity that is not one", head + "spec: {proxy: {resources: {requests: {cpu: lots}}}}", false},
		{"a percentage without %", head + "spec: {controlPlane: {podDisruptionBudget: {minAvailable: half}}}", false},
		{"a gateway without a name", head + "spec: {gateways: [{kind: ingress}]}", false},
		{"a server without hosts", head + "spec: {gateways: [{name: g, servers: [{port: 80}]}]}", false},
	}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			err := validate(t, s, tc.doc)
			if (err == nil) != tc.ok {
				t.Errorf("validate() = %v, want ok=%t", err, tc.ok)
			}
		})
	}
}

// base is a spec that gives every enumerated field a place to live.
const base = head + `spec:
  controlPlane:
    topologySpread: [{topologyKey: topology.kubernetes.io/zone}]
    tolerations: [{key: infra}]
  mesh:
    tracing: {address: collector.obs:9411}
    egress: [{host: api.example.com, ports: [{port: 443}]}]
    ca: {}
    meshID: mesh1
    clusterName: cluster1
    network: network1
  multicluster:
    eastWestGateway: {}
  gateways:
  - name: gw
    servers:
    - hosts: [example.com]
      tls: {mode: SIMPLE, credentialName: cert}
      certificate: {issuerRef: {name: issuer}}
  gatewayAPI:
    crds: render
    classes:
      istio: {service: {}}
    gateways:
    - name: api
      listeners:
      - hostname: api.example.com
        tls: {certificateRefs: [{name: api-tls}]}
        allowedRoutes: {}
  namespaces:
  - name: shop
    waypoint: {}
`

// fieldPaths places each enumerated definition in the base spec.
var fieldPaths = map[string]string{
	"Spec":            "spec",
	"ControlPlane":    "spec.controlPlane",
	"Gateway":         "spec.gateways[0]",
	"TopologySpread":  "spec.controlPlane.topologySpread[0]",
	"Proxy":           "spec.proxy",
	"MeshConfig":      "spec.mesh",
	"Tracing":         "spec.mesh.tracing",
	"GatewayService":  "spec.gateways[0].service",
	"ServerTLS":       "spec.gateways[0].servers[0].tls",
	"Namespace":       "spec.namespaces[0]",
	"IssuerRef":       "spec.gateways[0].servers[0].certificate.issuerRef",
	"GitOps":          "spec.gitops",
	"FluxSourceRef":   "spec.gitops.flux.sourceRef",
	"GatewayAPI":      "spec.gatewayAPI",
	"ClassService":    "spec.gatewayAPI.classes[istio].service",
	"APIGateway":      "spec.gatewayAPI.gateways[0]",
	"Listener":        "spec.gatewayAPI.gateways[0].listeners[0]",
	"ListenerTLS":     "spec.gatewayAPI.gateways[0].listeners[0].tls",
	"AllowedRoutes":   "spec.gatewayAPI.gateways[0].listeners[0].allowedRoutes",
	"Waypoint":        "spec.namespaces[0].waypoint",
	"Toleration":      "spec.controlPlane.tolerations[0]",
	"EgressHost":      "spec.mesh.egress[0]",
	"EgressPort":      "spec.mesh.egress[0].ports[0]",
	"CA":              "spec.mesh.ca",
	"Multicluster":    "spec.multicluster",
	"EastWestGateway": "spec.multicluster.eastWestGateway",
}

// TestEnumsMatchValidation loads a spec with each listed value, which must
// draw no error at that field, and with an unlisted one, which must.
func TestEnumsMatchValidation(t *testing.T) {
	for _, e := range enums() {
		at, ok := fieldPaths[e.def]
		if !ok {
			t.Fatalf("no field path for %s", e.def)
		}
		field := at + "." + e.field
		for _, v := range append(append([]string(nil), e.values...), "not-a-value") {
			t.Run(field+"="+v, func(t *testing.T) {
				doc := withValue(t, base, field, v)
				_, _, err := mesh.Load(doc)
				got := fieldErrors(t, err)[field]
				if want := v != "not-a-value"; got == want {
					t.Errorf("mesh.Load() with %s=%q: error at the field = %t, want %t (%v)", field, v, got, !want, err)
				}
			})
		}
	}
}

// withValue sets one field, given by its path, in a YAML document.
func withValue(t *testing.T, doc, path string, v string) []byte {
	t.Helper()
	var tree any
	if err := yaml.Unmarshal([]byte(doc), &tree); err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(strings.NewReplacer("[", ".", "]", "").Replace(path), ".")
	node := tree
	for i, p := range parts {
		last := i == len(parts)-1
		switch n := node.(type) {
		case map[string]any:
			if last {
				n[p] = v
				break
			}
			if n[p] == nil {
				n[p] = map[string]any{}
			}
			node = n[p]
		case []any:
			idx, err := strconv.Atoi(p)
			if err != nil || last {
				t.Fatalf("bad path %s", path)
			}
			node = n[idx]
		}
	}
	out, err := yaml.Marshal(tree)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fieldErrors lists the fields a Load error names.
func fieldErrors(t *testing.T, err error) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	if err == nil {
		return out
	}
	ve, ok := err.(*mesh.ValidationError)
	if !ok {
		t.Fatalf("mesh.Load() = %v, want a *mesh.ValidationError", err)
	}
	for _, fe := range ve.Errors {
		out[fe.Field] = true
	}
	return out
}
