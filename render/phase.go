package render

import "fmt"

// Phase is a step of an install that must be complete, its objects
// created and healthy, before the next one starts. GitOps tools re-sort
// the objects they apply by kind, so the apply order of the stream does
// not reach the cluster through them; phases carry it: Argo CD sync waves
// and Flux Kustomizations chained by dependsOn.
type Phase int

// The phases of an install, in order.
const (
	// PhaseFoundation holds Namespaces and CRDs, which everything else
	// needs.
	PhaseFoundation Phase = iota + 1
	// PhaseConfig holds RBAC, configuration and Services, and the
	// plugged-in mesh CA's Certificate, whose Secret istiod reads only as
	// it starts.
	PhaseConfig
	// PhaseControlPlane holds istiod, istio-cni and ztunnel with their
	// webhooks and admission policies.
	PhaseControlPlane
	// PhaseGateways holds the gateway workloads: their pods run the image
	// "auto", which only istiod's injection webhook fills in.
	PhaseGateways
	// PhaseCustomResources holds Istio and cert-manager custom resources,
	// which need their CRDs and istiod's validation, kinds render does
	// not know, and the objects nothing waits for (see PhaseOf).
	PhaseCustomResources
)

// Phases lists every phase in order.
func Phases() []Phase {
	return []Phase{PhaseFoundation, PhaseConfig, PhaseControlPlane, PhaseGateways, PhaseCustomResources}
}

// String returns the phase's name: foundation, config, control-plane,
// gateways or custom-resources.
func (p Phase) String() string {
	switch p {
	case PhaseFoundation:
		return "foundation"
	case PhaseConfig:
		return "config"
	case PhaseControlPlane:
		return "control-plane"
	case PhaseGateways:
		return "gateways"
	case PhaseCustomResources:
		return "custom-resources"
	}
	return fmt.Sprintf("Phase(%d)", int(p))
}

// SyncWave is the phase's Argo CD sync wave: -4 for the foundation up to
// 0 for custom resources. The last phase is wave 0, Argo CD's default, so
// that objects added beside the render without a wave (an application's
// own Deployments, which need the injection webhook) come with it, after
// the mesh is up.
func (p Phase) SyncWave() int { return int(p) - int(PhaseCustomResources) }

// PhaseOf returns the phase of a resource. It is derived from the
// resource's place in the apply order (position in order.go), which the
// phases cut into steps at firstConfigKind and firstControlPlaneKind; the
// gateway workloads, which the order already places after every webhook,
// are a phase of their own, and every kind after them (custom resources
// and kinds render does not know) is the last phase.
//
// Two kinds of object go to the last phase whatever their place, because
// nothing in the install needs them and both GitOps tools wait for their
// health, which depends on something outside the install: a LoadBalancer
// Service is healthy only once the cloud gives it an address (never, on a
// cluster without a load balancer), and a HorizontalPodAutoscaler reports
// failures until metrics exist for pods that just started (Argo CD fails a
// sync on them). In an earlier phase either would hold istiod back.
func PhaseOf(r Resource) Phase {
	if deferred(r) {
		return PhaseCustomResources
	}
	p := position(r)
	switch {
	case p >= 2*len(kindOrder):
		return PhaseCustomResources
	case p == gatewayWorkloadPosition():
		return PhaseGateways
	case p >= 2*rank(firstControlPlaneKind):
		return PhaseControlPlane
	case p >= 2*rank(firstConfigKind):
		return PhaseConfig
	}
	return PhaseFoundation
}

// deferred reports the objects that go to the last phase whatever their
// place in the apply order.
func deferred(r Resource) bool {
	switch {
	case r.Kind == "HorizontalPodAutoscaler" && group(r.APIVersion) == "autoscaling":
		return true
	case r.Kind == "Service" && r.APIVersion == "v1":
		spec, _ := r.Object()["spec"].(map[string]any)
		return spec["type"] == "LoadBalancer"
	}
	return false
}
