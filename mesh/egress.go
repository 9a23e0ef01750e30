package mesh

import (
	"fmt"
	"strings"
)

// EgressHost is one external service workloads may call: a
// networking.istio.io ServiceEntry (location MESH_EXTERNAL) named
// egress-<host> in the root namespace and, with Gateway, Istio's
// egress-gateway pattern (a Gateway and a VirtualService named
// egress-<host> and a DestinationRule egress-<gateway> in the gateway's
// namespace), so that the calls leave the mesh through that gateway.
type EgressHost struct {
	// Host is the external DNS name, e.g. api.stripe.com, or a wildcard
	// such as *.googleapis.com (which needs resolution NONE and cannot go
	// through a gateway).
	Host string `json:"host"`
	// Ports the host is called on. Default: 443 with protocol TLS.
	Ports []EgressPort `json:"ports,omitempty"`
	// Resolution of the host's addresses: DNS (default for a name) or
	// DNS_ROUND_ROBIN, which resolve it in the proxy, or NONE (default for
	// a wildcard), which passes the connection on to the address the
	// application resolved.
	Resolution string `json:"resolution,omitempty"`
	// Gateway is the name of an egress gateway of spec.gateways that the
	// calls leave through. Only HTTP and TLS ports can be routed, and each
	// must be a port of the gateway's Service. Empty: proxies call the
	// host directly.
	Gateway string `json:"gateway,omitempty"`
}

// EgressPort is a port of an external host.
type EgressPort struct {
	// Port number, 1-65535.
	Port int32 `json:"port"`
	// Protocol: TLS (default for 443, and HTTPS is the same here), HTTP
	// (default for 80), HTTP2, GRPC or TCP (default otherwise). A TCP port
	// is matched by address, so with sidecars it needs DNS capture; see
	// the day-two guide.
	Protocol string `json:"protocol,omitempty"`
	// Name of the port in the ServiceEntry. Default: <protocol>-<port>,
	// e.g. tls-443.
	Name string `json:"name,omitempty"`
}

// GatewayProtocol is the Gateway server protocol that carries the port
// through an egress gateway: HTTP stays HTTP, TLS and HTTPS pass through
// as TLS.
func (p EgressPort) GatewayProtocol() string {
	if p.Protocol == "HTTP" {
		return "HTTP"
	}
	return "TLS"
}

// EgressName names the objects rendered for an external host:
// egress-<host>, a wildcard's "*" spelled "wildcard".
func (e *EgressHost) EgressName() string {
	return "egress-" + strings.Replace(e.Host, "*", "wildcard", 1)
}

// isWildcard reports whether the host is a wildcard such as *.example.com.
func (e *EgressHost) isWildcard() bool { return strings.HasPrefix(e.Host, "*") }

// setDefaults fills in the ports, their protocols and names, and the
// resolution.
func (e *EgressHost) setDefaults() {
	e.Host = strings.ToLower(e.Host)
	if len(e.Ports) == 0 {
		e.Ports = []EgressPort{{Port: 443}}
	}
	for i := range e.Ports {
		p := &e.Ports[i]
		if p.Protocol == "" {
			switch p.Port {
			case 443:
				p.Protocol = "TLS"
			case 80:
				p.Protocol = "HTTP"
			default:
				p.Protocol = "TCP"
			}
		}
		p.Protocol = strings.ToUpper(p.Protocol)
		if p.Name == "" {
			p.Name = fmt.Sprintf("%s-%d", strings.ToLower(p.Protocol), p.Port)
		}
	}
	if e.Resolution == "" {
		e.Resolution = "DNS"
		if e.isWildcard() {
			e.Resolution = "NONE"
		}
	}
}
