package mesh

import (
	"fmt"
	"strings"
)

// setGatewayAPIDefaults fills in the Gateway API settings, gateways and
// waypoints.
func (s *Spec) setGatewayAPIDefaults() {
	g := &s.GatewayAPI
	if g.CRDs != "" {
		g.Channel = or(g.Channel, GatewayAPIStandard)
		g.Version = or(g.Version, DefaultGatewayAPIVersion)
	}
	for i := range g.Gateways {
		g.Gateways[i].setDefaults(s)
	}
	for i := range s.Namespaces {
		if w := s.Namespaces[i].Waypoint; w != nil {
			w.Name = or(w.Name, "waypoint")
			w.For = or(w.For, "service")
			w.Revision = or(w.Revision, s.Revision)
		}
	}
}

func (gw *APIGateway) setDefaults(s *Spec) {
	gw.Namespace = or(gw.Namespace, s.RootNamespace)
	gw.Revision = or(gw.Revision, s.Revision)
	for j := range gw.Listeners {
		l := &gw.Listeners[j]
		if l.TLS != nil {
			l.TLS.Mode = or(l.TLS.Mode, "Terminate")
		}
		if l.Protocol == "" {
			switch {
			case l.TLS == nil:
				l.Protocol = "HTTP"
			case l.TLS.Mode == "Passthrough":
				l.Protocol = "TLS"
			default:
				l.Protocol = "HTTPS"
			}
		}
		l.Protocol = strings.ToUpper(l.Protocol)
		if l.Port == 0 {
			switch l.Protocol {
			case "HTTP":
				l.Port = 80
			case "HTTPS", "TLS":
				l.Port = 443
			}
		}
		if l.Name == "" {
			l.Name = uniqueListenerName(fmt.Sprintf("%s-%d", strings.ToLower(l.Protocol), l.Port), gw.Listeners, j)
		}
		if a := l.AllowedRoutes; a != nil {
			a.From = or(a.From, "Same")
		}
		if l.TLS == nil {
			continue
		}
		for k := range l.TLS.CertificateRefs {
			ref := &l.TLS.CertificateRefs[k]
			ref.Namespace = or(ref.Namespace, gw.Namespace)
			if c := ref.Certificate; c != nil {
				c.Name = or(c.Name, ref.Name)
				c.setDefaults()
				if len(c.DNSNames) == 0 && l.Hostname != "" {
					c.DNSNames = []string{l.Hostname}
				}
			}
		}
	}
}

// uniqueListenerName returns base, or base-2, base-3 and so on, whichever
// no other listener of the gateway is named.
func uniqueListenerName(base string, listeners []Listener, j int) string {
	taken := func(name string) bool {
		for i := range listeners {
			if i != j && listeners[i].Name == name {
				return true
			}
		}
		return false
	}
	name := base
	for n := 2; taken(name); n++ {
		name = fmt.Sprintf("%s-%d", base, n)
	}
	return name
}
