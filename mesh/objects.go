package mesh

import "slices"

// ObjectSelector is the selector of one of the gateway's additional
// Gateway objects: its own, or the gateway's.
func (g *Gateway) ObjectSelector(o *GatewayObject) map[string]string {
	if len(o.Selector) > 0 {
		return o.Selector
	}
	return g.GatewaySelector()
}

// AllServers lists the servers of every Gateway object of the gateway,
// its own servers first.
func (g *Gateway) AllServers() []Server {
	out := slices.Clone(g.Servers)
	for k := range g.Objects {
		out = append(out, g.Objects[k].Servers...)
	}
	return out
}
