package mesh

import "fmt"

// validatePortNames checks that the servers of all of a gateway's Gateway
// objects give each Service port name to one port. A server's name names
// its port's Service port (unless the chart or service.ports name that
// port, or the name is one of the chart's, which render replaces), and a
// Service takes each port name once: the same name on two ports, or the
// name of one of service.ports on another port, would be refused.
func (g *Gateway) validatePortNames(p *problems, at string) {
	type use struct {
		port int32
		at   string
	}
	names := map[string]use{}
	own := map[int32]bool{}
	for i, sp := range g.Service.Ports {
		names[sp.Name] = use{sp.Port, fmt.Sprintf("%s.service.ports[%d]", at, i)}
		own[sp.Port] = true
	}
	chartNames := map[string]bool{}
	for _, name := range chartServicePorts {
		chartNames[name] = true
	}
	visit := func(sp string, sv *Server) {
		if chartServicePorts[sv.Port] != "" || own[sv.Port] || chartNames[sv.Name] {
			return
		}
		u, ok := names[sv.Name]
		switch {
		case !ok:
			names[sv.Name] = use{sv.Port, sp}
		case u.port != sv.Port:
			p.errorf(sp+".name", "%s also names port %d (%s), and a server's name names its port in the gateway's Service, which takes each name once; give one of them another name",
				quote(sv.Name), u.port, u.at)
		}
	}
	for j := range g.Servers {
		visit(fmt.Sprintf("%s.servers[%d]", at, j), &g.Servers[j])
	}
	for k := range g.Objects {
		for j := range g.Objects[k].Servers {
			visit(fmt.Sprintf("%s.objects[%d].servers[%d]", at, k, j), &g.Objects[k].Servers[j])
		}
	}
}
