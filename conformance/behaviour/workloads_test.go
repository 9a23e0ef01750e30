package behaviour_test

import (
	"fmt"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/istio-render/istio-render/mesh"
)

// gatewayWorkload is one Gateway API gateway or waypoint as the spec
// describes it, and what istiod applied for it.
type gatewayWorkload struct {
	namespace, name, class string
	// serviceType, annotations, labels and ports are what the spec sets
	// on the gateway itself.
	serviceType string
	annotations map[string]string
	labels      map[string]string
	ports       []int32
	applied     map[string]*unstructured.Unstructured
}

// gatewayWorkloads lists the spec's Gateway API gateways and waypoints
// with the objects istiod's deployment controller applied for each, by
// kind (the objects carry the gateway-name label).
func gatewayWorkloads(w *world) []gatewayWorkload {
	s := w.b.spec
	var out []gatewayWorkload
	for _, gw := range s.GatewayAPI.Gateways {
		g := gatewayWorkload{namespace: gw.Namespace, name: gw.Name, class: mesh.GatewayClassIstio,
			serviceType: gw.ServiceType, annotations: gw.Annotations, labels: gw.Labels}
		for _, l := range gw.Listeners {
			g.ports = append(g.ports, l.Port)
		}
		out = append(out, g)
	}
	for _, n := range s.Namespaces {
		if n.Waypoint != nil {
			out = append(out, gatewayWorkload{namespace: n.Name, name: n.Waypoint.Name, class: mesh.GatewayClassWaypoint, ports: []int32{15008}})
		}
	}
	for i := range out {
		out[i].applied = map[string]*unstructured.Unstructured{}
		for _, o := range w.generated {
			if o.GetNamespace() == out[i].namespace && o.GetLabels()["gateway.networking.k8s.io/gateway-name"] == out[i].name {
				out[i].applied[o.GetKind()] = o
			}
		}
	}
	return out
}

