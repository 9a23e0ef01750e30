package mesh

import (
	"fmt"
	"strings"
)

// tlsHost is a host a gateway serves with TLS settings on a port, spelled
// as istiod compares it.
type tlsHost struct {
	port int32
	host string
}

// validateTLSHosts refuses two servers of a gateway that serve one host
// with TLS settings on one port, across its servers and its objects. istiod
// merges every Gateway object that selects the same pods and, for servers
// with TLS settings (an HTTPS redirect is one: Istio keeps it in the
// server's tls), keeps the first server of a host and port and skips the
// next with a log line only (pilot/pkg/model/gateway.go, mergeGateways and
// CheckDuplicates): the skipped server's credential and routes never reach
// the gateway. Which one istiod keeps depends on the order it merges the
// objects in, so both are named.
func (g *Gateway) validateTLSHosts(p *problems, at string) {
	g.servedTLSHosts(at, func(field, first, host string, port int32) {
		p.errorf(field, "%s is also served with TLS settings on port %d by %s: istiod keeps one of the two servers for a host and port and skips the other, with its credential and routes; serve the host from one server", quote(host), port, first)
	})
}

// servedTLSHosts walks the gateway's servers with TLS settings in order,
// its own servers first, then its objects', and returns the field path of
// the host that serves each host and port first. dup, unless nil, is
// called for each host a later server repeats; like istiod, such a server
// adds none of its hosts.
func (g *Gateway) servedTLSHosts(at string, dup func(field, first, host string, port int32)) map[tlsHost]string {
	first := map[tlsHost]string{}
	add := func(sp string, sv *Server) {
		if sv.TLS == nil && !sv.HTTPSRedirect {
			return
		}
		type entry struct {
			key   tlsHost
			field string
			host  string
		}
		var entries []entry
		for k, h := range sv.Hosts {
			field := fmt.Sprintf("%s.hosts[%d]", sp, k)
			if h == "*/*" {
				// istiod replaces the server's hosts with "*".
				entries = []entry{{tlsHost{sv.Port, "*"}, field, h}}
				break
			}
			entries = append(entries, entry{tlsHost{sv.Port, istioServerHost(g.Namespace, h)}, field, h})
		}
		repeated := false
		for _, e := range entries {
			if f, ok := first[e.key]; ok {
				repeated = true
				if dup != nil {
					dup(e.field, f, e.host, sv.Port)
				}
			}
		}
		if repeated {
			return
		}
		for _, e := range entries {
			first[e.key] = e.field
		}
	}
	for j := range g.Servers {
		add(fmt.Sprintf("%s.servers[%d]", at, j), &g.Servers[j])
	}
	for k := range g.Objects {
		o := &g.Objects[k]
		for j := range o.Servers {
			add(fmt.Sprintf("%s.objects[%d].servers[%d]", at, k, j), &o.Servers[j])
		}
	}
	return first
}

// istioServerHost spells a Gateway server's host as istiod compares hosts
// (pilot/pkg/model/gateway.go, sanitizeServerHostNamespace): "." is the
// Gateway object's namespace, "*/" is dropped, any other namespace stays.
func istioServerHost(namespace, h string) string {
	ns, host, ok := strings.Cut(h, "/")
	switch {
	case !ok:
		return h
	case ns == ".":
		return namespace + "/" + host
	case ns == "*":
		return host
	}
	return h
}
