package mesh

import (
	"regexp"
	"strings"
)

// kubeVendorRE splits a Kubernetes version as a managed cluster reports it
// (v1.33.2-eks-2f008fe, 1.36.0-gke.100, v1.33.2+k3s1) into the version and
// the vendor's suffix, a semver pre-release or build part.
var kubeVendorRE = regexp.MustCompile(`^(v?[0-9]+\.[0-9]+(?:\.[0-9]+)?)((?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$`)

// ChartKubernetesVersion is the version the charts are rendered for:
// spec.kubernetesVersion without a vendor's suffix, so that what renders
// depends on spec.platform and not on a vendor's spelling. (The CNI chart
// picks GKE's binary folder from "-gke" in the version, without the
// ResourceQuota GKE needs for its pods, which spec.platform: gke gives.)
func (s *Spec) ChartKubernetesVersion() string {
	if m := kubeVendorRE.FindStringSubmatch(s.KubernetesVersion); m != nil {
		return m[1]
	}
	return s.KubernetesVersion
}

// checkKubernetesVendor points a GKE cluster's version at spec.platform:
// gke. Without it the CNI agent and ztunnel miss GKE's CNI binary folder
// and the ResourceQuota their system-node-critical pods need outside
// kube-system: an error where one of them runs, a warning where none does.
func (s *Spec) checkKubernetesVendor(p *problems) {
	m := kubeVendorRE.FindStringSubmatch(s.KubernetesVersion)
	if m == nil || !strings.Contains(strings.ToLower(m[2]), "gke") || s.Platform == "gke" {
		return
	}
	other := ""
	if s.Platform != "" {
		other = " instead of " + quote(s.Platform)
	}
	if s.CNI.Enabled || s.Ambient.Enabled {
		p.errorf("spec.kubernetesVersion", "%s is a GKE version: set spec.platform: gke%s, which the CNI agent needs there: GKE's CNI binary folder, /home/kubernetes/bin, and a ResourceQuota for its system-node-critical pods; the charts render for Kubernetes %s",
			quote(s.KubernetesVersion), other, m[1])
		return
	}
	p.warnf("spec.kubernetesVersion", "%s is a GKE version: set spec.platform: gke%s, which the CNI agent and ztunnel need there should you turn either on; the charts render for Kubernetes %s",
		quote(s.KubernetesVersion), other, m[1])
}
