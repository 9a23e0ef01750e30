package render_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

const header = "apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: test\n"

func renderSpec(t *testing.T, spec string) *render.Manifest {
	t.Helper()
	m, _, err := mesh.Load([]byte(header + spec))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	out, err := render.Render(context.Background(), m, render.Options{})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return out
}

// budgets lists namespace/name of the PodDisruptionBudgets with their spec.
func budgets(m *render.Manifest) map[string]any {
	out := map[string]any{}
	for _, r := range m.Resources {
		if r.Kind == "PodDisruptionBudget" {
			spec := r.Object()["spec"].(map[string]any)
			delete(spec, "selector")
			out[r.Namespace+"/"+r.Name] = spec
		}
	}
	return out
}

func TestPodDisruptionBudgets(t *testing.T) {
	tests := []struct {
		name, spec string
		want       map[string]any
	}{{
		name: "one replica: no budget",
		spec: "spec:\n  profile: default\n",
		want: map[string]any{},
	}, {
		name: "production: istiod and the gateway",
		spec: "spec:\n  profile: production\n",
		want: map[string]any{
			"istio-system/istiod":               map[string]any{"minAvailable": float64(1)},
			"istio-system/istio-ingressgateway": map[string]any{"minAvailable": float64(1)},
		},
	}, {
		name: "fixed replicas and a custom budget",
		spec: "spec:\n  profile: minimal\n  controlPlane:\n    replicas: 3\n    podDisruptionBudget: {maxUnavailable: 1}\n  gateways:\n  - name: edge\n    replicas: 4\n    podDisruptionBudget: {minAvailable: \"50%\"}\n",
		want: map[string]any{
			"istio-system/istiod": map[string]any{"maxUnavailable": float64(1)},
			"istio-system/edge":   map[string]any{"minAvailable": "50%"},
		},
	}, {
		name: "budget turned off",
		spec: "spec:\n  profile: production\n  controlPlane:\n    podDisruptionBudget: {enabled: false}\n",
		want: map[string]any{
			"istio-system/istio-ingressgateway": map[string]any{"minAvailable": float64(1)},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := budgets(renderSpec(t, tt.spec))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("budgets (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEveryNamespacedObjectHasANamespace(t *testing.T) {
	m := renderSpec(t, "spec:\n  profile: ambient\n  gateways:\n  - name: edge\n    namespace: edge\n")
	for _, r := range m.Resources {
		switch r.Kind {
		case "Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
			"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
			"ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding":
			if r.Namespace != "" {
				t.Errorf("cluster-scoped %s has namespace %q", r.ID(), r.Namespace)
			}
		default:
			if r.Namespace == "" {
				t.Errorf("%s (from %s) has no namespace", r.ID(), r.Component)
			}
		}
	}
}

func TestApplyOrder(t *testing.T) {
	m := renderSpec(t, "spec:\n  profile: production\n  namespaces:\n  - name: shop\n    mtls: STRICT\n")
	phase := func(r render.Resource) int {
		if strings.HasPrefix(r.Component, render.ComponentGatewayPrefix) && r.Kind != "Gateway" && r.Kind != "Certificate" {
			switch r.Kind {
			case "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget":
				return 4 // after the injection webhook
			}
		}
		switch r.Kind {
		case "Namespace":
			return 0
		case "CustomResourceDefinition":
			return 1
		case "Deployment", "DaemonSet":
			return 3
		case "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration":
			return 4
		case "PeerAuthentication", "DestinationRule", "AuthorizationPolicy", "Gateway", "Certificate":
			return 5
		}
		return 2
	}
	last := 0
	for _, r := range m.Resources {
		p := phase(r)
		if p == 2 && last > 2 && last < 5 {
			continue // workload companions (HPA, PDB) sit among the workloads
		}
		if p < last {
			t.Errorf("%s comes after a phase-%d object", r.ID(), last)
		}
		last = max(last, p)
	}
}

func TestConcurrentRendersAreIdentical(t *testing.T) {
	m, _, err := mesh.Load([]byte(header + "spec:\n  profile: demo\n"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := render.Render(context.Background(), m, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	cache := render.NewCache(8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Half share a cache, half remember nothing.
			opts := render.Options{}
			if i%2 == 1 {
				opts.Cache = cache
			}
			got, err := render.Render(context.Background(), m, opts)
			if err != nil {
				errs <- err.Error()
				return
			}
			if string(got.Bytes()) != string(want.Bytes()) {
				errs <- "concurrent render differs"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestCanceledContext(t *testing.T) {
	m, _, err := mesh.Load([]byte(header + "spec: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := render.Render(ctx, m, render.Options{}); err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Errorf("Render with a canceled context = %v, want context canceled", err)
	}
}

func TestCNIAppArmorFollowsKubernetesVersion(t *testing.T) {
	for _, tc := range []struct {
		kube           string
		wantAnnotation bool
	}{{"1.29.4", true}, {"1.30.0", false}, {"1.36.0", false}} {
		m := renderSpec(t, "spec:\n  profile: minimal\n  kubernetesVersion: "+tc.kube+"\n  cni: {enabled: true}\n")
		for _, r := range m.Resources {
			if r.Kind != "DaemonSet" || r.Name != "istio-cni-node" {
				continue
			}
			got := strings.Contains(string(r.YAML), "container.apparmor.security.beta.kubernetes.io/install-cni")
			if got != tc.wantAnnotation {
				t.Errorf("Kubernetes %s: AppArmor annotation = %v, want %v", tc.kube, got, tc.wantAnnotation)
			}
			if field := strings.Contains(string(r.YAML), "appArmorProfile"); field == tc.wantAnnotation {
				t.Errorf("Kubernetes %s: appArmorProfile field = %v, want %v", tc.kube, field, !tc.wantAnnotation)
			}
		}
	}
}

func TestGatewayWorkloadsFollowTheInjectionWebhook(t *testing.T) {
	m := renderSpec(t, "spec:\n  profile: default\n")
	webhook, gateway := -1, -1
	for i, r := range m.Resources {
		switch {
		case r.Kind == "MutatingWebhookConfiguration" && r.Name == "istio-sidecar-injector":
			webhook = i
		case r.Kind == "Deployment" && r.Name == "istio-ingressgateway":
			gateway = i
		}
	}
	if webhook < 0 || gateway < 0 || gateway < webhook {
		t.Errorf("injection webhook at %d, gateway Deployment at %d: the gateway's pods would be created before they can be injected", webhook, gateway)
	}
}

func TestSystemNamespacesAreNotOwned(t *testing.T) {
	m := renderSpec(t, "spec:\n  profile: minimal\n  cni: {enabled: true, namespace: kube-system}\n  gateways:\n  - name: edge\n    namespace: default\n")
	for _, r := range m.Resources {
		if r.Kind == "Namespace" && (r.Name == "kube-system" || r.Name == "default") {
			t.Errorf("renders Namespace %s, which Kubernetes owns", r.Name)
		}
	}
	m = renderSpec(t, "spec:\n  profile: minimal\n  namespaces:\n  - name: default\n    injection: enabled\n")
	found := false
	for _, r := range m.Resources {
		found = found || r.Kind == "Namespace" && r.Name == "default"
	}
	if !found {
		t.Error("a listed system namespace must still be rendered for its labels")
	}
}

func TestLoadedNullOverrideSurvivesRender(t *testing.T) {
	m := renderSpec(t, "spec:\n  profile: production\n  mesh:\n    mtls: null\n")
	for _, r := range m.Resources {
		if r.Kind == "PeerAuthentication" {
			t.Errorf("renders %s although the spec removed the profile's mesh-wide mTLS", r.ID())
		}
	}
}

func TestChartDeprecationWarningsAreReported(t *testing.T) {
	m := renderSpec(t, "spec:\n  profile: minimal\n  values:\n    istiod:\n      global:\n        tracer:\n          zipkin:\n            address: zipkin.obs:9411\n")
	var got []string
	for _, w := range m.Warnings {
		if strings.Contains(w.Message, "deprecated") {
			got = append(got, w.String())
		}
	}
	want := []string{`spec.values.istiod: istiod: "global.tracer.zipkin.address" is deprecated; use "meshConfig.defaultConfig.tracing.zipkin.address" instead.`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("deprecation warnings (-want +got):\n%s", diff)
	}
	if clean := renderSpec(t, "spec:\n  profile: minimal\n  mesh:\n    tracing: {provider: zipkin, address: zipkin.obs:9411}\n"); len(clean.Warnings) != 1 {
		t.Errorf("tracing through the spec draws warnings: %v", clean.Warnings)
	}
}

// failingWriter accepts limit bytes, then fails.
type failingWriter struct{ limit int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n := f.limit
		f.limit = 0
		return n, errors.New("disk full")
	}
	f.limit -= len(p)
	return len(p), nil
}

func TestWriteToCountsAndFails(t *testing.T) {
	m := renderSpec(t, "spec:\n  profile: minimal\n")
	var buf bytes.Buffer
	n, err := m.WriteTo(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var want []byte
	for _, r := range m.Resources {
		want = append(append(want, "---\n"...), r.YAML...)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("WriteTo does not write each object after a --- line")
	}
	if n != int64(len(want)) {
		t.Errorf("WriteTo counted %d bytes, wrote %d", n, len(want))
	}
	for _, limit := range []int{0, 100, buf.Len() / 2, buf.Len() - 1} {
		n, err := m.WriteTo(&failingWriter{limit: limit})
		if err == nil || n != int64(limit) {
			t.Errorf("writer failing after %d bytes: WriteTo = %d, %v; want %d and the error", limit, n, err, limit)
		}
	}
}
