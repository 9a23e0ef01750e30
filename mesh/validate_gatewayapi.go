package mesh

import (
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"istio.io/istio/pkg/config/schema/gatewayapi"
)

var (
	gatewayAPIVersionRE = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)
	listenerProtocols   = []string{"HTTP", "HTTPS", "TLS", "TCP"}
	routeKinds          = map[string][]string{
		"HTTP":  {"HTTPRoute", "GRPCRoute"},
		"HTTPS": {"HTTPRoute", "GRPCRoute"},
		"TLS":   {"TLSRoute", "TCPRoute"},
		"TCP":   {"TCPRoute"},
	}
	// istioPorts are the ports Istio's proxies listen on themselves; a
	// listener on one of them conflicts with the proxy.
	istioPorts = map[int32]string{
		15000: "Envoy admin", 15001: "outbound capture", 15004: "debug", 15006: "inbound capture",
		15008: "HBONE", 15009: "HBONE", 15020: "merged metrics", 15021: "health checks",
		15053: "DNS proxy", 15090: "Envoy metrics",
	}
	// platformsManagingCRDs are the platforms (global.platform) that
	// install and upgrade the Gateway API CRDs themselves.
	platformsManagingCRDs = map[string]string{
		"gke":       "GKE installs and upgrades the standard channel's Gateway API CRDs itself on clusters with the Gateway API enabled (--gateway-api=standard), and overwrites others",
		"openshift": "OpenShift 4.19 and later installs the standard channel's Gateway API CRDs through its Ingress Operator, which owns them and refuses experimental ones",
	}
)

// gatewayAPIMinimumKube is the first Kubernetes minor the CEL rules of
// Gateway API v1.5 CRDs and later compile on.
const gatewayAPIMinimumKube = 31

// validateGatewayAPI checks the Gateway API settings, gateways and
// waypoints, and that no two gateways of any kind deploy the same
// Deployment.
func (s *Spec) validateGatewayAPI(p *problems) {
	deployments := map[string]string{}
	for i := range s.Gateways {
		if g := &s.Gateways[i]; g.IsEnabled() {
			deployments[g.Namespace+"/"+g.Name] = fmt.Sprintf("spec.gateways[%d]", i)
		}
	}
	g := &s.GatewayAPI
	at := "spec.gatewayAPI"
	oneOf(p, at+".crds", g.CRDs, "", GatewayAPICRDsRender, GatewayAPICRDsPresent)
	users := s.gatewayAPIUsers()
	switch {
	case g.CRDs == "" && len(users) > 0:
		p.errorf(at+".crds", "required: %s renders Gateway API objects; render the CRDs (crds: render) or declare them installed (crds: present)", users[0])
	case g.CRDs == "" && (g.Channel != "" || g.Version != ""):
		p.errorf(at+".crds", "required with channel and version: render or present")
	case g.CRDs != "":
		s.validateGatewayAPIVersion(p, at)
	}
	for _, name := range slices.Sorted(maps.Keys(g.Classes)) {
		c := g.Classes[name]
		cp := keyAt(at+".classes", name)
		oneOf(p, cp, name, GatewayClassIstio, GatewayClassWaypoint)
		c.validate(p, cp, name)
	}
	names := map[string]string{}
	certs := map[string]string{}
	tags := s.tagNames()
	for i := range g.Gateways {
		gw := &g.Gateways[i]
		gp := fmt.Sprintf("%s.gateways[%d]", at, i)
		if gw.Name == "" {
			p.errorf(gp+".name", "required")
		} else {
			gatewayAPIName(p, gp+".name", gw.Name, "-istio")
			if first, dup := names[gw.Name]; dup {
				p.errorf(gp+".name", "duplicate gateway %s (first at %s)", quote(gw.Name), first)
			}
			names[gw.Name] = gp
			deployment(p, deployments, gp+".name", gw.Namespace, gw.Name+"-istio")
		}
		dns1123Label(p, gp+".namespace", gw.Namespace)
		s.checkRevision(p, gp+".revision", gw.Revision, tags)
		gw.validate(p, gp, g.Classes[GatewayClassIstio], certs, g.maxInfrastructureAnnotations())
		g.checkInfrastructure(p, gp, gw)
	}
	for i := range s.Namespaces {
		n := &s.Namespaces[i]
		if n.Waypoint != nil {
			s.validateWaypoint(p, fmt.Sprintf("spec.namespaces[%d]", i), n, deployments, tags)
		}
	}
}

