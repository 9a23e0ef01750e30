package render

import (
	"maps"
	"slices"

	"github.com/istio-render/istio-render/mesh"
)

// gatewayClasses is istiod's gatewayClasses value: per class, the patches
// istiod applies to the Deployment, Service, HorizontalPodAutoscaler and
// PodDisruptionBudget it creates for each Gateway of the class. istiod
// creates an autoscaler or a budget only where a patch asks for one.
func gatewayClasses(s *mesh.Spec) map[string]any {
	classes := s.GatewayAPI.Classes
	out := map[string]any{}
	for _, name := range slices.Sorted(maps.Keys(classes)) {
		c := classes[name]
		kinds := map[string]any{}
		if svc := c.Service; svc != nil {
			service := map[string]any{}
			set(service, svc.Type, "spec", "type")
			set(service, svc.ExternalTrafficPolicy, "spec", "externalTrafficPolicy")
			set(service, anyMap(svc.Annotations), "metadata", "annotations")
			set(kinds, service, "service")
		}
		deployment := map[string]any{}
		if c.Replicas != nil {
			set(deployment, int64(*c.Replicas), "spec", "replicas")
		}
		if r := resources(c.Resources); len(r) > 0 {
			set(deployment, []any{map[string]any{"name": "istio-proxy", "resources": r}}, "spec", "template", "spec", "containers")
		}
		set(kinds, deployment, "deployment")
		if a := c.Autoscale; a != nil {
			set(kinds, map[string]any{"minReplicas": int64(a.Min), "maxReplicas": int64(a.Max)}, "horizontalPodAutoscaler", "spec")
		}
		w := mesh.Workload{Replicas: c.Replicas, Autoscale: c.Autoscale, PodDisruptionBudget: c.PodDisruptionBudget}
		if wantsBudget(&w) {
			set(kinds, budget(c.PodDisruptionBudget), "podDisruptionBudget", "spec")
		}
		set(out, kinds, name)
	}
	return out
}
