package mesh

import (
	"fmt"
	"net"
	"strings"
)

var models = []string{ModelMultiPrimary, ModelPrimaryRemote, ModelRemote}

// eastWestObjects are the Gateway objects rendered beside the east-west
// gateway, in its namespace.
var eastWestObjects = []string{"cross-network-gateway", "istiod-gateway"}

// validateMulticluster checks the model against the identity it needs, the
// east-west gateway, and what a remote cluster cannot have.
func (s *Spec) validateMulticluster(p *problems, gateways map[string]*Gateway) {
	m := s.Multicluster
	if m == nil {
		return
	}
	oneOf(p, "spec.multicluster.model", m.Model, models...)
	if s.Mesh.MeshID == "" {
		p.errorf("spec.mesh.meshID", "required with spec.multicluster: every cluster of the mesh carries the same mesh ID")
	}
	if s.Mesh.ClusterName == "" {
		p.errorf("spec.mesh.clusterName", "required with spec.multicluster: the name this cluster has in the mesh")
	}
	if s.Ambient.Enabled {
		p.errorf("spec.multicluster", "not supported in ambient mode, whose multi-cluster support is alpha and uses another kind of east-west gateway")
	}
	if g := m.EastWestGateway; g != nil {
		s.validateEastWest(p, g, gateways)
	}
	switch m.Model {
	case ModelPrimaryRemote:
		if m.EastWestGateway == nil {
			p.errorf("spec.multicluster.eastWestGateway", "required with model primary-remote: remote clusters reach istiod through it")
		}
	case ModelRemote:
		s.validateRemote(p)
	}
	if m.DiscoveryAddress != "" && m.Model != ModelRemote {
		p.errorf("spec.multicluster.discoveryAddress", "only with model remote: a primary runs istiod itself")
	}
	for i := range s.Namespaces {
		n := &s.Namespaces[i]
		if v, ok := n.Labels[NetworkLabel]; ok && n.Name == s.RootNamespace && s.Mesh.Network != "" && v != s.Mesh.Network {
			p.errorf(keyAt(fmt.Sprintf("spec.namespaces[%d].labels", i), NetworkLabel), "%s differs from spec.mesh.network %s, which istio-render labels the root namespace with", quote(v), quote(s.Mesh.Network))
		}
	}
}

// validateEastWest checks the east-west gateway: a network to label it
// with, a name no other gateway takes, and no Service ports of its own.
func (s *Spec) validateEastWest(p *problems, g *EastWestGateway, gateways map[string]*Gateway) {
	at := "spec.multicluster.eastWestGateway"
	if s.Mesh.Network == "" {
		p.errorf("spec.mesh.network", "required with an east-west gateway: the network it connects this cluster's workloads to")
	}
	dns1123Label(p, at+".name", g.Name)
	dns1123Label(p, at+".namespace", g.Namespace)
	gw := g.Gateway()
	istio := gw.SelectorLabels()["istio"]
	for i := range s.Gateways {
		o := &s.Gateways[i]
		if !o.IsEnabled() {
			continue
		}
		switch {
		case o.Name == g.Name:
			p.errorf(at+".name", "%s is also the name of spec.gateways[%d]", quote(g.Name), i)
		case o.SelectorLabels()["istio"] == istio:
			p.errorf(at+".name", "selects the same pods as spec.gateways[%d] (istio: %s); rename one of them", i, quote(istio))
		}
	}
	for _, name := range eastWestObjects {
		if i, taken := s.gatewayObjectNamed(g.Namespace, name); taken {
			p.errorf(fmt.Sprintf("spec.gateways[%d]", i), "renders a Gateway object named %s, which is also the name of one rendered beside the east-west gateway in %s", quote(name), quote(g.Namespace))
		}
	}
	if len(g.Service.Ports) > 0 {
		p.errorf(at+".service.ports", "the east-west gateway's ports are the chart's network ports (15021, 15443, 15012, 15017)")
	}
	gw.validateService(p, at+".service")
	gw.Workload.validate(p, at, "the east-west gateway", "gateway "+g.Name)
}