// gatewayAPIUsers lists the fields that render Gateway API objects.
func (s *Spec) gatewayAPIUsers() []string {
	var out []string
	for i := range s.GatewayAPI.Gateways {
		out = append(out, fmt.Sprintf("spec.gatewayAPI.gateways[%d]", i))
	}
	for i := range s.Namespaces {
		if s.Namespaces[i].Waypoint != nil {
			out = append(out, fmt.Sprintf("spec.namespaces[%d].waypoint", i))
		}
	}
	return out
}

// validateGatewayAPIVersion checks the CRDs' channel and version against
// what render embeds, what the Kubernetes version can install, what the
// Istio line needs, and what the platform manages itself.
func (s *Spec) validateGatewayAPIVersion(p *problems, at string) {
	g := &s.GatewayAPI
	oneOf(p, at+".channel", g.Channel, GatewayAPIStandard, GatewayAPIExperimental)
	v, err := semver.NewVersion(g.Version)
	if err != nil || !gatewayAPIVersionRE.MatchString(g.Version) {
		p.errorf(at+".version", "%s is not a Gateway API release such as %s", quote(g.Version), DefaultGatewayAPIVersion)
		return
	}
	if g.CRDs == GatewayAPICRDsRender && g.Version != DefaultGatewayAPIVersion {
		p.errorf(at+".version", "%s: render embeds the Gateway API %s CRDs, the release Istio %s requires; install %s yourself and set crds: present", g.Version, DefaultGatewayAPIVersion, minorLine(DefaultVersion), g.Version)
	}
	if v.LessThan(semver.MustParse("v1.0.0")) {
		p.errorf(at+".version", "%s: Istio reads the v1 API of Gateway API v1.0.0 and later", g.Version)
		return
	}
	if !v.LessThan(semver.MustParse("v1.5.0")) && !KubernetesAtLeast(s.KubernetesVersion, gatewayAPIMinimumKube) {
		p.errorf(at+".version", "the Gateway API %s CRDs' validation rules need Kubernetes 1.%d or later; spec.kubernetesVersion is %s", g.Version, gatewayAPIMinimumKube, quote(s.KubernetesVersion))
	}
	s.checkIstioMinimums(p, at, v)
	if g.CRDs == GatewayAPICRDsRender {
		if platform := s.platform(); platformsManagingCRDs[platform] != "" {
			p.warnf(at+".crds", "%s: rendering them fights the platform; set crds: present", platformsManagingCRDs[platform])
		}
	}
}

// checkIstioMinimums compares the CRD version with the oldest each Gateway
// API kind must be for the Istio line to read it (Istio's own table, for
// the embedded line): a listener whose routes istiod would ignore is an
// error, other kinds it would ignore a warning.
func (s *Spec) checkIstioMinimums(p *problems, at string, v *semver.Version) {
	if minorLine(s.Version) != minorLine(DefaultVersion) {
		p.warnf(at+".version", "the Gateway API versions Istio needs are known here for Istio %s only; check Istio %s's release notes", minorLine(DefaultVersion), minorLine(s.Version))
		return
	}
	needed := map[string]string{}
	for i := range s.GatewayAPI.Gateways {
		for j, l := range s.GatewayAPI.Gateways[i].Listeners {
			lp := fmt.Sprintf("spec.gatewayAPI.gateways[%d].listeners[%d]", i, j)
			switch l.Protocol {
			case "TCP":
				needed["tcproutes.gateway.networking.k8s.io"] = lp
			case "TLS":
				needed["tlsroutes.gateway.networking.k8s.io"] = lp
			}
		}
	}
	var ignored []string
	for _, crd := range slices.Sorted(maps.Keys(gatewayapi.MinimumCRDVersions)) {
		minimum := gatewayapi.MinimumCRDVersions[crd]
		if !v.LessThan(minimum) {
			continue
		}
		kind := strings.TrimSuffix(crd, ".gateway.networking.k8s.io")
		if lp := needed[crd]; lp != "" {
			p.errorf(at+".version", "%s: Istio %s ignores %s below Gateway API v%s, and %s needs them; install v%s or later", v.Original(), minorLine(DefaultVersion), kind, minimum, lp, minimum)
			continue
		}
		ignored = append(ignored, fmt.Sprintf("%s (below v%s)", kind, minimum))
	}
	if len(ignored) > 0 {
		p.warnf(at+".version", "with %s, Istio %s ignores %s", v.Original(), minorLine(DefaultVersion), strings.Join(ignored, ", "))
	}
}

