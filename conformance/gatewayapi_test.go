package conformance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/istio-render/istio-render/mesh"
)

// gatewayAPIModule holds the Gateway API CRDs, in config/crd/<channel>.
const gatewayAPIModule = "sigs.k8s.io/gateway-api"

// gatewayAPIKinds are the Gateway API kinds render writes; each must be
// checked at least once across the golden cases.
var gatewayAPIKinds = []string{"Gateway", "HTTPRoute", "ReferenceGrant"}

// gatewayAPIModuleDir finds (or downloads into the module cache) the
// Gateway API module of a version, independently of what render embeds.
func gatewayAPIModuleDir(t *testing.T, version string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to find %s: %v", gatewayAPIModule, err)
	}
	cmd := exec.CommandContext(t.Context(), goTool, "mod", "download", "-json", gatewayAPIModule+"@"+version)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go mod download %s@%s: %v\n%s", gatewayAPIModule, version, err, stderr.Bytes())
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		t.Fatalf("go mod download %s@%s: no folder (%v)", gatewayAPIModule, version, err)
	}
	return m.Dir
}

// gatewayAPICRDs parses the CRDs of a Gateway API release's channel as its
// module holds them.
func gatewayAPICRDs(t *testing.T, version, channel string) []map[string]any {
	t.Helper()
	dir := filepath.Join(gatewayAPIModuleDir(t, version), "config", "crd", channel)
	files, err := filepath.Glob(filepath.Join(dir, "gateway*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs in %s: %v", dir, err)
	}
	var out []map[string]any
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		objs, err := parseStream(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, o := range objs {
			if gvkOf(o).Kind == "CustomResourceDefinition" {
				out = append(out, o)
			}
		}
	}
	return out
}

// gatewayAPIValidator compiles the standard channel's CRDs of the release
// the embedded Istio requires.
func gatewayAPIValidator(t *testing.T) *crdValidator {
	t.Helper()
	v, err := newCRDValidator(gatewayAPICRDs(t, mesh.DefaultGatewayAPIVersion, mesh.GatewayAPIStandard))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// isGatewayAPIGroup reports an object of a Gateway API group.
func isGatewayAPIGroup(obj map[string]any) bool {
	g := gvkOf(obj).Group
	return g == "gateway.networking.k8s.io" || g == "gateway.networking.x-k8s.io"
}

// TestGoldenGatewayAPIObjectsMatchCRDSchemas validates every Gateway API
// object of every golden case the way kube-apiserver validates a custom
// resource (CEL rules included) against the Gateway API module's own
// CRDs, and requires the CRDs a case renders to be the module's.
func TestGoldenGatewayAPIObjectsMatchCRDSchemas(t *testing.T) {
	v := gatewayAPIValidator(t)
	crdSpecs := map[string]map[string]any{}
	for _, channel := range []string{mesh.GatewayAPIStandard, mesh.GatewayAPIExperimental} {
		crdSpecs[channel] = map[string]any{}
		for _, crd := range gatewayAPICRDs(t, mesh.DefaultGatewayAPIVersion, channel) {
			crdSpecs[channel][objectID(crd)] = crd["spec"]
		}
	}
	checked := map[string]int{}
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			g := c.spec(t).Spec.GatewayAPI
			n, crds := 0, 0
			for _, obj := range c.expected(t) {
				if gvkOf(obj).Kind == "CustomResourceDefinition" {
					group, _ := spec(obj)["group"].(string)
					if group != "gateway.networking.k8s.io" && group != "gateway.networking.x-k8s.io" {
						continue
					}
					crds++
					want, ok := crdSpecs[g.Channel][objectID(obj)]
					if !ok {
						t.Errorf("%s is not a CRD of the %s channel of %s@%s", objectID(obj), g.Channel, gatewayAPIModule, mesh.DefaultGatewayAPIVersion)
						continue
					}
					if diff := cmp.Diff(want, obj["spec"]); diff != "" {
						t.Errorf("%s: spec differs from %s@%s (-module +rendered):\n%s", objectID(obj), gatewayAPIModule, mesh.DefaultGatewayAPIVersion, diff)
					}
					continue
				}
				if !isGatewayAPIGroup(obj) {
					continue
				}
				for _, e := range v.validate(context.Background(), obj) {
					t.Errorf("%s: %v", objectID(obj), e)
				}
				checked[gvkOf(obj).Kind]++
				n++
			}
			if g.CRDs == mesh.GatewayAPICRDsRender && crds != len(crdSpecs[g.Channel]) {
				t.Errorf("renders %d Gateway API CRDs, the %s channel has %d", crds, g.Channel, len(crdSpecs[g.Channel]))
			}
			if g.CRDs != mesh.GatewayAPICRDsRender && crds != 0 {
				t.Errorf("renders %d Gateway API CRDs with crds %q", crds, g.CRDs)
			}
			t.Logf("%d Gateway API objects checked, %d Gateway API CRDs compared", n, crds)
		})
	}
	for _, k := range gatewayAPIKinds {
		if checked[k] == 0 {
			t.Errorf("no golden case renders a Gateway API %s, so its schema is never checked", k)
		}
	}
}

