package render_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/render"
)

// meshConfigOf parses the rendered mesh config of the main istiod.
func meshConfigOf(t *testing.T, m *render.Manifest) map[string]any {
	t.Helper()
	for _, r := range m.Resources {
		if r.Kind == "ConfigMap" && r.Name == "istio" {
			data := r.Object()["data"].(map[string]any)
			var mc map[string]any
			if err := yaml.Unmarshal([]byte(data["mesh"].(string)), &mc); err != nil {
				t.Fatal(err)
			}
			return mc
		}
	}
	t.Fatal("no istio ConfigMap")
	return nil
}

// TestTracingThroughTelemetryAPI: spec.mesh.tracing renders an extension
// provider and a Telemetry resource with the sampling, keeps Prometheus
// metrics, and sets nothing on the legacy path. Expected values come from
// the spec in each case.
func TestTracingThroughTelemetryAPI(t *testing.T) {
	tests := []struct {
		provider, address string
		sampling          string
		wantService       string
		wantPort          float64
	}{
		{"zipkin", "jaeger-collector.obs:9411", "25", "jaeger-collector.obs.svc.cluster.local", 9411},
		{"opentelemetry", "otel.obs.svc:4317", "", "otel.obs.svc.cluster.local", 4317},
		{"opentelemetry", "otel.obs.svc.cluster.local:4317", "0.5", "otel.obs.svc.cluster.local", 4317},
		{"zipkin", "collector.tracing.example.com:9411", "100", "collector.tracing.example.com", 9411},
	}
	for _, tt := range tests {
		t.Run(tt.provider+" "+tt.address, func(t *testing.T) {
			spec := fmt.Sprintf("spec:\n  profile: minimal\n  mesh:\n    tracing:\n      provider: %s\n      address: %s\n", tt.provider, tt.address)
			if tt.sampling != "" {
				spec += "      sampling: " + tt.sampling + "\n"
			}
			m := renderSpec(t, spec)
			mc := meshConfigOf(t, m)
			wantProvider := map[string]any{"name": tt.provider, tt.provider: map[string]any{"service": tt.wantService, "port": tt.wantPort}}
			if diff := cmp.Diff([]any{wantProvider}, mc["extensionProviders"]); diff != "" {
				t.Errorf("extension providers (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]any{"metrics": []any{"prometheus"}}, mc["defaultProviders"]); diff != "" {
				t.Errorf("default providers must keep Prometheus metrics (-want +got):\n%s", diff)
			}
			if dc, _ := mc["defaultConfig"].(map[string]any); dc["tracing"] != nil {
				t.Errorf("legacy defaultConfig.tracing is set: %v", dc["tracing"])
			}
			var telemetry []render.Resource
			for _, r := range m.Resources {
				if r.Kind == "Telemetry" {
					telemetry = append(telemetry, r)
				}
				if r.Kind == "ConfigMap" && r.Name == "istio-sidecar-injector" && !strings.Contains(string(r.YAML), `"tracer": "none"`) {
					t.Errorf("the injector's values name a legacy tracer")
				}
			}
			if len(telemetry) != 1 || telemetry[0].Namespace != "istio-system" || telemetry[0].Name != render.TelemetryName {
				t.Fatalf("Telemetry resources %v, want one in istio-system", telemetry)
			}
			tracing := map[string]any{"providers": []any{map[string]any{"name": tt.provider}}}
			if tt.sampling != "" {
				var s float64
				fmt.Sscan(tt.sampling, &s)
				tracing["randomSamplingPercentage"] = s
			}
			if diff := cmp.Diff(map[string]any{"tracing": []any{tracing}}, telemetry[0].Object()["spec"]); diff != "" {
				t.Errorf("Telemetry spec (-want +got):\n%s", diff)
			}
		})
	}
	for _, r := range renderSpec(t, "spec:\n  profile: minimal\n").Resources {
		if r.Kind == "Telemetry" {
			t.Errorf("renders %s without spec.mesh.tracing", r.ID())
		}
	}
}

// TestDemoProfileLikeIstios: the demo profile carries the extension
// providers and ingress ports istio.io's tasks rely on, and traces.
func TestDemoProfileLikeIstios(t *testing.T) {
	m := renderSpec(t, "spec:\n  profile: demo\n")
	var names []string
	for _, ep := range meshConfigOf(t, m)["extensionProviders"].([]any) {
		names = append(names, ep.(map[string]any)["name"].(string))
	}
	if diff := cmp.Diff([]string{"otel", "skywalking", "otel-tracing", "jaeger", "zipkin"}, names); diff != "" {
		t.Errorf("extension providers (-want +got):\n%s", diff)
	}
	ports := map[float64]string{}
	for _, r := range m.Resources {
		if r.Kind == "Service" && r.Name == "istio-ingressgateway" {
			for _, p := range r.Object()["spec"].(map[string]any)["ports"].([]any) {
				pm := p.(map[string]any)
				ports[pm["port"].(float64)] = pm["name"].(string)
			}
		}
	}
	for port, name := range map[float64]string{31400: "tcp", 15443: "tls", 80: "http2", 443: "https", 15021: "status-port"} {
		if ports[port] != name {
			t.Errorf("ingress Service port %v is %q, want %q", port, ports[port], name)
		}
	}
}