// platform is the global.platform Helm value the spec gives istiod, as
// Istio's platform profiles set it.
func (s *Spec) platform() string {
	global, _ := s.Values.Istiod["global"].(map[string]any)
	platform, _ := global["platform"].(string)
	return platform
}

func (c *GatewayClass) validate(p *problems, at, class string) {
	if svc := c.Service; svc != nil {
		oneOf(p, at+".service.type", svc.Type, "", "LoadBalancer", "ClusterIP", "NodePort")
		annotations(p, at+".service.annotations", svc.Annotations)
		oneOf(p, at+".service.externalTrafficPolicy", svc.ExternalTrafficPolicy, "", "Cluster", "Local")
		if svc.ExternalTrafficPolicy != "" && svc.Type == "ClusterIP" {
			p.errorf(at+".service.externalTrafficPolicy", "only applies to types LoadBalancer and NodePort")
		}
	}
	w := c.workload()
	if w.Replicas != nil || w.Autoscale != nil || w.Resources != nil || w.PodDisruptionBudget != nil {
		w.validate(p, at, "a gateway", "every gateway of class "+class)
	}
}

// workload is the class's sizing as a Workload.
func (c *GatewayClass) workload() *Workload {
	return &Workload{Replicas: c.Replicas, Autoscale: c.Autoscale, Resources: c.Resources, PodDisruptionBudget: c.PodDisruptionBudget}
}

