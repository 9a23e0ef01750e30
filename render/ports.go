package render

import (
	"fmt"
	"strings"

	"github.com/istio-render/istio-render/mesh"
)

// servicePorts are a gateway Service's ports when the chart's own are
// wrong or incomplete, nil when they serve every server. The chart names
// port 80 http2 and port 443 https; Istio reads a port's protocol from its
// name, so a server of another protocol on either port gets a name that
// says its own (chartPortName). Servers on other ports get ports of their
// own (extraPorts).
func servicePorts(g *mesh.Gateway) []any {
	extra := extraPorts(g)
	http2, https := chartPortName(g, 80, "http2"), chartPortName(g, 443, "https")
	if len(extra) == 0 && http2 == "http2" && https == "https" {
		return nil
	}
	ports := []any{
		map[string]any{"name": "status-port", "port": int64(15021), "protocol": "TCP", "targetPort": int64(15021)},
		map[string]any{"name": http2, "port": int64(80), "protocol": "TCP", "targetPort": int64(80)},
		map[string]any{"name": https, "port": int64(443), "protocol": "TCP", "targetPort": int64(443)},
	}
	return append(ports, extra...)
}

// chartPortName is the chart's name for one of its ports, unless a server
// on that port, in any Gateway object of the gateway, speaks a protocol
// the name contradicts: then <protocol>-<port>.
func chartPortName(g *mesh.Gateway, port int32, name string) string {
	for _, sv := range g.AllServers() {
		if sv.Port == port && !mesh.ProtocolFits(sv.Protocol, mesh.DeclaredProtocol(name, nil)) {
			return fmt.Sprintf("%s-%d", strings.ToLower(sv.Protocol), port)
		}
	}
	return name
}
