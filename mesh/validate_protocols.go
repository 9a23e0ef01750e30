package mesh

import (
	"strings"

	"istio.io/istio/pkg/config/kube"
	"istio.io/istio/pkg/config/protocol"
	corev1 "k8s.io/api/core/v1"
)

// DeclaredProtocol is the protocol a Service port declares to Istio
// through its appProtocol or the prefix of its name (<protocol> or
// <protocol>-<suffix>), by Istio's own rules; "" when it declares none, so
// that Istio detects the protocol from the traffic.
func DeclaredProtocol(portName string, appProtocol *string) string {
	// Port 0 is not one of the ports Istio treats as TCP without a name.
	p := kube.ConvertProtocol(0, portName, corev1.ProtocolTCP, appProtocol)
	if p.IsUnsupported() {
		return ""
	}
	return string(p)
}

// ProtocolFits reports whether clients that take a port to speak the
// declared protocol (see DeclaredProtocol) reach a gateway server of the
// given protocol intact: HTTP servers take any HTTP (a gateway's HTTP
// listener accepts HTTP/1.1 and HTTP/2), HTTP2 and GRPC servers only
// HTTP/2 (gRPC sent as HTTP/1.1 fails), HTTPS and TLS servers only TLS,
// and TCP servers only opaque TCP. A port that declares nothing fits.
func ProtocolFits(server, declared string) bool {
	if declared == "" {
		return true
	}
	d := protocol.Instance(declared)
	switch protocol.Parse(server) {
	case protocol.HTTP:
		return d.IsHTTP()
	case protocol.HTTP2, protocol.GRPC:
		return d.IsHTTP2()
	case protocol.HTTPS, protocol.TLS:
		return d.IsTLS()
	case protocol.TCP:
		return d.IsTCP() && !d.IsTLS()
	}
	return true
}

// serverName checks that a server's name, which names its Service port,
// does not declare another protocol than the server speaks.
func serverName(p *problems, sp string, sv *Server) {
	declared := DeclaredProtocol(sv.Name, nil)
	if ProtocolFits(sv.Protocol, declared) {
		return
	}
	lower := strings.ToLower(sv.Protocol)
	p.errorf(sp+".name", "%s tells clients in the mesh that port %d speaks %s (Istio reads a port's protocol from its name), but the server speaks %s; name it %s or %s-<suffix>",
		quote(sv.Name), sv.Port, declared, sv.Protocol, lower, lower)
}
