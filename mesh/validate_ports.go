package mesh

import "fmt"

// chartServicePorts are the ports the gateway chart's Service always has,
// by number, with their names.
var chartServicePorts = map[int32]string{15021: "status-port", 80: "http2", 443: "https"}

// validateServicePorts checks a gateway's extra Service ports: valid and
// unique names and numbers, none the chart's own. A server on one of these
// ports is exposed by it, under its name.
func (g *Gateway) validateServicePorts(p *problems, at string) {
	names := map[string]string{}
	numbers := map[int32]string{}
	for _, name := range chartServicePorts {
		names[name] = "the gateway chart"
	}
	for i, sp := range g.Service.Ports {
		pp := fmt.Sprintf("%s[%d]", at, i)
		dns1123Label(p, pp+".name", sp.Name)
		if first, dup := names[sp.Name]; dup {
			p.errorf(pp+".name", "%s is already a port of %s", quote(sp.Name), first)
		}
		names[sp.Name] = pp
		switch {
		case sp.Port < 1 || sp.Port > 65535:
			p.errorf(pp+".port", "%d is not a port number (1-65535)", sp.Port)
		case chartServicePorts[sp.Port] != "":
			p.errorf(pp+".port", "%d is already the chart's port %s", sp.Port, chartServicePorts[sp.Port])
		case numbers[sp.Port] != "":
			p.errorf(pp+".port", "%d is also %s", sp.Port, numbers[sp.Port])
		}
		numbers[sp.Port] = pp
		g.servicePortFits(p, pp, sp)
	}
}

// servicePortFits checks that the name of one of the gateway's own
// Service ports, which exposes the servers on its port under that name,
// declares no protocol those servers cannot take (Istio reads a port's
// protocol from its name).
func (g *Gateway) servicePortFits(p *problems, pp string, sp ServicePort) {
	declared := DeclaredProtocol(sp.Name, nil)
	for _, sv := range g.AllServers() {
		if sv.Port != sp.Port || ProtocolFits(sv.Protocol, declared) {
			continue
		}
		p.errorf(pp+".name", "%s tells clients in the mesh that port %d speaks %s (Istio reads a port's protocol from its name), but the gateway's server on that port speaks %s; name the port for its protocol, or without one",
			quote(sp.Name), sp.Port, declared, sv.Protocol)
		return
	}
}
