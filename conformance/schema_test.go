package conformance_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/istio-render/istio-render/charts"
)

// istioCRDFile is where the base chart keeps Istio's CRDs.
const istioCRDFile = "files/crd-all.gen.yaml"

// renderedKinds are the Istio kinds render writes itself; each must be
// checked at least once across the golden cases.
var renderedKinds = []string{
	"Gateway", "PeerAuthentication", "DestinationRule", "AuthorizationPolicy",
	"ServiceEntry", "Sidecar", "VirtualService",
}

// sampleNames names the golden object of a kind that
// TestSchemaCheckRejectsBrokenObjects breaks, where the first of the kind
// lacks the field a case breaks: the first DestinationRule in name order
// is an egress gateway's, which has no trafficPolicy.
var sampleNames = map[string]string{"DestinationRule": "default-mtls"}

// istioCRDs parses the CRDs shipped in the embedded base chart.
func istioCRDs(t *testing.T) []map[string]any {
	t.Helper()
	base, err := charts.Embedded().Chart(charts.Base)
	if err != nil {
		t.Fatal(err)
	}
	if data, ok := base.File(istioCRDFile); ok {
		crds, err := parseStream(data)
		if err != nil {
			t.Fatalf("%s: %v", istioCRDFile, err)
		}
		if len(crds) == 0 {
			t.Fatalf("%s holds no CRD", istioCRDFile)
		}
		return crds
	}
	t.Fatalf("base chart has no %s", istioCRDFile)
	return nil
}

// istioValidator compiles the embedded Istio CRDs.
func istioValidator(t *testing.T) *crdValidator {
	t.Helper()
	v, err := newCRDValidator(istioCRDs(t))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestGoldenCustomResourcesMatchCRDSchemas validates every object of an
// Istio API group in every golden case against the Istio CRDs.
func TestGoldenCustomResourcesMatchCRDSchemas(t *testing.T) {
	v := istioValidator(t)
	crdSpecs := map[string]any{}
	for _, crd := range istioCRDs(t) {
		crdSpecs[objectID(crd)] = crd["spec"]
	}
	checked := map[string]int{}
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			n := 0
			for _, obj := range c.expected(t) {
				// The case's CRDs must be the ones the validator uses.
				if isIstioCRD(obj) {
					if diff := cmp.Diff(crdSpecs[objectID(obj)], obj["spec"]); diff != "" {
						t.Errorf("%s: spec differs from the base chart's %s (-chart +rendered):\n%s", objectID(obj), istioCRDFile, diff)
					}
					continue
				}
				if !isIstioGroup(obj) {
					continue
				}
				for _, e := range v.validate(context.Background(), obj) {
					t.Errorf("%s: %v", objectID(obj), e)
				}
				checked[gvkOf(obj).Kind]++
				n++
			}
			t.Logf("%d Istio custom resources checked", n)
		})
	}
	for _, k := range renderedKinds {
		if checked[k] == 0 {
			t.Errorf("no golden case renders a %s, so its schema is never checked", k)
		}
	}
}