// checkGatewayWorkloads checks what istiod's deployment controller
// applied for every Gateway API gateway and waypoint, from the injector's
// gateway templates and the class defaults ConfigMaps the render writes,
// against the spec's class settings and gateway: replicas or an
// autoscaler with the spec's bounds, a PodDisruptionBudget exactly when
// the gateway runs 2 or more replicas, and the Service's type, external
// traffic policy, annotations, labels and ports.
func checkGatewayWorkloads(t testing.TB, w *world) []string {
	t.Helper()
	var problems []string
	for _, g := range gatewayWorkloads(w) {
		where := fmt.Sprintf("%s %s/%s", g.class, g.namespace, g.name)
		report := func(format string, args ...any) {
			problems = append(problems, where+": "+fmt.Sprintf(format, args...))
		}
		c := w.b.spec.GatewayAPI.Classes[g.class]
		du, su := g.applied["Deployment"], g.applied["Service"]
		if du == nil || su == nil {
			report("istiod applied no Deployment and Service (applied %v)", sortedKeys(g.applied))
			continue
		}
		w.tally.add("gateway workload: replicas, autoscaler and budget")
		w.tally.add("gateway workload: Service")
		d, svc := &appsv1.Deployment{}, &corev1.Service{}
		fromUnstructured(t, du, d)
		fromUnstructured(t, su, svc)
		hpa := g.applied["HorizontalPodAutoscaler"]
		minReplicas := int32(1)
		switch {
		case c.Autoscale != nil:
			minReplicas = c.Autoscale.Min
			if hpa == nil {
				report("autoscale %d-%d, but istiod applied no HorizontalPodAutoscaler", c.Autoscale.Min, c.Autoscale.Max)
				break
			}
			h := &autoscalingv2.HorizontalPodAutoscaler{}
			fromUnstructured(t, hpa, h)
			if got := h.Spec.MinReplicas; got == nil || *got != c.Autoscale.Min || h.Spec.MaxReplicas != c.Autoscale.Max {
				report("autoscaler %v-%d, want %d-%d", derefInt32(got), h.Spec.MaxReplicas, c.Autoscale.Min, c.Autoscale.Max)
			}
			if h.Spec.ScaleTargetRef.Name != d.Name {
				report("autoscaler scales %q, want Deployment %q", h.Spec.ScaleTargetRef.Name, d.Name)
			}
		case c.Replicas != nil:
			minReplicas = *c.Replicas
			if got := derefInt32(d.Spec.Replicas); got != *c.Replicas {
				report("%d replicas, want %d", got, *c.Replicas)
			}
			if hpa != nil {
				report("fixed replicas, but istiod applied a HorizontalPodAutoscaler")
			}
		}
		pdb := g.applied["PodDisruptionBudget"]
		switch wantBudget := minReplicas >= 2 && c.PodDisruptionBudget.IsEnabled(); {
		case wantBudget && pdb == nil:
			report("runs %d or more replicas, but istiod applied no PodDisruptionBudget", minReplicas)
		case !wantBudget && pdb != nil:
			report("a PodDisruptionBudget for %d replica(s): it would block node drains", minReplicas)
		case wantBudget:
			b := &policyv1.PodDisruptionBudget{}
			fromUnstructured(t, pdb, b)
			problems = append(problems, prefix(where+": ", checkBudget(b, c.PodDisruptionBudget))...)
		}
		wantType := or(g.serviceType, map[string]string{mesh.GatewayClassIstio: "LoadBalancer", mesh.GatewayClassWaypoint: "ClusterIP"}[g.class])
		annotations := map[string]string{}
		for k, v := range g.annotations {
			annotations[k] = v
		}
		if cs := c.Service; cs != nil {
			wantType = or(cs.Type, wantType)
			for k, v := range cs.Annotations {
				annotations[k] = v
			}
			if cs.ExternalTrafficPolicy != "" && string(svc.Spec.ExternalTrafficPolicy) != cs.ExternalTrafficPolicy {
				report("Service externalTrafficPolicy %q, want %q", svc.Spec.ExternalTrafficPolicy, cs.ExternalTrafficPolicy)
			}
		}
		if string(svc.Spec.Type) != wantType {
			report("Service type %q, want %q", svc.Spec.Type, wantType)
		}
		for k, v := range annotations {
			if svc.Annotations[k] != v {
				report("Service annotation %s %q, want %q", k, svc.Annotations[k], v)
			}
		}
		for k, v := range g.labels {
			if svc.Labels[k] != v || d.Spec.Template.Labels[k] != v {
				report("label %s: Service %q, pods %q, want %q", k, svc.Labels[k], d.Spec.Template.Labels[k], v)
			}
		}
		for _, port := range g.ports {
			found := false
			for _, p := range svc.Spec.Ports {
				found = found || p.Port == port
			}
			if !found {
				report("Service has no port %d", port)
			}
		}
	}
	return problems
}

// checkBudget compares a PodDisruptionBudget with the spec's, by default
// minAvailable 1.
func checkBudget(b *policyv1.PodDisruptionBudget, want *mesh.PodDisruptionBudget) []string {
	wantMin, wantMax := intstr.FromInt32(1), (*intstr.IntOrString)(nil)
	if want != nil && want.MaxUnavailable != nil {
		v := intOrString(want.MaxUnavailable)
		wantMax = &v
	}
	if want != nil && want.MinAvailable != nil {
		wantMin = intOrString(want.MinAvailable)
	}
	if wantMax != nil {
		if b.Spec.MaxUnavailable == nil || b.Spec.MaxUnavailable.String() != wantMax.String() {
			return []string{fmt.Sprintf("PodDisruptionBudget maxUnavailable %v, want %v", b.Spec.MaxUnavailable, wantMax)}
		}
		return nil
	}
	if b.Spec.MinAvailable == nil || b.Spec.MinAvailable.String() != wantMin.String() {
		return []string{fmt.Sprintf("PodDisruptionBudget minAvailable %v, want %v", b.Spec.MinAvailable, wantMin.String())}
	}
	return nil
}

// intOrString converts the spec's count or percentage.
func intOrString(v *mesh.IntOrString) intstr.IntOrString {
	if v.Int != nil {
		return intstr.FromInt32(*v.Int)
	}
	return intstr.FromString(*v.Str)
}

func derefInt32(p *int32) int32 {
	if p == nil {
		return 1
	}
	return *p
}
