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
			l.Name = uniqueName(fmt.Sprintf("%s-%d", strings.ToLower(l.Protocol), l.Port), gw.Listeners, j, func(l *Listener) string { return l.Name })
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
