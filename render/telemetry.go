package render

import (
	"github.com/istio-render/istio-render/mesh"
)

// TelemetryName names the mesh-wide Telemetry resource in the root
// namespace.
const TelemetryName = "mesh-default"

// telemetry renders the mesh-wide Telemetry resource that turns tracing on
// through Istio's Telemetry API: every proxy sends spans to the spec's
// tracing provider, sampling the spec's percentage of requests. Nothing
// without spec.mesh.tracing.
func telemetry(s *mesh.Spec) []map[string]any {
	t := s.Mesh.Tracing
	if t == nil {
		return nil
	}
	tracing := map[string]any{
		"providers": []any{map[string]any{"name": t.TracingProviderName()}},
	}
	if t.Sampling != nil {
		tracing["randomSamplingPercentage"] = *t.Sampling
	}
	return []map[string]any{object("telemetry.istio.io/v1", "Telemetry", s.RootNamespace, TelemetryName, map[string]any{
		"tracing": []any{tracing},
	})}
}