func (gw *APIGateway) validate(p *problems, at string, class GatewayClass, certs map[string]string, maxAnnotations int) {
	if gw.ServiceType != "" {
		oneOf(p, at+".serviceType", gw.ServiceType, "LoadBalancer", "ClusterIP", "NodePort")
		if class.Service != nil && class.Service.Type != "" && class.Service.Type != gw.ServiceType {
			p.errorf(at+".serviceType", "spec.gatewayAPI.classes.istio.service.type (%s) overrides it: istiod applies class defaults last; remove one", quote(class.Service.Type))
		}
	}
	if gw.Address != "" {
		if _, err := netip.ParseAddr(gw.Address); err != nil {
			p.errorf(at+".address", "%s is not an IP address", quote(gw.Address))
		}
		if t := gw.serviceType(class); t != "LoadBalancer" {
			p.errorf(at+".address", "only applies to a LoadBalancer Service, not %s", quote(t))
		}
	}
	labels(p, at+".labels", gw.Labels)
	if n := len(gw.Labels); n > 8 {
		p.errorf(at+".labels", "%d labels: a Gateway's infrastructure takes at most 8", n)
	}
	annotations(p, at+".annotations", gw.Annotations)
	if n := len(gw.Annotations); n > maxAnnotations {
		p.errorf(at+".annotations", "%d annotations: a Gateway's infrastructure takes at most %d%s", n, maxAnnotations, annotationsFrom(maxAnnotations))
	}
	for _, k := range slices.Sorted(maps.Keys(gw.Annotations)) {
		if len(gw.Annotations[k]) > 4096 {
			p.errorf(keyAt(at+".annotations", k), "longer than 4096 characters")
		}
	}
	infrastructureKeys(p, at+".labels", gw.Labels)
	infrastructureKeys(p, at+".annotations", gw.Annotations)
	switch n := len(gw.Listeners); {
	case n == 0:
		p.errorf(at+".listeners", "required: at least one listener")
	case n > 64:
		p.errorf(at+".listeners", "%d listeners: a Gateway takes at most 64", n)
	}
	names := map[string]string{}
	protoByPort := map[int32]string{}
	triples := map[string]string{}
	httpsPorts := map[int32]bool{}
	for j := range gw.Listeners {
		l := &gw.Listeners[j]
		lp := fmt.Sprintf("%s.listeners[%d]", at, j)
		dns1123Label(p, lp+".name", l.Name)
		if first, dup := names[l.Name]; dup {
			p.errorf(lp+".name", "duplicate listener name %s (first at %s)", quote(l.Name), first)
		}
		names[l.Name] = lp
		oneOf(p, lp+".protocol", l.Protocol, listenerProtocols...)
		switch {
		case l.Port == 0 && l.Protocol == "TCP":
			p.errorf(lp+".port", "required for TCP")
		case l.Port < 1 || l.Port > 65535:
			p.errorf(lp+".port", "%d is not a port number (1-65535)", l.Port)
		case istioPorts[l.Port] != "":
			p.errorf(lp+".port", "%d is Istio's %s port on every proxy; use another", l.Port, istioPorts[l.Port])
		}
		if prev, ok := protoByPort[l.Port]; ok && portFamily(prev) != portFamily(l.Protocol) {
			p.errorf(lp+".protocol", "port %d is already %s in this gateway; one port serves HTTP, TLS (HTTPS and TLS, told apart by SNI) or TCP", l.Port, quote(prev))
		}
		protoByPort[l.Port] = l.Protocol
		triple := fmt.Sprintf("%d/%s/%s", l.Port, l.Protocol, l.Hostname)
		if first, dup := triples[triple]; dup {
			p.errorf(lp+".hostname", "%s already listens on port %d for %s with this hostname", first, l.Port, quote(l.Protocol))
		}
		triples[triple] = lp
		if l.Protocol == "HTTPS" {
			httpsPorts[l.Port] = true
		}
		l.validateHostname(p, lp)
		l.validateTLS(p, lp, gw.Namespace, certs)
		l.validateAllowedRoutes(p, lp)
	}
	for j := range gw.Listeners {
		l := &gw.Listeners[j]
		if !l.HTTPSRedirect {
			continue
		}
		lp := fmt.Sprintf("%s.listeners[%d].httpsRedirect", at, j)
		switch {
		case l.Protocol != "HTTP":
			p.errorf(lp, "a redirecting listener answers plain HTTP; it is %s", quote(l.Protocol))
		case len(httpsPorts) == 0:
			p.errorf(lp, "redirects to HTTPS, but the gateway has no HTTPS listener")
		case len(httpsPorts) > 1:
			p.errorf(lp, "redirects to HTTPS, but the gateway's HTTPS listeners are on %d ports; which one is ambiguous", len(httpsPorts))
		}
	}
}

// infrastructureKeys refuses label and annotation keys of a Gateway's
// infrastructure whose prefix is 253 characters long: Kubernetes allows
// it, but a rule of the Gateway API's Gateway CRD takes at most 252.
func infrastructureKeys(p *problems, at string, m map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if prefix, _, ok := strings.Cut(k, "/"); ok && len(prefix) >= 253 {
			p.errorf(at, "key %s: its prefix has %d characters; the Gateway API's Gateway takes at most 252 there", quote(k), len(prefix))
		}
	}
}

// moreAnnotationsFrom is the first Gateway API release whose Gateway CRD
// takes 16 infrastructure annotations; earlier ones take 8.
var moreAnnotationsFrom = semver.MustParse("v1.6.0")

// maxInfrastructureAnnotations is how many annotations the Gateway CRD of
// the spec's Gateway API release takes in spec.infrastructure.
func (g *GatewayAPI) maxInfrastructureAnnotations() int {
	if v, err := semver.NewVersion(g.Version); err == nil && v.LessThan(moreAnnotationsFrom) {
		return 8
	}
	return 16
}

// infrastructureFrom is the first Gateway API release whose
// standard-channel Gateway CRD has spec.infrastructure; earlier ones have
// it in the experimental channel only.
var infrastructureFrom = semver.MustParse("v1.2.0")

