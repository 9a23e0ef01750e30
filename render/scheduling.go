package render

import (
	"bytes"
	"encoding/json"

	corev1 "k8s.io/api/core/v1"

	"github.com/istio-render/istio-render/mesh"
)

// schedulingValues sets a chart's nodeSelector, tolerations and affinity
// values from the spec, the affinity composed with the antiAffinity the
// values already hold. The priority class is left to the caller: each
// chart reads it from another key.
func schedulingValues(sc *mesh.Scheduling, v map[string]any) {
	if len(sc.NodeSelector) > 0 {
		sel := map[string]any{}
		for k, val := range sc.NodeSelector {
			sel[k] = val
		}
		v["nodeSelector"] = sel
	}
	set(v, tolerationValues(sc.Tolerations), "tolerations")
	set(v, composeAffinity(sc.Affinity, v["affinity"]), "affinity")
}

// daemonSchedulingValues sets a node agent chart's affinity and
// tolerations.
func daemonSchedulingValues(d *mesh.DaemonScheduling, v map[string]any) {
	set(v, tolerationValues(d.Tolerations), "tolerations")
	set(v, composeAffinity(d.Affinity, nil), "affinity")
}

// tolerationValues writes tolerations as a pod spec holds them.
func tolerationValues(ts []mesh.Toleration) []any {
	var out []any
	for _, t := range ts {
		m := map[string]any{}
		set(m, t.Key, "key")
		set(m, t.Operator, "operator")
		set(m, t.Value, "value")
		set(m, t.Effect, "effect")
		if t.TolerationSeconds != nil {
			m["tolerationSeconds"] = int64(*t.TolerationSeconds)
		}
		out = append(out, m)
	}
	return out
}

// composeAffinity is the spec's affinity with the antiAffinity setting's
// terms (ours, as antiAffinity renders it) after its own podAntiAffinity
// terms of the same kind.
func composeAffinity(a *corev1.Affinity, ours any) map[string]any {
	out := affinityValues(a)
	extra, _ := ours.(map[string]any)
	anti, _ := extra["podAntiAffinity"].(map[string]any)
	if len(anti) == 0 {
		if len(out) == 0 {
			return extra
		}
		return out
	}
	if out == nil {
		out = map[string]any{}
	}
	mine, _ := out["podAntiAffinity"].(map[string]any)
	if mine == nil {
		mine = map[string]any{}
		out["podAntiAffinity"] = mine
	}
	for k, terms := range anti {
		have, _ := mine[k].([]any)
		mine[k] = append(have, terms.([]any)...)
	}
	return out
}

// affinityValues converts an affinity to Helm values: JSON's shape, whole
// numbers as int64 as the other values hold them.
func affinityValues(a *corev1.Affinity) map[string]any {
	if a == nil {
		return nil
	}
	data, err := json.Marshal(a)
	if err != nil {
		// An Affinity holds only strings, lists, maps and int32s.
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		return nil
	}
	return wholeNumbers(out).(map[string]any)
}

// wholeNumbers turns the json.Numbers of a decoded tree into int64s.
func wholeNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = wholeNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = wholeNumbers(e)
		}
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
	}
	return v
}
