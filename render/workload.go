package render

import (
	"github.com/istio-render/istio-render/internal/merge"
	"github.com/istio-render/istio-render/mesh"
)

// resources converts spec resources to the chart's resources value.
func resources(r *mesh.Resources) map[string]any {
	if r == nil {
		return nil
	}
	out := map[string]any{}
	for key, a := range map[string]*mesh.ResourceAmounts{"requests": r.Requests, "limits": r.Limits} {
		if a == nil {
			continue
		}
		m := map[string]any{}
		if a.CPU != "" {
			m["cpu"] = string(a.CPU)
		}
		if a.Memory != "" {
			m["memory"] = string(a.Memory)
		}
		if len(m) > 0 {
			out[key] = m
		}
	}
	return out
}

// spread converts topology spread settings, selecting the workload's pods.
func spread(ts []mesh.TopologySpread, selector map[string]any) []any {
	var out []any
	for _, t := range ts {
		skew := t.MaxSkew
		if skew == 0 {
			skew = 1
		}
		when := t.WhenUnsatisfiable
		if when == "" {
			when = "ScheduleAnyway"
		}
		out = append(out, map[string]any{
			"maxSkew":           int64(skew),
			"topologyKey":       t.TopologyKey,
			"whenUnsatisfiable": when,
			"labelSelector":     map[string]any{"matchLabels": selector},
		})
	}
	return out
}

// antiAffinity keeps a workload's pods on different nodes.
func antiAffinity(mode string, selector map[string]any) map[string]any {
	term := map[string]any{
		"labelSelector": map[string]any{"matchLabels": selector},
		"topologyKey":   "kubernetes.io/hostname",
	}
	switch mode {
	case "preferred":
		return map[string]any{"podAntiAffinity": map[string]any{
			"preferredDuringSchedulingIgnoredDuringExecution": []any{
				map[string]any{"weight": int64(100), "podAffinityTerm": term},
			},
		}}
	case "required":
		return map[string]any{"podAntiAffinity": map[string]any{
			"requiredDuringSchedulingIgnoredDuringExecution": []any{term},
		}}
	}
	return nil
}

// budget returns the chart's PodDisruptionBudget settings; minAvailable 1
// unless the spec says otherwise.
func budget(b *mesh.PodDisruptionBudget) map[string]any {
	switch {
	case b != nil && b.MaxUnavailable != nil:
		return map[string]any{"maxUnavailable": b.MaxUnavailable.Value()}
	case b != nil && b.MinAvailable != nil:
		return map[string]any{"minAvailable": b.MinAvailable.Value()}
	}
	return map[string]any{"minAvailable": int64(1)}
}

// wantsBudget reports whether a workload gets a PodDisruptionBudget.
func wantsBudget(w *mesh.Workload) bool {
	return w.MinReplicas() >= 2 && w.PodDisruptionBudget.IsEnabled()
}

// set stores v at a dotted path in values, creating maps on the way; nil
// and empty values are skipped so chart defaults stay.
func set(values map[string]any, v any, keys ...string) {
	switch x := v.(type) {
	case nil:
		return
	case string:
		if x == "" {
			return
		}
	case map[string]any:
		if len(x) == 0 {
			return
		}
	case []any:
		if len(x) == 0 {
			return
		}
	}
	merge.Set(values, v, keys...)
}
