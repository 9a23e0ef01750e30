package mesh

// Multi-cluster models: what this cluster is in a mesh of several.
const (
	// ModelMultiPrimary is a cluster with its own istiod, one of several
	// primaries that share a root of trust and discover each other's
	// endpoints.
	ModelMultiPrimary = "multi-primary"
	// ModelPrimaryRemote is the primary of remote clusters: its istiod
	// serves them too, through the east-west gateway.
	ModelPrimaryRemote = "primary-remote"
	// ModelRemote is a remote cluster: no istiod of its own; its sidecars
	// and injection webhook use the primary's istiod.
	ModelRemote = "remote"
)

// NetworkLabel is the label that tells istiod which network a namespace's
// workloads (on the root namespace: the cluster's) and a gateway are on.
const NetworkLabel = "topology.istio.io/network"

// DefaultEastWestGateway names the east-west gateway by default; its pods
// carry istio: eastwestgateway, as in Istio's multicluster samples.
const DefaultEastWestGateway = "istio-eastwestgateway"

// Multicluster describes this cluster's part in a mesh of several clusters.
// It needs spec.mesh.meshID and spec.mesh.clusterName, and spec.mesh.network
// for an east-west gateway. The credentials istiod reads other clusters
// with (remote secrets) are never part of the spec or the render: create
// them with istioctl create-remote-secret, or have an external secret
// store write them, into the root namespace of each primary.
type Multicluster struct {
	// Model: multi-primary (default), primary-remote (this cluster is the
	// primary of remote clusters) or remote.
	Model string `json:"model,omitempty"`
	// EastWestGateway carries traffic between networks: the gateway chart
	// as a network gateway (ports 15021, 15443, 15012 and 15017, labelled
	// with spec.mesh.network) and, on a primary, the cross-network Gateway
	// that passes mTLS through on 15443 (AUTO_PASSTHROUGH). On the primary
	// of remote clusters (primary-remote, which requires it) it also
	// exposes istiod on 15012 and 15017.
	EastWestGateway *EastWestGateway `json:"eastWestGateway,omitempty"`
	// DiscoveryAddress is where a remote cluster reaches the primary's
	// istiod: the address of the primary's east-west gateway, a host name
	// or an IP address. Required with model remote, and only there.
	DiscoveryAddress string `json:"discoveryAddress,omitempty"`
}

// EastWestGateway is the gateway between the mesh's networks.
type EastWestGateway struct {
	// Name of the gateway's Deployment, Service and Helm release. Default:
	// istio-eastwestgateway.
	Name string `json:"name,omitempty"`
	// Namespace of the gateway. Default: the root namespace.
	Namespace string `json:"namespace,omitempty"`
	// Service exposes the gateway to the other networks; its ports are the
	// chart's network ports and cannot be changed here.
	Service  GatewayService `json:"service,omitempty"`
	Workload `json:",inline"`
}

// IsRemote reports whether the spec installs a remote cluster.
func (s *Spec) IsRemote() bool {
	return s.Multicluster != nil && s.Multicluster.Model == ModelRemote
}

// setDefaults fills in the model and the east-west gateway's name,
// namespace and Service type.
func (m *Multicluster) setDefaults(s *Spec) {
	m.Model = or(m.Model, ModelMultiPrimary)
	if g := m.EastWestGateway; g != nil {
		g.Name = or(g.Name, DefaultEastWestGateway)
		g.Namespace = or(g.Namespace, s.RootNamespace)
		g.Service.Type = or(g.Service.Type, "LoadBalancer")
	}
}

// Gateway is the east-west gateway as a gateway of the gateway chart,
// without servers; render gives it the network gateway's values.
func (g *EastWestGateway) Gateway() *Gateway {
	return &Gateway{
		Name: g.Name, Kind: "ingress", Namespace: g.Namespace, Service: g.Service,
		Workload: g.Workload, ResourceName: g.Name,
	}
}
