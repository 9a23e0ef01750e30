package conformance_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func webhooks(policies ...string) map[string]any {
	var hooks []any
	for i, p := range policies {
		hooks = append(hooks, map[string]any{
			"name":          []string{"a.istio.io", "b.istio.io"}[i],
			"failurePolicy": p,
			"clientConfig":  map[string]any{"service": map[string]any{"name": "istiod"}},
		})
	}
	return map[string]any{
		"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
		"metadata": map[string]any{"name": "v", "resourceVersion": "1", "generation": int64(1)},
		"webhooks": hooks,
	}
}

func paths(cs []change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.path.String())
	}
	return out
}

func TestChanges(t *testing.T) {
	before := webhooks("Ignore", "Ignore")
	after := webhooks("Fail", "Ignore")
	after["metadata"].(map[string]any)["resourceVersion"] = "2"
	after["metadata"].(map[string]any)["generation"] = int64(2)
	after["webhooks"].([]any)[1].(map[string]any)["clientConfig"].(map[string]any)["caBundle"] = "Q0E="
	want := []string{".webhooks[name=a.istio.io].failurePolicy", ".webhooks[name=b.istio.io].clientConfig.caBundle"}
	if diff := cmp.Diff(want, paths(changes(before, after))); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if got := changes(before, webhooks("Ignore", "Ignore")); len(got) != 0 {
		t.Errorf("equal objects: got changes %v", got)
	}
	shorter := webhooks("Ignore")
	if diff := cmp.Diff([]string{".webhooks"}, paths(changes(before, shorter))); diff != "" {
		t.Errorf("a list of another length changes as a whole (-want +got):\n%s", diff)
	}
}

func TestRenderedDrift(t *testing.T) {
	tests := []struct {
		name              string
		rendered, live    map[string]any
		drift, normalized []string
	}{{
		name:     "defaults the render leaves out are not drift",
		rendered: map[string]any{"spec": map[string]any{"port": float64(443)}},
		live:     map[string]any{"spec": map[string]any{"port": int64(443), "sessionAffinity": "None"}},
	}, {
		name:     "empty maps and nulls count as absent",
		rendered: map[string]any{"metadata": map[string]any{"annotations": map[string]any{}}, "env": nil},
		live:     map[string]any{"metadata": map[string]any{}},
	}, {
		name:       "zero values stored as absent and canonical quantities are normalized",
		rendered:   map[string]any{"env": map[string]any{"value": ""}, "memory": "2048Mi", "cpu": "2000m"},
		live:       map[string]any{"env": map[string]any{}, "memory": "2Gi", "cpu": "2"},
		normalized: []string{".cpu", ".env.value", ".memory"},
	}, {
		name:     "another quantity is drift",
		rendered: map[string]any{"memory": "2048Mi"},
		live:     map[string]any{"memory": "2Mi"},
		drift:    []string{".memory"},
	}, {
		name:     "a changed rendered value is drift",
		rendered: webhooks("Ignore"),
		live:     webhooks("Fail"),
		drift:    []string{".webhooks[name=a.istio.io].failurePolicy"},
	}, {
		name:     "a rendered field the server dropped is drift",
		rendered: map[string]any{"spec": map[string]any{"a": "x", "b": "y"}},
		live:     map[string]any{"spec": map[string]any{"a": "x"}},
		drift:    []string{".spec.b"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			drift, normalized := renderedDrift(tt.rendered, tt.live)
			if diff := cmp.Diff(tt.drift, paths(drift)); diff != "" {
				t.Errorf("drift (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.normalized, paths(normalized)); diff != "" {
				t.Errorf("normalized (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCoverage(t *testing.T) {
	const id = "admissionregistration.k8s.io/ValidatingWebhookConfiguration//v"
	owned := []ownedField{
		{group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration", name: "v", path: []string{"webhooks", "*", "clientConfig", "caBundle"}},
		{group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration", name: "v", path: []string{"webhooks", "*", "failurePolicy"}},
		{group: "apps", kind: "Deployment", namespace: "istio-system", name: "istiod", path: []string{"spec", "replicas"}},
	}
	before := webhooks("Ignore", "Ignore")
	after := webhooks("Fail", "Fail")
	for _, h := range after["webhooks"].([]any) {
		h.(map[string]any)["clientConfig"].(map[string]any)["caBundle"] = "Q0E="
	}
	var observed []observedChange
	for _, c := range changes(before, after) {
		observed = append(observed, observedChange{id: id, change: c})
	}
	missing, unobserved := coverage(observed, owned)
	if len(missing) != 0 {
		t.Errorf("the full list leaves changes uncovered: %v", missing)
	}
	if diff := cmp.Diff([]string{"apps/Deployment/istio-system/istiod .spec.replicas"}, fieldNames(unobserved)); diff != "" {
		t.Errorf("unobserved (-want +got):\n%s", diff)
	}
	// Each entry left out of the list leaves exactly its changes uncovered.
	for i, wantMissing := range [][]string{
		{".webhooks[name=a.istio.io].clientConfig.caBundle", ".webhooks[name=b.istio.io].clientConfig.caBundle"},
		{".webhooks[name=a.istio.io].failurePolicy", ".webhooks[name=b.istio.io].failurePolicy"},
		nil,
	} {
		missing, _ := coverage(observed, without(owned, i))
		var got []string
		for _, m := range missing {
			got = append(got, m.path.String())
		}
		if diff := cmp.Diff(wantMissing, got); diff != "" {
			t.Errorf("without %s: missing (-want +got):\n%s", owned[i], diff)
		}
	}
	// A field of another object, or another field, is not covered.
	other := []observedChange{
		{id: "admissionregistration.k8s.io/ValidatingWebhookConfiguration//w", change: observed[0].change},
		{id: id, change: change{path: fieldPath(nil).key("webhooks").elem(0, nil).key("sideEffects")}},
	}
	if missing, _ := coverage(other, owned); len(missing) != 2 {
		t.Errorf("covered a field the list does not name: %v", other)
	}
}

func fieldNames(fs []ownedField) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.String())
	}
	return out
}

func TestFieldOwners(t *testing.T) {
	obj := map[string]any{"metadata": map[string]any{"managedFields": []any{
		map[string]any{"manager": "istio-render", "operation": "Apply", "fieldsV1": map[string]any{
			"f:webhooks": map[string]any{`k:{"name":"a.istio.io"}`: map[string]any{".": map[string]any{}, "f:sideEffects": map[string]any{}}},
		}},
		map[string]any{"manager": "pilot-discovery", "operation": "Update", "fieldsV1": map[string]any{
			"f:webhooks": map[string]any{`k:{"name":"a.istio.io"}`: map[string]any{"f:failurePolicy": map[string]any{}}},
		}},
	}}}
	got := fieldOwners(obj)
	for path, want := range map[string]string{
		".webhooks[name=a.istio.io].failurePolicy": "pilot-discovery (Update)",
		".webhooks[name=a.istio.io].sideEffects":   "istio-render (Apply)",
	} {
		if got[path] != want {
			t.Errorf("owner of %s = %q, want %q", path, got[path], want)
		}
	}
}
