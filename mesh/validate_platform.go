package mesh

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var minorRE = regexp.MustCompile(`^[0-9]+\.[0-9]+$`)

// validatePlatform checks the platform, the compatibility version, the
// image pull secrets, Pod Security labels and the node agents' scheduling.
func (s *Spec) validatePlatform(p *problems) {
	oneOf(p, "spec.platform", s.Platform, append([]string{""}, platforms...)...)
	if s.Platform == "openshift" && !s.CNI.Enabled {
		p.warnf("spec.cni.enabled", "OpenShift refuses the privileged init container sidecars otherwise start with; enable the CNI agent")
	}
	s.validateCompatibility(p)
	seen := map[string]string{}
	for i, name := range s.ImagePullSecrets {
		at := fmt.Sprintf("spec.imagePullSecrets[%d]", i)
		dns1123Subdomain(p, at, name)
		if first, dup := seen[name]; dup {
			p.errorf(at, "duplicate Secret %s (first at %s)", quote(name), first)
		}
		seen[name] = at
	}
	if s.PodSecurity.Enabled && !s.CNI.Enabled {
		p.errorf("spec.podSecurity.enabled", "needs the CNI agent (cni.enabled or ambient): without it every sidecar starts with an init container that needs NET_ADMIN and NET_RAW, which the baseline level refuses")
	}
	s.CNI.DaemonScheduling.validate(p, "spec.cni", "CNI agent")
	if !s.Ambient.Enabled && (s.Ambient.Ztunnel.Affinity != nil || len(s.Ambient.Ztunnel.Tolerations) > 0) {
		p.errorf("spec.ambient.ztunnel", "ztunnel runs only in ambient mode; set spec.ambient.enabled")
	}
	s.Ambient.Ztunnel.validate(p, "spec.ambient.ztunnel", "ztunnel")
}

// validateCompatibility requires a compatibility version such as 1.30,
// older than every control plane version the spec installs.
func (s *Spec) validateCompatibility(p *problems) {
	cv := s.CompatibilityVersion
	if cv == "" {
		return
	}
	if !minorRE.MatchString(cv) {
		p.errorf("spec.compatibilityVersion", "%s is not an Istio minor version such as 1.30", quote(cv))
		return
	}
	for _, d := range s.Istiods() {
		if !semverRE.MatchString(d.Version) {
			continue
		}
		if !minorBefore(cv, d.Version) {
			p.errorf("spec.compatibilityVersion", "%s is not older than %s %s: it keeps an earlier minor's behaviour of every chart; with control planes of two minors, set compatibilityVersion in the newer one's values instead", cv, d.VersionAt, d.Version)
		}
	}
}

// minorBefore reports whether the minor version a (1.30) is before the
// minor of the full version b (1.31.0).
func minorBefore(a, b string) bool {
	am, an := splitMinor(a)
	bm, bn := splitMinor(b)
	return am < bm || am == bm && an < bn
}

// splitMinor returns a version's major and minor numbers.
func splitMinor(v string) (int, int) {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0
	}
	major, _ := strconv.Atoi(parts[0])
	minor, _ := strconv.Atoi(parts[1])
	return major, minor
}
