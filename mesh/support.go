package mesh

import (
	"fmt"
	"strings"
)

// KubernetesSupport is the range of Kubernetes minor versions an Istio
// release line supports.
type KubernetesSupport struct {
	// Min and Max are the oldest and newest supported Kubernetes minor
	// versions, such as 1.32 and 1.36.
	Min, Max string
}

// kubernetesSupport is Istio's support matrix for the lines this release of
// istio-render knows: the "Supported Kubernetes Versions" column of
// https://istio.io/latest/docs/releases/supported-releases/#support-status-of-istio-releases,
// which istio.io renders from data/compatibility/supportStatus.yml
// (https://raw.githubusercontent.com/istio/istio.io/master/data/compatibility/supportStatus.yml).
// The 1.27 to 1.30 rows are that file's as of the 1.30 release (the copy
// of istio.io at hand predates 1.31); the 1.31 row, Kubernetes 1.32 to
// 1.37, is the row the file gained with the 1.31 release (August 27, 2026),
// as a survey of Istio's sources quotes it. Versions Istio only tested
// ("Tested, but not supported") are outside the range.
var kubernetesSupport = map[string]KubernetesSupport{
	"1.27": {"1.29", "1.33"},
	"1.28": {"1.30", "1.34"},
	"1.29": {"1.31", "1.35"},
	"1.30": {"1.32", "1.36"},
	"1.31": {"1.32", "1.37"},
}

// SupportedKubernetes returns the Kubernetes versions an Istio release line
// such as 1.31 supports, and false for a line istio-render does not know.
func SupportedKubernetes(line string) (KubernetesSupport, bool) {
	s, ok := kubernetesSupport[line]
	return s, ok
}

// checkKubernetesSupport warns when the cluster version is outside what
// each control plane's Istio line supports, and says plainly when a line's
// support is not known.
func (s *Spec) checkKubernetesSupport(p *problems) {
	kube := minorOf(s.KubernetesVersion)
	if kube == "" {
		return
	}
	seen := map[string]bool{}
	for _, d := range s.Istiods() {
		line := minorOf(d.Version)
		if line == "" || seen[line] {
			continue
		}
		seen[line] = true
		sup, ok := SupportedKubernetes(line)
		switch {
		case !ok:
			p.warnf(d.VersionAt, "the Kubernetes versions Istio %s supports are not known to this istio-render, so spec.kubernetesVersion %s is not checked against them; see https://istio.io/latest/docs/releases/supported-releases/", line, kube)
		case compareVersions(kube, sup.Min) < 0 || compareVersions(kube, sup.Max) > 0:
			p.warnf("spec.kubernetesVersion", "Istio %s (%s) supports Kubernetes %s to %s, not %s; set spec.kubernetesVersion to your cluster's version, and upgrade the cluster or Istio so that they meet", line, d.VersionAt, sup.Min, sup.Max, kube)
		}
	}
}

// minorOf cuts a version such as 1.30.2 or v1.30 to major.minor; "" when
// it has no minor part.
func minorOf(v string) string {
	parts := strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3)
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return ""
	}
	return fmt.Sprintf("%s.%s", parts[0], parts[1])
}
