package mesh

import (
	"fmt"
	"strings"
)

// Documented defaults.
const (
	// DefaultVersion is the Istio image tag rendered when spec.version is
	// empty: the release line of the embedded charts.
	DefaultVersion = "1.31.0"
	// DefaultHub is the image registry of Istio's releases.
	DefaultHub = "docker.io/istio"
	// DefaultRootNamespace is where istiod and mesh-wide policy live.
	DefaultRootNamespace = "istio-system"
	// DefaultKubernetesVersion is the cluster version charts render for
	// when spec.kubernetesVersion is empty.
	DefaultKubernetesVersion = "1.36.0"
	// DefaultTrustDomain is Istio's default SPIFFE trust domain.
	DefaultTrustDomain = "cluster.local"
)

// setDefaults fills every field the renderer reads and the user left empty.
func (m *IstioMesh) setDefaults() {
	s := &m.Spec
	s.Version = or(s.Version, DefaultVersion)
	s.Hub = or(s.Hub, DefaultHub)
	s.RootNamespace = or(s.RootNamespace, DefaultRootNamespace)
	s.KubernetesVersion = or(s.KubernetesVersion, DefaultKubernetesVersion)
	s.Mesh.TrustDomain = or(s.Mesh.TrustDomain, DefaultTrustDomain)
	if s.Canary != nil {
		s.Canary.Version = or(s.Canary.Version, s.Version)
	}
	for i := range s.Revisions {
		s.Revisions[i].Version = or(s.Revisions[i].Version, s.Version)
	}
	if s.Ambient.Enabled {
		s.CNI.Enabled = true
	}
	s.CNI.Namespace = or(s.CNI.Namespace, s.RootNamespace)
	if t := s.Mesh.Tracing; t != nil {
		t.Provider = or(t.Provider, "zipkin")
	}
	for i := range s.Gateways {
		s.Gateways[i].setDefaults(s)
	}
	s.GitOps.setDefaults()
	s.setGatewayAPIDefaults()
	for i := range s.Mesh.Egress {
		s.Mesh.Egress[i].setDefaults()
	}
	s.Mesh.CA.setDefaults()
	if s.Multicluster != nil {
		s.Multicluster.setDefaults(s)
	}
}

func (g *Gateway) setDefaults(s *Spec) {
	g.Kind = or(g.Kind, "ingress")
	g.Namespace = or(g.Namespace, s.RootNamespace)
	g.ResourceName = or(g.ResourceName, g.Name)
	if g.Service.Type == "" {
		g.Service.Type = "LoadBalancer"
		if g.Kind == "egress" {
			g.Service.Type = "ClusterIP"
		}
	}
	defaultServers(g.Servers)
	for k := range g.Objects {
		defaultServers(g.Objects[k].Servers)
	}
}

// defaultServers fills in the protocol, port, name and certificate of the
// servers of one Gateway object.
func defaultServers(servers []Server) {
	for j := range servers {
		sv := &servers[j]
		if sv.Protocol == "" {
			sv.Protocol = "HTTP"
			if sv.TLS != nil {
				sv.Protocol = "HTTPS"
				if sv.TLS.Mode == "PASSTHROUGH" {
					sv.Protocol = "TLS"
				}
			}
		}
		sv.Protocol = strings.ToUpper(sv.Protocol)
		if sv.Port == 0 {
			sv.Port = 80
			if sv.TLS != nil {
				sv.Port = 443
			}
		}
		if sv.Name == "" {
			sv.Name = uniqueName(fmt.Sprintf("%s-%d", strings.ToLower(sv.Protocol), sv.Port), servers, j, func(s *Server) string { return s.Name })
		}
		if c := sv.Certificate; c != nil {
			if sv.TLS != nil {
				c.Name = or(c.Name, sv.TLS.CredentialName)
			}
			c.setDefaults()
			if len(c.DNSNames) == 0 {
				for _, h := range sv.Hosts {
					if _, host, ok := strings.Cut(h, "/"); ok {
						h = host
					}
					c.DNSNames = append(c.DNSNames, h)
				}
			}
		}
	}
}

// setDefaults fills in the issuer's kind and group.
func (c *Certificate) setDefaults() {
	c.IssuerRef.Kind = or(c.IssuerRef.Kind, "ClusterIssuer")
	c.IssuerRef.Group = or(c.IssuerRef.Group, "cert-manager.io")
}

// uniqueName returns base, or base-2, base-3 and so on, whichever no other
// element of a list than the j-th is named; nameOf gives an element's name
// (elements after j are not yet defaulted, so only names the user gave
// count for them).
func uniqueName[T any](base string, list []T, j int, nameOf func(*T) string) string {
	taken := func(name string) bool {
		for i := range list {
			if i != j && nameOf(&list[i]) == name {
				return true
			}
		}
		return false
	}
	name := base
	for n := 2; taken(name); n++ {
		name = fmt.Sprintf("%s-%d", base, n)
	}
	return name
}

// IsEnabled reports whether the gateway is rendered.
func (g *Gateway) IsEnabled() bool { return g.Enabled == nil || *g.Enabled }

// IsEnabled reports whether a PodDisruptionBudget may be rendered.
func (b *PodDisruptionBudget) IsEnabled() bool {
	return b == nil || b.Enabled == nil || *b.Enabled
}

// MinReplicas is the fewest replicas a workload runs: its fixed count, its
// autoscaler's minimum, or the chart default of 1.
func (w *Workload) MinReplicas() int32 {
	switch {
	case w.Replicas != nil:
		return *w.Replicas
	case w.Autoscale != nil:
		return w.Autoscale.Min
	}
	return 1
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