// checkInfrastructure refuses labels and annotations for a gateway whose
// Gateway CRD has no spec.infrastructure to write them into.
func (g *GatewayAPI) checkInfrastructure(p *problems, at string, gw *APIGateway) {
	v, err := semver.NewVersion(g.Version)
	if err != nil || !v.LessThan(infrastructureFrom) || g.Channel != GatewayAPIStandard {
		return
	}
	for _, f := range []struct {
		name string
		m    map[string]string
	}{{"labels", gw.Labels}, {"annotations", gw.Annotations}} {
		if len(f.m) > 0 {
			p.errorf(at+"."+f.name, "the Gateway of the Gateway API %s standard channel has no spec.infrastructure, where they go (standard from %s); install %s or later, or the experimental channel",
				g.Version, infrastructureFrom.Original(), infrastructureFrom.Original())
		}
	}
}

// annotationsFrom says, after a limit of 8 annotations, where the limit
// rises.
func annotationsFrom(limit int) string {
	if limit < 16 {
		return " before Gateway API " + moreAnnotationsFrom.Original()
	}
	return ""
}

// portFamily groups the listener protocols that can share a port: HTTPS
// and TLS listeners on one port are told apart by SNI.
func portFamily(protocol string) string {
	if protocol == "HTTPS" {
		return "TLS"
	}
	return protocol
}

// serviceType is the type of the gateway's Service.
func (gw *APIGateway) serviceType(class GatewayClass) string {
	if class.Service != nil && class.Service.Type != "" {
		return class.Service.Type
	}
	return or(gw.ServiceType, "LoadBalancer")
}

func (l *Listener) validateHostname(p *problems, lp string) {
	if l.Hostname == "" {
		return
	}
	if l.Protocol == "TCP" {
		p.errorf(lp+".hostname", "a TCP listener has no hostname; remove it")
		return
	}
	if _, err := netip.ParseAddr(l.Hostname); err == nil {
		p.errorf(lp+".hostname", "%s is an IP address; a listener's hostname is a DNS name", quote(l.Hostname))
		return
	}
	if strings.ToLower(l.Hostname) != l.Hostname || dnsName(strings.TrimPrefix(l.Hostname, "*.")) != nil {
		p.errorf(lp+".hostname", "%s is not a lower-case host name such as example.com or *.example.com", quote(l.Hostname))
	}
}

func (l *Listener) validateTLS(p *problems, lp, namespace string, certs map[string]string) {
	t := l.TLS
	if t == nil {
		if l.Protocol == "HTTPS" || l.Protocol == "TLS" {
			p.errorf(lp+".tls", "required for protocol %s", l.Protocol)
		}
		return
	}
	if l.Protocol == "HTTP" || l.Protocol == "TCP" {
		p.errorf(lp+".tls", "protocol %s takes no TLS; use HTTPS or TLS", l.Protocol)
	}
	oneOf(p, lp+".tls.mode", t.Mode, "Terminate", "Passthrough")
	switch {
	case t.Mode == "Passthrough" && l.Protocol == "HTTPS":
		p.errorf(lp+".tls.mode", "HTTPS terminates TLS; pass TLS through with protocol TLS")
	case t.Mode == "Passthrough" && len(t.CertificateRefs) > 0:
		p.errorf(lp+".tls.certificateRefs", "must be empty for Passthrough: the backend terminates TLS")
	case t.Mode == "Terminate" && len(t.CertificateRefs) == 0:
		p.errorf(lp+".tls.certificateRefs", "required for Terminate: the Secret with the listener's key and certificate")
	case len(t.CertificateRefs) > 64:
		p.errorf(lp+".tls.certificateRefs", "%d references: a listener takes at most 64", len(t.CertificateRefs))
	}
	for k := range t.CertificateRefs {
		ref := &t.CertificateRefs[k]
		rp := fmt.Sprintf("%s.tls.certificateRefs[%d]", lp, k)
		if ref.Name == "" {
			p.errorf(rp+".name", "required")
		} else {
			dns1123Subdomain(p, rp+".name", ref.Name)
		}
		dns1123Label(p, rp+".namespace", ref.Namespace)
		if c := ref.Certificate; c != nil {
			if len(c.DNSNames) == 0 {
				p.errorf(rp+".certificate.dnsNames", "required: the listener has no hostname to take them from")
			}
			c.validate(p, rp+".certificate", ref.Namespace, ref.Name, certs)
		}
	}
}

