package mesh

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

var (
	egressProtocols   = []string{"TLS", "HTTPS", "HTTP", "HTTP2", "GRPC", "TCP"}
	egressResolutions = []string{"DNS", "DNS_ROUND_ROBIN", "NONE"}
)

// validateEgress checks the external hosts against each other and the
// gateways they are routed through, and warns when REGISTRY_ONLY leaves
// nothing outside the mesh reachable.
func (s *Spec) validateEgress(p *problems, gateways map[string]*Gateway) {
	mc := &s.Mesh
	if mc.OutboundTrafficPolicy == "REGISTRY_ONLY" && len(mc.Egress) == 0 && !s.IsRemote() {
		p.warnf("spec.mesh.egress", "outbound traffic is REGISTRY_ONLY and no external host is allowed: every call to a service outside the mesh fails; list the hosts workloads call, e.g. egress: [{host: api.example.com}]")
	}
	hosts := map[string]string{}
	subsets := map[string]string{}
	names := map[string]int{}
	for i := range mc.Egress {
		e := &mc.Egress[i]
		at := fmt.Sprintf("spec.mesh.egress[%d]", i)
		s.validateEgressHost(p, at, e, hosts)
		validateEgressName(p, mc.Egress, i, names)
		if e.Gateway != "" {
			s.validateEgressRoute(p, at, e, gateways, subsets)
		}
	}
}

// validateEgressHost checks one host, its ports and its resolution.
func (s *Spec) validateEgressHost(p *problems, at string, e *EgressHost, hosts map[string]string) {
	switch {
	case e.Host == "":
		p.errorf(at+".host", "required: the external DNS name, e.g. api.example.com")
	case e.Host == "*":
		p.errorf(at+".host", "\"*\" would allow every host; use outboundTrafficPolicy ALLOW_ANY instead")
	case dnsName(strings.TrimPrefix(e.Host, "*.")) != nil:
		p.errorf(at+".host", "%s is not a host such as api.example.com or *.example.com", quote(e.Host))
	case len(e.EgressName()) > validation.DNS1123SubdomainMaxLength:
		p.errorf(at+".host", "%s is too long for the object name %s", quote(e.Host), quote(e.EgressName()))
	case strings.HasSuffix(e.Host, ".svc.cluster.local"):
		p.warnf(at+".host", "%s looks like a host inside the cluster; egress is for services outside the mesh", quote(e.Host))
	}
	if first, dup := hosts[e.Host]; dup && e.Host != "" {
		p.errorf(at+".host", "duplicate host %s (first at %s)", quote(e.Host), first)
	}
	hosts[e.Host] = at
	oneOf(p, at+".resolution", e.Resolution, egressResolutions...)
	if e.isWildcard() && e.Resolution != "NONE" {
		p.errorf(at+".resolution", "%s cannot resolve the wildcard host %s; use NONE", e.Resolution, quote(e.Host))
	}
	numbers := map[int32]string{}
	names := map[string]string{}
	for j, port := range e.Ports {
		pp := fmt.Sprintf("%s.ports[%d]", at, j)
		if port.Port < 1 || port.Port > 65535 {
			p.errorf(pp+".port", "%d is not a port number (1-65535)", port.Port)
		} else if first, dup := numbers[port.Port]; dup {
			p.errorf(pp+".port", "duplicate port %d (first at %s)", port.Port, first)
		}
		numbers[port.Port] = pp
		oneOf(p, pp+".protocol", port.Protocol, egressProtocols...)
		dns1123Label(p, pp+".name", port.Name)
		if first, dup := names[port.Name]; dup {
			p.errorf(pp+".name", "duplicate port name %s (first at %s)", quote(port.Name), first)
		}
		names[port.Name] = pp
		if port.Protocol == "TCP" && e.Gateway == "" {
			p.warnf(pp+".protocol", "a TCP port is matched by address, not by host: sidecars reach %s on it only with DNS capture on (proxy metadata ISTIO_META_DNS_CAPTURE), which resolves the host to the address Istio allocates", quote(e.Host))
		}
	}
}

// validateEgressName refuses a host whose objects would take the name of
// an earlier host's: *.example.com and wildcard.example.com, since a
// wildcard's "*" is spelled "wildcard" in names. names maps the names
// seen so far to their host's index.
func validateEgressName(p *problems, egress []EgressHost, i int, names map[string]int) {
	e := &egress[i]
	name := e.EgressName()
	j, dup := names[name]
	if !dup {
		names[name] = i
		return
	}
	other := &egress[j]
	if other.Host == e.Host {
		return // a duplicate host, reported as such
	}
	wildcard, host := e, other
	if other.isWildcard() {
		wildcard, host = other, e
	}
	p.errorf(fmt.Sprintf("spec.mesh.egress[%d].host", i), "%s and %s (spec.mesh.egress[%d].host) would both name their objects %s; %s already matches %s: list its ports there and leave %s out",
		quote(e.Host), quote(other.Host), j, quote(name), quote(wildcard.Host), quote(host.Host), quote(host.Host))
}

