package conformance_test

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/istio-render/istio-render/mesh"
)

// platform generates the cluster-wide day-two settings: the platform, a
// compatibility version older than every control plane's, image pull
// Secrets, Pod Security labels (only with the CNI agent, which sidecars
// then need no privilege without), NetworkPolicies, and where the node
// agents run.
func (d *draft) platform() {
	if d.chance(0.3) {
		d.s.Platform = d.enum("spec.platform")
	}
	if d.chance(0.2) {
		// The embedded charts carry the profiles of 1.25 to 1.30, the
		// other line's charts those before their own.
		versions := []string{"1.25", "1.27", "1.29", "1.30"}
		for _, r := range d.s.Revisions {
			if r.Charts != "" {
				versions = versions[:3]
			}
		}
		d.s.CompatibilityVersion = pick(d.gen, versions...)
	}
	if d.chance(0.2) {
		seen := map[string]bool{}
		for range 1 + d.intn(3) {
			if name := pick(d.gen, "registry-credentials", "pull-secret", d.dnsSubdomain(253)); !seen[name] {
				seen[name] = true
				d.s.ImagePullSecrets = append(d.s.ImagePullSecrets, name)
			}
		}
	}
	if d.s.CNI.Enabled && d.chance(0.4) {
		d.s.PodSecurity.Enabled = true
	}
	if d.chance(0.25) {
		d.s.NetworkPolicy.Enabled = true
	}
	if d.chance(0.3) {
		d.s.CNI.DaemonScheduling = d.daemonScheduling()
	}
	if d.ambient && d.chance(0.6) {
		d.s.Ambient.Ztunnel = d.daemonScheduling()
	}
}

// multicluster makes the cluster one of several, now and then outside
// ambient mode (which this does not support): a primary with or without
// an east-west gateway, the primary of remote clusters, or a remote
// cluster where the spec runs one control plane.
func (d *draft) multicluster() {
	if d.ambient || !d.chance(0.35) {
		return
	}
	mc := &mesh.Multicluster{}
	models := []string{"", mesh.ModelMultiPrimary, mesh.ModelPrimaryRemote}
	if d.s.Canary == nil && len(d.s.Revisions) <= 1 {
		models = append(models, mesh.ModelRemote, mesh.ModelRemote)
	}
	mc.Model = pick(d.gen, models...)
	m := &d.s.Mesh
	if m.MeshID == "" {
		m.MeshID = pick(d.gen, "mesh1", "prod-mesh", d.dnsLabel(63, false))
	}
	if m.ClusterName == "" {
		m.ClusterName = pick(d.gen, "cluster1", "eu-west-1", d.dnsLabel(63, false))
	}
	switch mc.Model {
	case mesh.ModelRemote:
		mc.DiscoveryAddress = pick(d.gen, "203.0.113.20", "2001:db8::20", "istiod.primary.example.com", d.hostName(false))
	case mesh.ModelPrimaryRemote:
		if mc.EastWestGateway = d.eastWestGateway(); mc.EastWestGateway == nil {
			mc.Model = mesh.ModelMultiPrimary
		}
	default:
		if d.chance(0.7) {
			mc.EastWestGateway = d.eastWestGateway()
		}
	}
	if mc.Model == mesh.ModelRemote {
		// A remote cluster's name and network are segments of the
		// injection webhooks' path: lowercase DNS names.
		if len(validation.IsDNS1123Subdomain(m.ClusterName)) > 0 {
			m.ClusterName = pick(d.gen, "cluster1", d.dnsLabel(63, false))
		}
		if m.Network != "" && len(validation.IsDNS1123Subdomain(m.Network)) > 0 {
			m.Network = pick(d.gen, "network1", d.dnsLabel(63, false))
		}
	}
	if mc.EastWestGateway != nil && m.Network == "" {
		m.Network = pick(d.gen, "network1", "vpc-a", d.labelValue())
		if m.Network == "" {
			m.Network = "network1"
		}
	}
	d.s.Multicluster = mc
}

// eastWestGateway generates the gateway between networks: its name and
// pods apart from every other gateway's, its Service without ports, and
// its sizing and scheduling.
func (d *draft) eastWestGateway() *mesh.EastWestGateway {
	g := &mesh.EastWestGateway{}
	name := mesh.DefaultEastWestGateway
	if d.chance(0.5) {
		name = pick(d.gen, "eastwest", "istio-crossnet", d.dnsLabel(63, true))
		g.Name = name
	}
	ns := d.root
	if d.chance(0.5) {
		ns = d.sharedNamespace()
		g.Namespace = ns
	}
	istio := strings.TrimPrefix(name, "istio-")
	if d.deployments[ns+"/"+name] {
		return nil
	}
	for _, o := range d.gateways {
		if o.name == name || o.istio == istio {
			return nil
		}
	}
	for _, y := range yamlAmbiguous {
		if name == y || istio == y {
			return nil
		}
	}
	d.deployments[ns+"/"+name] = true
	d.gatewayNS[ns] = true
	d.eastWestNS = ns
	probe := mesh.Gateway{}
	d.gatewayService(&probe, "ingress", nil)
	g.Service = probe.Service
	g.Service.Ports = nil
	if g.Service.Type != "ClusterIP" && g.Service.Type != "NodePort" && d.chance(0.4) {
		g.Service.LoadBalancerIP = pick(d.gen, "203.0.113.30", "2001:db8::30")
	}
	g.Workload = d.workload(nil)
	if d.chance(0.6) {
		// Few specs have an east-west gateway: give its scheduling more
		// to cover.
		g.Affinity = d.affinity()
	}
	return g
}

