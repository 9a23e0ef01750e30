package mesh

// Platforms are the values of spec.platform: the platform profiles the
// Istio charts carry (files/profile-platform-<name>.yaml).
var platforms = []string{"gke", "openshift", "k3s", "k3d", "microk8s", "minikube"}

// Platforms lists the platforms spec.platform accepts.
func Platforms() []string { return append([]string(nil), platforms...) }

// Pod Security Admission levels istio-render labels namespaces with.
const (
	// PodSecurityLabel is the label Pod Security Admission enforces.
	PodSecurityLabel = "pod-security.kubernetes.io/enforce"
	// PodSecurityPrivileged is the level of namespaces where node agents
	// (the CNI agent, ztunnel) run: they need host access.
	PodSecurityPrivileged = "privileged"
	// PodSecurityBaseline is the level of every other namespace
	// istio-render labels: istiod, gateways, and workloads whose traffic
	// the CNI agent or ztunnel redirects need no privilege.
	PodSecurityBaseline = "baseline"
)

// PodSecurity labels namespaces for Pod Security Admission.
type PodSecurity struct {
	// Enabled labels each namespace istio-render creates with
	// pod-security.kubernetes.io/enforce: privileged where the CNI agent
	// or ztunnel runs, baseline on the root namespace, the gateways'
	// namespaces and the namespaces of spec.namespaces that join the mesh.
	// It needs the CNI agent (cni.enabled or ambient): without it every
	// sidecar starts with an init container that needs NET_ADMIN and
	// NET_RAW, which baseline refuses. A label set in
	// spec.namespaces[].labels wins. Default: false.
	Enabled bool `json:"enabled,omitempty"`
}

// NetworkPolicy switches the charts' NetworkPolicies on.
type NetworkPolicy struct {
	// Enabled renders a NetworkPolicy for istiod (webhook and xDS ports),
	// each gateway (its Service's ports, health and metrics), the CNI
	// agent and ztunnel, each allowing all egress, as the charts write
	// them. Default: false.
	Enabled bool `json:"enabled,omitempty"`
}