// validateEgressRoute checks a host routed through an egress gateway: the
// gateway exists and is an egress gateway, the host is not a wildcard, and
// every port is an HTTP or TLS port the gateway's Service exposes.
func (s *Spec) validateEgressRoute(p *problems, at string, e *EgressHost, gateways map[string]*Gateway, subsets map[string]string) {
	g, ok := gateways[e.Gateway]
	switch {
	case !ok:
		p.errorf(at+".gateway", "%s is not an enabled gateway of spec.gateways", quote(e.Gateway))
		return
	case g.Kind != "egress":
		p.errorf(at+".gateway", "%s is an %s gateway; route egress through a gateway of kind egress", quote(e.Gateway), g.Kind)
		return
	}
	if e.isWildcard() {
		p.errorf(at+".gateway", "a wildcard host cannot be routed through a gateway, which must know the host to connect to; list the hosts")
	}
	if s.Ambient.Enabled {
		// Sidecars may run beside ambient workloads, so the route still
		// serves them: a warning, not an error.
		p.warnf(at+".gateway", "in ambient mode only sidecars and waypoints apply the VirtualService that sends %s's calls to the gateway: ztunnel does not, so workloads in ambient namespaces call the host directly, past the gateway; only sidecar-injected workloads leave through it (ambient egress goes through a waypoint, which this spec does not render)", quote(e.Host))
	}
	gwName := e.GatewayObjectName()
	if k, taken := s.gatewayObjectNamed(g.Namespace, gwName); taken {
		p.errorf(at+".host", "spec.gateways[%d] renders a Gateway object of the same name, %s, in %s", k, quote(gwName), quote(g.Namespace))
	}
	if first, dup := subsets["Gateway "+g.Namespace+"/"+gwName]; dup {
		p.errorf(at+".host", "renders its Gateway object under the same name %s as %s; rename one host", quote(gwName), first)
	}
	subsets["Gateway "+g.Namespace+"/"+gwName] = at
	subset := e.SubsetName()
	if first, dup := subsets[g.Name+"/"+subset]; dup {
		p.errorf(at+".host", "routes through %s under the same subset name %s as %s; rename one host", quote(g.Name), quote(subset), first)
	}
	subsets[g.Name+"/"+subset] = at
	exposed := g.servicePorts()
	served := g.servedTLSHosts(s.gatewayAt(g), nil)
	for j, port := range e.Ports {
		pp := fmt.Sprintf("%s.ports[%d]", at, j)
		switch port.Protocol {
		case "HTTP", "TLS", "HTTPS":
		default:
			p.errorf(pp+".protocol", "%s cannot be routed through a gateway by host; only HTTP and TLS ports can", port.Protocol)
			continue
		}
		if !exposed[port.Port] {
			p.errorf(pp+".port", "%d is not a port of gateway %s's Service; add it to its service.ports", port.Port, quote(g.Name))
		}
		for _, sv := range g.AllServers() {
			if sv.Port == port.Port && port.GatewayProtocol() != sv.Protocol {
				p.errorf(pp+".protocol", "port %d is %s in gateway %s; one port serves one protocol", port.Port, quote(sv.Protocol), quote(g.Name))
				break
			}
		}
		// The route's Gateway object passes TLS through on the gateway's
		// pods, beside the gateway's own servers (see validateTLSHosts).
		if first, ok := served[tlsHost{port.Port, e.Host}]; ok && port.GatewayProtocol() == "TLS" {
			p.errorf(pp+".port", "%s is also served with TLS settings on port %d by %s: istiod keeps one of the two servers for a host and port and skips the other, with its routes; route the host through the gateway or serve it there, not both", quote(e.Host), port.Port, first)
		}
	}
}

// GatewayObjectName names the Gateway object that opens the host on its
// egress gateway. istiod refuses a Gateway whose name is not a DNS-1123
// label, so it is egress-<host> with the host's dots as dashes, cut to 63
// characters.
func (e *EgressHost) GatewayObjectName() string {
	name := "egress-" + e.SubsetName()
	if len(name) > validation.DNS1123LabelMaxLength {
		name = strings.TrimRight(name[:validation.DNS1123LabelMaxLength], "-")
	}
	return name
}

// SubsetName names the host's subset in the egress gateway's
// DestinationRule: its labels joined by dashes, cut to 63 characters.
func (e *EgressHost) SubsetName() string {
	name := strings.ReplaceAll(e.Host, ".", "-")
	if len(name) > validation.DNS1123LabelMaxLength {
		name = strings.TrimRight(name[:validation.DNS1123LabelMaxLength], "-")
	}
	return name
}

// servicePorts are the port numbers a gateway's Service exposes: the
// chart's 80 and 443, the Service's extra ports and the ports of the
// servers of all its Gateway objects.
func (g *Gateway) servicePorts() map[int32]bool {
	out := map[int32]bool{80: true, 443: true}
	for _, sp := range g.Service.Ports {
		out[sp.Port] = true
	}
	for _, sv := range g.AllServers() {
		out[sv.Port] = true
	}
	return out
}

// gatewayObjectNamed reports the enabled gateway, by index, that renders a
// networking.istio.io Gateway object of this name in this namespace: its
// own (when it has servers) or one of its objects.
func (s *Spec) gatewayObjectNamed(namespace, name string) (int, bool) {
	for k := range s.Gateways {
		g := &s.Gateways[k]
		if !g.IsEnabled() || g.Namespace != namespace {
			continue
		}
		if len(g.Servers) > 0 && g.ResourceName == name {
			return k, true
		}
		for _, o := range g.Objects {
			if o.Name == name {
				return k, true
			}
		}
	}
	return 0, false
}

// gatewayAt is the field path of an enabled gateway of spec.gateways.
func (s *Spec) gatewayAt(g *Gateway) string {
	for i := range s.Gateways {
		if &s.Gateways[i] == g {
			return fmt.Sprintf("spec.gateways[%d]", i)
		}
	}
	return "spec.gateways"
}