// TestSchemaCheckRejectsBrokenObjects takes one golden object of each kind
// render writes, shows it passes, then breaks it and requires the errors
// the API server would give.
func TestSchemaCheckRejectsBrokenObjects(t *testing.T) {
	v := istioValidator(t)
	samples := goldenSamples(t)
	tests := []struct {
		name  string
		kind  string
		edit  func(obj map[string]any)
		wants []string // substrings of the errors; none means valid
	}{{
		name: "peer authentication as rendered", kind: "PeerAuthentication",
		edit: func(map[string]any) {},
	}, {
		name: "unknown mTLS mode", kind: "PeerAuthentication",
		edit:  func(o map[string]any) { spec(o)["mtls"] = map[string]any{"mode": "SOMETIMES"} },
		wants: []string{"spec.mtls.mode", `"SOMETIMES"`},
	}, {
		name: "unknown field", kind: "PeerAuthentication",
		edit:  func(o map[string]any) { spec(o)["mtls"].(map[string]any)["strict"] = true },
		wants: []string{`unknown field "spec.mtls.strict"`},
	}, {
		name: "no namespace", kind: "PeerAuthentication",
		edit:  func(o map[string]any) { delete(o["metadata"].(map[string]any), "namespace") },
		wants: []string{"metadata.namespace"},
	}, {
		name: "version no CRD serves", kind: "PeerAuthentication",
		edit:  func(o map[string]any) { o["apiVersion"] = "security.istio.io/v2" },
		wants: []string{"security.istio.io/v2 PeerAuthentication"},
	}, {
		name: "destination rule as rendered", kind: "DestinationRule",
		edit: func(map[string]any) {},
	}, {
		name: "unknown TLS field", kind: "DestinationRule",
		edit: func(o map[string]any) {
			spec(o)["trafficPolicy"].(map[string]any)["tls"].(map[string]any)["verify"] = "always"
		},
		wants: []string{`unknown field "spec.trafficPolicy.tls.verify"`},
	}, {
		name: "authorization policy as rendered", kind: "AuthorizationPolicy",
		edit: func(map[string]any) {},
	}, {
		name: "rules of the wrong type", kind: "AuthorizationPolicy",
		edit:  func(o map[string]any) { spec(o)["rules"] = "allow everything" },
		wants: []string{"spec.rules", "array"},
	}, {
		name: "gateway as rendered", kind: "Gateway",
		edit: func(map[string]any) {},
	}, {
		name: "CEL rule: two kinds of credentials", kind: "Gateway",
		edit: func(o map[string]any) {
			server := spec(o)["servers"].([]any)[0].(map[string]any)
			server["tls"] = map[string]any{"mode": "SIMPLE", "credentialName": "a", "credentialNames": []any{"b"}}
		},
		wants: []string{"only one of credentialName or credentialNames"},
	}, {
		name: "service entry as rendered", kind: "ServiceEntry",
		edit: func(map[string]any) {},
	}, {
		name: "CEL rule: a port number twice", kind: "ServiceEntry",
		edit: func(o map[string]any) {
			spec(o)["ports"] = []any{
				map[string]any{"number": int64(443), "name": "tls-443", "protocol": "TLS"},
				map[string]any{"number": int64(443), "name": "https-443", "protocol": "HTTPS"},
			}
		},
		wants: []string{"port number cannot be duplicated"},
	}, {
		name: "CEL rule: every host", kind: "ServiceEntry",
		edit:  func(o map[string]any) { spec(o)["hosts"] = []any{"*"} },
		wants: []string{"hostname cannot be wildcard"},
	}, {
		name: "unknown resolution", kind: "ServiceEntry",
		edit:  func(o map[string]any) { spec(o)["resolution"] = "DNS_ONCE" },
		wants: []string{"spec.resolution", `"DNS_ONCE"`},
	}, {
		name: "sidecar as rendered", kind: "Sidecar",
		edit: func(map[string]any) {},
	}, {
		name: "unknown sidecar egress field", kind: "Sidecar",
		edit:  func(o map[string]any) { spec(o)["egress"].([]any)[0].(map[string]any)["host"] = "shop/*" },
		wants: []string{`unknown field "spec.egress[0].host"`},
	}, {
		name: "virtual service as rendered", kind: "VirtualService",
		edit: func(map[string]any) {},
	}, {
		name: "routes of the wrong type", kind: "VirtualService",
		edit:  func(o map[string]any) { spec(o)["tls"] = "to the gateway" },
		wants: []string{"spec.tls", "array"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := runtime.DeepCopyJSON(samples[tt.kind])
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

// goldenSamples returns the first golden object of an Istio API group of
// each kind in renderedKinds.
func goldenSamples(t *testing.T) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, k := range renderedKinds {
		obj := goldenSampleWhere(t, k, sampleNames[k], isIstioGroup)
		out[k] = obj
	}
	return out
}

// isIstioCRD reports a CRD of an Istio API group.
func isIstioCRD(obj map[string]any) bool {
	if gvkOf(obj).Kind != "CustomResourceDefinition" {
		return false
	}
	g, _ := spec(obj)["group"].(string)
	return g == "istio.io" || strings.HasSuffix(g, ".istio.io")
}

// spec returns an object's spec.
func spec(obj map[string]any) map[string]any {
	s, _ := obj["spec"].(map[string]any)
	return s
}