// validateRemote checks what a remote cluster needs and refuses what only
// a cluster with istiod can have.
func (s *Spec) validateRemote(p *problems) {
	m := s.Multicluster
	// The cluster name and network are segments of the injection webhooks'
	// path, /inject/cluster/<clusterName>/net/<network>, which the API
	// server takes as lowercase DNS-1123 subdomains only.
	if s.Mesh.ClusterName != "" {
		dns1123Subdomain(p, "spec.mesh.clusterName", s.Mesh.ClusterName)
	}
	if s.Mesh.Network != "" {
		dns1123Subdomain(p, "spec.mesh.network", s.Mesh.Network)
	}
	switch a := m.DiscoveryAddress; {
	case a == "":
		p.errorf("spec.multicluster.discoveryAddress", "required with model remote: the address of the primary's east-west gateway, where this cluster reaches istiod")
	case net.ParseIP(a) == nil && dnsName(a) != nil:
		p.errorf("spec.multicluster.discoveryAddress", "%s is neither an IP address nor a host name", quote(a))
	}
	switch {
	case s.Canary != nil:
		p.errorf("spec.canary", "a remote cluster runs no istiod, so no canary of it either; upgrade the primary's control plane instead")
	case len(s.Revisions) > 1:
		p.errorf("spec.revisions", "a remote cluster runs no istiod, so no second control plane either; upgrade the primary's control plane instead")
	}
	if s.Mesh.CA.Type != CAIstiod {
		p.errorf("spec.mesh.ca.type", "%s on a remote cluster: its workloads get their certificates from the primary's istiod; set the CA in the primary's spec", quote(s.Mesh.CA.Type))
	}
	if s.Mesh.Scope.DiscoverySelectors {
		p.errorf("spec.mesh.scope.discoverySelectors", "a remote cluster has no mesh config of its own; set discovery selectors in the primary's spec")
	}
	var unread []string
	for _, f := range []struct {
		set  bool
		name string
	}{
		{s.Mesh.MTLS != "", "spec.mesh.mtls"},
		{s.Mesh.OutboundTrafficPolicy != "", "spec.mesh.outboundTrafficPolicy"},
		{s.Mesh.AccessLogFile != "", "spec.mesh.accessLogFile"},
		{s.Mesh.Tracing != nil, "spec.mesh.tracing"},
		{len(s.Mesh.ExtensionProviders) > 0, "spec.mesh.extensionProviders"},
		{len(s.Mesh.Egress) > 0, "spec.mesh.egress"},
		{s.Mesh.Scope.Sidecar, "spec.mesh.scope.sidecar"},
		{s.hasGatewayServers(), "spec.gateways[].servers"},
		{s.hasNamespacePolicy(), "spec.namespaces[] mtls, clientMTLS, authorization or scope"},
	} {
		if f.set {
			unread = append(unread, f.name)
		}
	}
	if len(unread) > 0 {
		p.warnf("spec.multicluster.model", "a remote cluster's workloads are configured by the primary's istiod, which reads Istio configuration and the mesh config from the primary cluster only: nothing reads what these render here: %s; set them in the primary's spec", strings.Join(unread, ", "))
	}
	cp := &s.ControlPlane
	if cp.LogLevel != "" || cp.Replicas != nil || cp.Autoscale != nil || cp.Resources != nil || len(cp.TopologySpread) > 0 || cp.AntiAffinity != "" || !cp.Scheduling.IsZero() {
		p.warnf("spec.controlPlane", "unused: a remote cluster runs no istiod")
	}
}

func (s *Spec) hasGatewayServers() bool {
	for i := range s.Gateways {
		if g := &s.Gateways[i]; g.IsEnabled() && len(g.Servers) > 0 {
			return true
		}
	}
	return false
}

func (s *Spec) hasNamespacePolicy() bool {
	for _, n := range s.Namespaces {
		if n.MTLS != "" || n.ClientMTLS || n.Authorization != nil || n.Scope != nil {
			return true
		}
	}
	return false
}