// TestGatewayAPISchemaCheckRejectsBrokenObjects takes one golden object of
// each Gateway API kind render writes, shows it passes, then breaks it and
// requires the errors the API server would give, CEL rules included.
func TestGatewayAPISchemaCheckRejectsBrokenObjects(t *testing.T) {
	v := gatewayAPIValidator(t)
	listener := func(o map[string]any, i int) map[string]any {
		return spec(o)["listeners"].([]any)[i].(map[string]any)
	}
	tests := []struct {
		name, kind, sample string
		edit               func(obj map[string]any)
		wants              []string // substrings of the errors; none means valid
	}{{
		name: "ingress gateway as rendered", kind: "Gateway", sample: "public",
		edit: func(map[string]any) {},
	}, {
		name: "waypoint as rendered", kind: "Gateway", sample: "waypoint",
		edit: func(map[string]any) {},
	}, {
		name: "CEL rule: TLS on an HTTP listener", kind: "Gateway", sample: "public",
		edit: func(o map[string]any) {
			listener(o, 0)["tls"] = map[string]any{"mode": "Terminate", "certificateRefs": []any{map[string]any{"name": "x"}}}
		},
		wants: []string{"tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"},
	}, {
		name: "CEL rule: two listeners of one name", kind: "Gateway", sample: "public",
		edit:  func(o map[string]any) { listener(o, 1)["name"] = listener(o, 0)["name"] },
		wants: []string{"Listener name must be unique within the Gateway"},
	}, {
		name: "CEL rule: Terminate without certificates", kind: "Gateway", sample: "public",
		edit:  func(o map[string]any) { delete(listener(o, 1)["tls"].(map[string]any), "certificateRefs") },
		wants: []string{"certificateRefs or options must be specified when mode is Terminate"},
	}, {
		name: "unknown field in a listener", kind: "Gateway", sample: "public",
		edit:  func(o map[string]any) { listener(o, 0)["redirect"] = true },
		wants: []string{`unknown field "spec.listeners[0].redirect"`},
	}, {
		name: "redirect route as rendered", kind: "HTTPRoute", sample: "public-https-redirect",
		edit: func(map[string]any) {},
	}, {
		name: "redirect with a status code no client follows", kind: "HTTPRoute", sample: "public-https-redirect",
		edit: func(o map[string]any) {
			rule := spec(o)["rules"].([]any)[0].(map[string]any)
			rule["filters"].([]any)[0].(map[string]any)["requestRedirect"].(map[string]any)["statusCode"] = int64(200)
		},
		wants: []string{"statusCode", "200"},
	}, {
		name: "reference grant as rendered", kind: "ReferenceGrant", sample: "gateways-from-istio-ingress",
		edit: func(map[string]any) {},
	}, {
		name: "reference grant to nothing", kind: "ReferenceGrant", sample: "gateways-from-istio-ingress",
		edit:  func(o map[string]any) { spec(o)["to"] = []any{} },
		wants: []string{"spec.to"},
	}}
	samples := map[string]map[string]any{}
	for _, tt := range tests {
		if samples[tt.kind+"/"+tt.sample] == nil {
			samples[tt.kind+"/"+tt.sample] = goldenSampleOf(t, "gateway.networking.k8s.io", tt.kind, tt.sample)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := runtime.DeepCopyJSON(samples[tt.kind+"/"+tt.sample])
			tt.edit(obj)
			var got []string
			for _, e := range v.validate(context.Background(), obj) {
				got = append(got, e.Error())
			}
			all := strings.Join(got, "\n")
			if len(tt.wants) == 0 && len(got) > 0 {
				t.Fatalf("rejected:\n%s", all)
			}
			if len(tt.wants) > 0 && len(got) == 0 {
				t.Fatalf("accepted, want errors containing %q", tt.wants)
			}
			for _, w := range tt.wants {
				if !strings.Contains(all, w) {
					t.Errorf("errors do not mention %q:\n%s", w, all)
				}
			}
		})
	}
}
