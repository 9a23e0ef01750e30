//go:build conformance

package conformance_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/istio-render/istio-render/mesh"
)

// statusCode is the HTTP status of an API error; 0 for another error.
func statusCode(err error) int32 {
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		return status.Status().Code
	}
	return 0
}

// brokenNamespace holds the objects of TestAPIServerRejectsBrokenObjects.
const brokenNamespace = "istio-render-conformance"

// brokenSamples names the golden object of each kind that is broken; ""
// takes the first of the kind.
var brokenSamples = map[string]string{"PeerAuthentication": "", "Deployment": "istiod", "Certificate": "", "Gateway": "public", "HTTPRoute": "", "ServiceEntry": ""}

// TestAPIServerRejectsBrokenObjects proves the server check can fail: one
// golden object of each kind is accepted as rendered, and rejected once
// broken, for the reason it was broken.
func TestAPIServerRejectsBrokenObjects(t *testing.T) {
	c := connect(t)
	ctx := t.Context()
	crds := append(istioCRDs(t), certManager(t)...)
	applyCRDs(t, c, append(crds, gatewayAPICRDs(t, mesh.DefaultGatewayAPIVersion, mesh.GatewayAPIStandard)...))
	ns := map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": brokenNamespace}}
	if err := c.apply(ctx, ns, false); err != nil {
		t.Fatal(err)
	}
	samples := map[string]map[string]any{}
	for kind, name := range brokenSamples {
		obj := runtime.DeepCopyJSON(goldenSample(t, kind, name))
		obj["metadata"].(map[string]any)["namespace"] = brokenNamespace
		samples[kind] = obj
	}
	container := func(o map[string]any) map[string]any {
		pod := spec(spec(o)["template"].(map[string]any))
		return pod["containers"].([]any)[0].(map[string]any)
	}
	tests := []struct {
		name   string
		kind   string
		edit   func(obj map[string]any)
		create bool  // a plain create instead of server-side apply
		code   int32 // the HTTP status of the rejection; 0: accepted
		wants  []string
	}{{
		name: "peer authentication as rendered", kind: "PeerAuthentication",
		edit: func(map[string]any) {},
	}, {
		name: "mTLS mode SOMETIMES", kind: "PeerAuthentication",
		edit: func(o map[string]any) { spec(o)["mtls"] = map[string]any{"mode": "SOMETIMES"} },
		code: http.StatusUnprocessableEntity, wants: []string{"spec.mtls.mode", `"SOMETIMES"`},
	}, {
		name: "unknown field in a custom resource", kind: "PeerAuthentication",
		edit: func(o map[string]any) { spec(o)["mtls"].(map[string]any)["strict"] = true },
		code: http.StatusInternalServerError, wants: []string{".spec.mtls.strict: field not declared in schema"},
	}, {
		name: "deployment as rendered", kind: "Deployment",
		edit: func(map[string]any) {},
	}, {
		name: "unknown field in a deployment", kind: "Deployment",
		edit: func(o map[string]any) { container(o)["bogus"] = "x" },
		code: http.StatusInternalServerError, wants: []string{`.spec.template.spec.containers[name="discovery"].bogus: field not declared in schema`},
	}, {
		name: "unknown field in a deployment, strict create", kind: "Deployment", create: true,
		edit: func(o map[string]any) { container(o)["bogus"] = "x" },
		code: http.StatusBadRequest, wants: []string{`strict decoding error: unknown field "spec.template.spec.containers[0].bogus"`},
	}, {
		name: "deployment as rendered, strict create", kind: "Deployment", create: true,
		edit: func(map[string]any) {},
	}, {
		name: "invalid container port", kind: "Deployment",
		edit: func(o map[string]any) {
			container(o)["ports"] = []any{map[string]any{"containerPort": int64(70000), "protocol": "TCP"}}
		},
		code: http.StatusUnprocessableEntity, wants: []string{"containerPort", "70000"},
	}, {
		name: "namespace that does not exist", kind: "Deployment",
		edit: func(o map[string]any) { o["metadata"].(map[string]any)["namespace"] = "no-such-namespace" },
		code: http.StatusNotFound, wants: []string{"no-such-namespace"},
	}, {
		name: "gateway API gateway as rendered", kind: "Gateway",
		edit: func(map[string]any) {},
	}, {
		name: "CEL rule: TLS on an HTTP listener", kind: "Gateway",
		edit: func(o map[string]any) {
			l := spec(o)["listeners"].([]any)[0].(map[string]any)
			l["tls"] = map[string]any{"mode": "Terminate", "certificateRefs": []any{map[string]any{"name": "x"}}}
		},
		code: http.StatusUnprocessableEntity, wants: []string{"tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"},
	}, {
		name: "redirect route as rendered", kind: "HTTPRoute",
		edit: func(map[string]any) {},
	}, {
		name: "redirect with status code 200", kind: "HTTPRoute",
		edit: func(o map[string]any) {
			rule := spec(o)["rules"].([]any)[0].(map[string]any)
			rule["filters"].([]any)[0].(map[string]any)["requestRedirect"].(map[string]any)["statusCode"] = int64(200)
		},
		code: http.StatusUnprocessableEntity, wants: []string{"statusCode", "200"},
	}, {
		name: "certificate as rendered", kind: "Certificate",
		edit: func(map[string]any) {},
	}, {
		name: "certificate without a secret name", kind: "Certificate",
		edit: func(o map[string]any) { delete(spec(o), "secretName") },
		code: http.StatusUnprocessableEntity, wants: []string{"spec.secretName", "Required"},
	}, {
		name: "service entry as rendered", kind: "ServiceEntry",
		edit: func(map[string]any) {},
	}, {
		name: "service entry with a port number twice", kind: "ServiceEntry",
		edit: func(o map[string]any) {
			spec(o)["ports"] = []any{
				map[string]any{"number": int64(443), "name": "tls-443", "protocol": "TLS"},
				map[string]any{"number": int64(443), "name": "https-443", "protocol": "HTTPS"},
			}
		},
		code: http.StatusUnprocessableEntity, wants: []string{"port number cannot be duplicated"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := runtime.DeepCopyJSON(samples[tt.kind])
			tt.edit(obj)
			var err error
			if tt.create {
				err = c.createDryRun(ctx, obj)
			} else {
				err = c.apply(ctx, obj, true)
			}
			c.warnings.take()
			if tt.code == 0 {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted, want an error mentioning %q", tt.wants)
			}
			var status apierrors.APIStatus
			if !errors.As(err, &status) || status.Status().Code != tt.code {
				t.Errorf("rejected with %v, want HTTP %d: %v", statusCode(err), tt.code, err)
			}
			for _, w := range tt.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q: %v", w, err)
				}
			}
			t.Logf("rejected as expected: %v", err)
		})
	}
}