func (l *Listener) validateAllowedRoutes(p *problems, lp string) {
	a := l.AllowedRoutes
	if a == nil {
		return
	}
	ap := lp + ".allowedRoutes"
	oneOf(p, ap+".from", a.From, "Same", "All", "Selector")
	switch {
	case a.From == "Selector" && len(a.Selector) == 0:
		p.errorf(ap+".selector", "required for from: Selector: the labels of the namespaces whose routes may attach")
	case a.From != "Selector" && len(a.Selector) > 0:
		p.errorf(ap+".selector", "only applies to from: Selector")
	}
	labels(p, ap+".selector", a.Selector)
	seen := map[string]bool{}
	for k, kind := range a.Kinds {
		kp := fmt.Sprintf("%s.kinds[%d]", ap, k)
		allowed := routeKinds[l.Protocol]
		switch {
		case seen[kind]:
			p.errorf(kp, "duplicate kind %s", quote(kind))
		case allowed != nil && !slices.Contains(allowed, kind):
			p.errorf(kp, "%s: a %s listener takes %s", quote(kind), l.Protocol, strings.Join(allowed, " or "))
		}
		seen[kind] = true
	}
}

// validateWaypoint checks a namespace's waypoint.
func (s *Spec) validateWaypoint(p *problems, at string, n *Namespace, deployments map[string]string, tags map[string]bool) {
	w := n.Waypoint
	wp := at + ".waypoint"
	if !s.Ambient.Enabled {
		p.errorf(wp, "waypoints are ambient mode's: set spec.ambient.enabled (or profile ambient)")
	}
	gatewayAPIName(p, wp+".name", w.Name, "")
	deployment(p, deployments, wp+".name", n.Name, w.Name)
	oneOf(p, wp+".for", w.For, "service", "workload", "all", "none")
	s.checkRevision(p, wp+".revision", w.Revision, tags)
	if _, ok := n.Labels["istio.io/use-waypoint"]; ok {
		p.errorf(keyAt(at+".labels", "istio.io/use-waypoint"), "set by waypoint; remove one")
	}
	switch {
	case w.For == "none":
		p.warnf(wp+".for", "none: the waypoint handles no traffic, though the namespace is labelled to use it")
	case n.Injection != "ambient" && s.Ambient.Enabled:
		p.warnf(wp, "a waypoint serves ambient workloads; pods of %s join ambient only with injection: ambient or their own istio.io/dataplane-mode label", n.Name)
	}
}

// gatewayAPIName checks the name of a Gateway API gateway whose
// Deployment and Service are named name+suffix: a DNS-1123 label with
// room for the suffix.
func gatewayAPIName(p *problems, at, name, suffix string) {
	if len(name)+len(suffix) > 63 && len(name) <= 63 {
		p.errorf(at, "%s is too long: Istio names the gateway's Service %s%s, which must be at most 63 characters", quote(name), quote(name), suffix)
		return
	}
	dns1123Label(p, at, name)
}

// deployment records a gateway Deployment's name, rejecting a second
// gateway that deploys the same name in the same namespace.
func deployment(p *problems, deployments map[string]string, at, namespace, name string) {
	key := namespace + "/" + name
	if first, dup := deployments[key]; dup {
		p.errorf(at, "deploys %s, as %s does; rename one", quote(key), first)
		return
	}
	deployments[key] = at
}

// checkRevision warns about a revision that is neither a revision nor a
// tag of the spec.
func (s *Spec) checkRevision(p *problems, at, rev string, tags map[string]bool) {
	if rev != "" && !s.revisionNames()[rev] && !tags[rev] {
		p.warnf(at, "%s is neither a revision nor a revision tag of this spec; the gateway is managed only if another control plane serves it", quote(rev))
	}
}

// minorLine is the major.minor of a validated version such as 1.31.0.
func minorLine(version string) string {
	parts := strings.SplitN(strings.TrimPrefix(version, "v"), ".", 3)
	if len(parts) < 2 {
		return version
	}
	return parts[0] + "." + parts[1]
}