// dayTwoMesh generates spec.mesh's day-two settings: external hosts,
// some through an egress gateway, the scope of proxies and istiod, and
// the CA (a remote cluster's is always its primary's istiod).
func (d *draft) dayTwoMesh() {
	m := &d.s.Mesh
	remote := d.s.IsRemote()
	if d.chance(0.35) {
		d.egress()
	}
	if d.chance(0.25) {
		m.Scope.Sidecar = true
	}
	if !remote && d.chance(0.25) {
		m.Scope.DiscoverySelectors = true
	}
	if remote {
		if d.chance(0.2) {
			m.CA.Type = mesh.CAIstiod
		}
		return
	}
	switch m.CA.Type = d.enumOrEmpty("spec.mesh.ca.type"); m.CA.Type {
	case mesh.CAPlugin:
		p := &mesh.PluginCA{IssuerRef: mesh.IssuerRef{
			Name:  pick(d.gen, "mesh-root", "vault-issuer", d.dnsSubdomain(253)),
			Kind:  d.enumOrEmpty("spec.mesh.ca.plugin.issuerRef.kind"),
			Group: pick(d.gen, "", "cert-manager.io", "cert-manager.k8s.cloudflare.com"),
		}}
		if d.chance(0.5) {
			p.CommonName = pick(d.gen, "istiod intermediate CA", "Zwischen-CA für Ümlaute", strings.Repeat("c", 64))
		}
		m.CA.Plugin = p
	case mesh.CAIstioCSR:
		if d.chance(0.6) {
			m.CA.IstioCSR = &mesh.IstioCSR{Address: pick(d.gen, mesh.DefaultIstioCSRAddress, "istio-csr.cert-manager.svc:6443", "10.0.0.9:443")}
		}
	}
}

// egress generates spec.mesh.egress: named and wildcard hosts on their
// own ports, HTTP and TLS ones now and then through an egress gateway of
// the spec that serves nothing on that port itself.
func (d *draft) egress() {
	hosts := map[string]bool{}
	routable := d.egressGateways()
	for range 1 + d.intn(4) {
		e := mesh.EgressHost{Host: pick(d.gen, "api.stripe.com", "*.googleapis.com", "login.example.org", d.hostName(true))}
		if len(e.EgressName()) > 253 || hosts[e.EgressName()] || hosts[e.Host] {
			continue
		}
		hosts[e.EgressName()], hosts[e.Host] = true, true
		wildcard := strings.HasPrefix(e.Host, "*")
		if wildcard {
			if d.chance(0.5) {
				e.Resolution = "NONE"
			}
		} else if d.chance(0.5) {
			e.Resolution = d.enum("spec.mesh.egress[].resolution")
		}
		var via *mesh.Gateway
		if !wildcard && len(routable) > 0 && d.chance(0.5) {
			via = pick(d.gen, routable...)
			e.Gateway = via.Name
		}
		numbers, names := map[int32]bool{}, map[string]bool{}
		for range d.intn(3) {
			p := mesh.EgressPort{Port: pick(d.gen, int32(443), 80, 8443, 5432, 1, 65535)}
			if via != nil {
				p.Port = pick(d.gen, int32(443), 80)
			}
			switch {
			case via != nil && p.Port == 80:
				p.Protocol = pick(d.gen, "", "HTTP")
			case via != nil:
				p.Protocol = pick(d.gen, "", "TLS", "HTTPS")
			case d.chance(0.6):
				p.Protocol = d.enum("spec.mesh.egress[].ports[].protocol")
			}
			if d.chance(0.4) {
				p.Name = pick(d.gen, "https", "web", d.dnsLabel(63, false))
			}
			name := p.Name
			if name == "" {
				proto := p.Protocol
				if proto == "" {
					proto = map[int32]string{443: "TLS", 80: "HTTP"}[p.Port]
				}
				name = fmt.Sprintf("%s-%d", strings.ToLower(cmpOr(proto, "TCP")), p.Port)
			}
			if numbers[p.Port] || names[name] {
				continue
			}
			numbers[p.Port], names[name] = true, true
			e.Ports = append(e.Ports, p)
		}
		d.s.Mesh.Egress = append(d.s.Mesh.Egress, e)
	}
}

// egressGateways are the spec's new gateways of kind egress that serve
// nothing on ports 80 and 443, where external hosts are routed.
func (d *draft) egressGateways() []*mesh.Gateway {
	base := map[string]bool{}
	for _, g := range d.base.Spec.Gateways {
		base[g.Name] = true
	}
	var out []*mesh.Gateway
	for i := range d.s.Gateways {
		g := &d.s.Gateways[i]
		if !g.IsEnabled() || g.Kind != "egress" || base[g.Name] {
			continue
		}
		busy := false
		for _, sv := range g.AllServers() {
			if p := sv.Port; p == 0 || p == 80 || p == 443 {
				busy = true
			}
		}
		if !busy {
			out = append(out, g)
		}
	}
	return out
}

// namespaceScope generates the hosts one namespace's sidecars see.
func (d *draft) namespaceScope() *mesh.NamespaceScope {
	s := &mesh.NamespaceScope{}
	for range 1 + d.intn(3) {
		ns := pick(d.gen, "*", ".", "~", d.root, "payments", d.dnsLabel(63, false))
		host := pick(d.gen, "*", "api.example.com", d.hostName(true))
		s.Hosts = append(s.Hosts, ns+"/"+host)
	}
	return s
}
