package render

import (
	"github.com/istio-render/istio-render/mesh"
)

// The day-two settings as the charts' own values. Each values function of
// values.go calls its hook last, before the charts' profile is set; with
// none of the settings, each hook adds nothing.

// chartCommon sets what every chart reads alike: the platform profile and
// the compatibility version, both applied by the chart's zzz_profile.yaml.
func chartCommon(s *mesh.Spec, v map[string]any) {
	set(v, s.Platform, "global", "platform")
	set(v, s.CompatibilityVersion, "compatibilityVersion")
}

// baseDayTwo configures the base chart: its reader ServiceAccount pulls
// nothing, but carries the pull secrets as istioctl's install does.
func baseDayTwo(s *mesh.Spec, v map[string]any) {
	chartCommon(s, v)
	set(v, stringList(s.ImagePullSecrets), "global", "imagePullSecrets")
	remoteBase(s, v)
}

// istiodDayTwo configures an istiod release.
func istiodDayTwo(s *mesh.Spec, v map[string]any) {
	chartCommon(s, v)
	set(v, stringList(s.ImagePullSecrets), "global", "imagePullSecrets")
	networkPolicyValues(s, v)
	schedulingValues(&s.ControlPlane.Scheduling, v)
	set(v, s.ControlPlane.PriorityClassName, "global", "priorityClassName")
	if s.Platform == "openshift" && s.Ambient.Enabled {
		// The openshift profile trusts ztunnel's certificate requests
		// only from kube-system; ztunnel runs in the root namespace here.
		set(v, s.RootNamespace, "trustedZtunnelNamespace")
	}
	discoverySelectors(s, v)
	caValues(s, v)
	multiclusterIstiod(s, v)
}

// gatewayDayTwo configures a gateway release.
func gatewayDayTwo(s *mesh.Spec, g *mesh.Gateway, v map[string]any) {
	chartCommon(s, v)
	if len(s.ImagePullSecrets) > 0 {
		secrets := make([]any, len(s.ImagePullSecrets))
		for i, name := range s.ImagePullSecrets {
			secrets[i] = map[string]any{"name": name}
		}
		v["imagePullSecrets"] = secrets
	}
	networkPolicyValues(s, v)
	schedulingValues(&g.Scheduling, v)
	set(v, g.PriorityClassName, "priorityClassName")
}

// cniDayTwo configures the CNI agent. On gke, the platform profile gives
// the node agents a ResourceQuota for system-node-critical pods, without
// which GKE schedules none outside kube-system; in kube-system, which has
// one already, it is left out.
func cniDayTwo(s *mesh.Spec, v map[string]any) {
	chartCommon(s, v)
	set(v, stringList(s.ImagePullSecrets), "global", "imagePullSecrets")
	networkPolicyValues(s, v)
	daemonSchedulingValues(&s.CNI.DaemonScheduling, v)
	if s.Platform == "gke" {
		// The chart finds GKE's CNI binary folder only from a cluster
		// version such as v1.33.2-gke.1000, which a render pinned to
		// spec.kubernetesVersion never sees; the platform profile leaves
		// the folder to that detection. The CNI chart copies its cni.*
		// values over the top level after the platform profile
		// (zzy_descope_legacy.yaml), so these go there to win.
		set(v, "/home/kubernetes/bin", "cni", "cniBinDir")
		if s.CNI.Namespace == "kube-system" {
			set(v, false, "cni", "resourceQuotas", "enabled")
		}
	}
}

// ztunnelDayTwo configures ztunnel, which reads the platform and its pull
// secrets at the top level, not under global.
func ztunnelDayTwo(s *mesh.Spec, v map[string]any) {
	chartCommon(s, v)
	set(v, s.Platform, "platform")
	set(v, stringList(s.ImagePullSecrets), "imagePullSecrets")
	networkPolicyValues(s, v)
	daemonSchedulingValues(&s.Ambient.Ztunnel, v)
	if s.Platform == "gke" && s.RootNamespace == "kube-system" {
		set(v, false, "resourceQuotas", "enabled")
	}
	caZtunnel(s, v)
}

// networkPolicyValues switches on a chart's NetworkPolicy.
func networkPolicyValues(s *mesh.Spec, v map[string]any) {
	if s.NetworkPolicy.Enabled {
		set(v, true, "global", "networkPolicy", "enabled")
	}
}

// stringList converts names to a values list.
func stringList(names []string) []any {
	if len(names) == 0 {
		return nil
	}
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = n
	}
	return out
}
