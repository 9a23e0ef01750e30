package mesh

// Group, Version and Kind identify an IstioMesh document.
const (
	Group      = "istio-render.dev"
	Version    = "v1alpha1"
	APIVersion = Group + "/" + Version
	Kind       = "IstioMesh"
)

// IstioMesh is the whole input of a render: one Kubernetes-style object.
type IstioMesh struct {
	// APIVersion must be istio-render.dev/v1alpha1.
	APIVersion string `json:"apiVersion"`
	// Kind must be IstioMesh.
	Kind string `json:"kind"`
	// Metadata names the mesh. Labels and annotations are accepted so the
	// object can serve as a kustomize functionConfig; they are not rendered.
	Metadata Metadata `json:"metadata"`
	// Spec describes the mesh.
	Spec Spec `json:"spec"`
}

// Metadata is the subset of Kubernetes object metadata an IstioMesh carries.
type Metadata struct {
	// Name of the mesh; a DNS-1123 subdomain.
	Name string `json:"name"`
	// Namespace is accepted and ignored (kustomize may set it).
	Namespace string `json:"namespace,omitempty"`
	// Labels are accepted and ignored.
	Labels map[string]string `json:"labels,omitempty"`
	// Annotations are accepted and ignored (kustomize keeps function
	// configuration here).
	Annotations map[string]string `json:"annotations,omitempty"`
}

// Spec is the desired mesh.
type Spec struct {
	// Profile is the preset merged under this spec: minimal, default, demo,
	// ambient or production. Default: default.
	Profile string `json:"profile,omitempty"`
	// Version is the Istio image tag, e.g. 1.31.0. Default: DefaultVersion.
	// A version outside the embedded charts' minor needs charts of that
	// version (the render option Charts).
	Version string `json:"version,omitempty"`
	// Hub is the image registry, e.g. docker.io/istio. Default: DefaultHub.
	Hub string `json:"hub,omitempty"`
	// ImagePullSecrets name Secrets in each component's namespace that
	// hold the registry's credentials, for a private hub. They are given
	// to istiod, the gateways, the CNI agent and ztunnel, and to every pod
	// istiod injects a sidecar into.
	ImagePullSecrets []string `json:"imagePullSecrets,omitempty"`
	// Variant is the image variant: "debug" or "distroless". Empty means
	// the charts' default: the regular images, or distroless ones in
	// ambient mode, which the charts' ambient profile selects.
	Variant string `json:"variant,omitempty"`
	// Revision names this control plane (istiod-<revision>), for canary
	// upgrades. Empty means the default revision.
	Revision string `json:"revision,omitempty"`
	// RevisionTags are tags (e.g. prod-stable) that point at this control
	// plane; namespaces can use them for injection.
	RevisionTags []string `json:"revisionTags,omitempty"`
	// Canary adds a second control plane of another revision beside this one.
	Canary *Canary `json:"canary,omitempty"`
	// Revisions are control planes installed side by side, each of its own
	// Istio version and from its own charts, for upgrades across minor
	// versions. They replace revision, revisionTags and canary, which
	// cannot be set with them.
	Revisions []Revision `json:"revisions,omitempty"`
	// Tags map revision tags to the revision they point at, e.g.
	// {default: 1-30-4, prod-canary: 1-31-0}; with revisions only. The tag
	// default also moves base's default validation webhook (Helm value
	// defaultRevision) to its revision.
	Tags map[string]string `json:"tags,omitempty"`
	// RootNamespace is where istiod, the CRD-owning base chart and mesh-wide
	// policy live. Default: istio-system.
	RootNamespace string `json:"rootNamespace,omitempty"`
	// KubernetesVersion is the cluster version the charts are rendered for
	// (Helm's .Capabilities.KubeVersion). A vendor's suffix, as kubectl
	// version reports it (v1.33.2-eks-2f008fe, 1.36.0-gke.100), is
	// accepted and left out of what the charts see; on GKE, set platform:
	// gke. Default: DefaultKubernetesVersion.
	KubernetesVersion string `json:"kubernetesVersion,omitempty"`
	// Platform adapts the charts to a Kubernetes distribution (the charts'
	// global.platform): gke, openshift, k3s, k3d, microk8s or minikube.
	// It sets the CNI agent's paths and, on gke, the ResourceQuota that
	// lets node agents run at system-node-critical priority outside
	// kube-system. Empty: a conformant cluster with the default paths.
	Platform string `json:"platform,omitempty"`
	// CompatibilityVersion keeps the behaviour of an earlier Istio minor,
	// such as "1.30", across an upgrade (the charts' compatibilityVersion);
	// it must be older than spec.version. Empty: this version's behaviour.
	CompatibilityVersion string `json:"compatibilityVersion,omitempty"`
	// PodSecurity labels the namespaces istio-render creates for Pod
	// Security Admission.
	PodSecurity PodSecurity `json:"podSecurity,omitempty"`
	// NetworkPolicy renders the charts' NetworkPolicies for istiod, the
	// gateways, the CNI agent and ztunnel.
	NetworkPolicy NetworkPolicy `json:"networkPolicy,omitempty"`
	// ControlPlane sizes and places istiod.
	ControlPlane ControlPlane `json:"controlPlane,omitempty"`
	// Proxy configures the sidecar proxies injected into workloads.
	Proxy Proxy `json:"proxy,omitempty"`
	// CNI installs the Istio CNI node agent instead of privileged init
	// containers.
	CNI CNI `json:"cni,omitempty"`
	// Ambient switches the data plane to ambient mode (CNI and ztunnel).
	Ambient Ambient `json:"ambient,omitempty"`
	// Mesh holds mesh-wide settings (MeshConfig and security policy).
	Mesh MeshConfig `json:"mesh,omitempty"`
	// Gateways are the ingress and egress gateways to deploy.
	Gateways []Gateway `json:"gateways,omitempty"`
	// GatewayAPI configures the Kubernetes Gateway API: its CRDs, istiod's
	// defaults per gateway class, and Gateway API gateways.
	GatewayAPI GatewayAPI `json:"gatewayAPI,omitempty"`
	// Namespaces are application namespaces to create and configure.
	Namespaces []Namespace `json:"namespaces,omitempty"`
	// Multicluster makes this cluster one of several in a mesh: a primary
	// with its own istiod, or a remote one that a primary's istiod serves.
	Multicluster *Multicluster `json:"multicluster,omitempty"`
	// Values are raw Helm values per component, merged last over everything
	// the spec sets: the escape hatch for settings the spec does not name.
	Values ComponentValues `json:"values,omitempty"`
	// GitOps prepares the output for the tool that applies it from git:
	// install order and protection from accidental deletion.
	GitOps GitOps `json:"gitops,omitempty"`
}

// Canary is a second control plane, usually a newer version, that workloads
// move to one namespace at a time.
type Canary struct {
	// Revision of the canary control plane; must differ from spec.revision.
	Revision string `json:"revision"`
	// Version is the canary's image tag. Default: spec.version.
	Version string `json:"version,omitempty"`
	// RevisionTags that point at the canary (e.g. prod-canary).
	RevisionTags []string `json:"revisionTags,omitempty"`
	// Values are raw Helm values for the canary's istiod, merged last.
	Values Values `json:"values,omitempty"`
}

// ControlPlane sizes and places istiod.
type ControlPlane struct {
	Workload `json:",inline"`
	// LogLevel of istiod: debug, info, warn or error. Default: info.
	LogLevel string `json:"logLevel,omitempty"`
}

// Workload is what the spec controls of a Deployment it renders.
type Workload struct {
	// Replicas is a fixed replica count. Mutually exclusive with Autoscale.
	Replicas *int32 `json:"replicas,omitempty"`
	// Autoscale renders a HorizontalPodAutoscaler instead of a fixed count.
	Autoscale *Autoscale `json:"autoscale,omitempty"`
	// Resources are the container's requests and limits.
	Resources *Resources `json:"resources,omitempty"`
	// PodDisruptionBudget is rendered when the workload runs 2 or more
	// replicas (or autoscales from 2). Default: minAvailable 1.
	PodDisruptionBudget *PodDisruptionBudget `json:"podDisruptionBudget,omitempty"`
	// TopologySpread spreads pods across topology domains; the label
	// selector is filled in from the workload's own labels.
	TopologySpread []TopologySpread `json:"topologySpread,omitempty"`
	// AntiAffinity keeps pods off the same node: preferred or required.
	AntiAffinity string `json:"antiAffinity,omitempty"`
	// Scheduling chooses the nodes the pods run on.
	Scheduling `json:",inline"`
}

// Autoscale bounds a HorizontalPodAutoscaler.
type Autoscale struct {
	// Min replicas; at least 1.
	Min int32 `json:"min"`
	// Max replicas; at least Min.
	Max int32 `json:"max"`
}

// Resources are a container's CPU and memory requests and limits.
type Resources struct {
	// Requests are the guaranteed amounts.
	Requests *ResourceAmounts `json:"requests,omitempty"`
	// Limits are the caps.
	Limits *ResourceAmounts `json:"limits,omitempty"`
}

// ResourceAmounts are CPU and memory quantities such as 500m and 2Gi.
type ResourceAmounts struct {
	// CPU quantity, e.g. 500m or 2.
	CPU Quantity `json:"cpu,omitempty"`
	// Memory quantity, e.g. 512Mi.
	Memory Quantity `json:"memory,omitempty"`
}

// PodDisruptionBudget configures the budget of a multi-replica workload.
// Set at most one of MinAvailable and MaxUnavailable.
type PodDisruptionBudget struct {
	// Enabled turns the budget off when false. Default: true.
	Enabled *bool `json:"enabled,omitempty"`
	// MinAvailable pods, a count or a percentage such as "50%".
	MinAvailable *IntOrString `json:"minAvailable,omitempty"`
	// MaxUnavailable pods, a count or a percentage.
	MaxUnavailable *IntOrString `json:"maxUnavailable,omitempty"`
}

// TopologySpread is one topology spread constraint.
type TopologySpread struct {
	// TopologyKey, e.g. topology.kubernetes.io/zone.
	TopologyKey string `json:"topologyKey"`
	// MaxSkew; default 1.
	MaxSkew int32 `json:"maxSkew,omitempty"`
	// WhenUnsatisfiable: ScheduleAnyway (default) or DoNotSchedule.
	WhenUnsatisfiable string `json:"whenUnsatisfiable,omitempty"`
}

// Proxy configures injected sidecar proxies.
type Proxy struct {
	// Resources of each sidecar.
	Resources *Resources `json:"resources,omitempty"`
	// LogLevel of Envoy: trace, debug, info, warning, error, critical, off.
	LogLevel string `json:"logLevel,omitempty"`
}

// CNI configures the Istio CNI node agent.
type CNI struct {
	// Enabled installs the istio-cni DaemonSet. Ambient mode enables it.
	Enabled bool `json:"enabled,omitempty"`
	// Namespace of the CNI DaemonSet. Default: the root namespace.
	Namespace string `json:"namespace,omitempty"`
	// DaemonScheduling chooses the nodes the agent runs on.
	DaemonScheduling `json:",inline"`
}

// Ambient configures ambient mode.
type Ambient struct {
	// Enabled installs ztunnel and the CNI agent in ambient mode.
	Enabled bool `json:"enabled,omitempty"`
	// Ztunnel chooses the nodes the ztunnel DaemonSet runs on.
	Ztunnel DaemonScheduling `json:"ztunnel,omitempty"`
}

// MeshConfig holds mesh-wide settings.
type MeshConfig struct {
	// MTLS is the mesh-wide PeerAuthentication mode in the root namespace:
	// STRICT or PERMISSIVE. Empty renders no mesh-wide policy.
	MTLS string `json:"mtls,omitempty"`
	// OutboundTrafficPolicy: ALLOW_ANY or REGISTRY_ONLY.
	OutboundTrafficPolicy string `json:"outboundTrafficPolicy,omitempty"`
	// AccessLogFile for Envoy access logs, e.g. /dev/stdout. Empty: off.
	AccessLogFile string `json:"accessLogFile,omitempty"`
	// Tracing configures distributed tracing: an extension provider in the
	// mesh config and a Telemetry resource in the root namespace.
	Tracing *Tracing `json:"tracing,omitempty"`
	// ExtensionProviders are more of Istio's MeshConfig extension
	// providers, each a mapping with a name and one provider (envoyOtelAls,
	// opentelemetry, zipkin, skywalking, ...), for Telemetry resources and
	// policies to refer to by name. The tracing provider is added for you.
	ExtensionProviders []Values `json:"extensionProviders,omitempty"`
	// TrustDomain of workload identities. Default: cluster.local.
	TrustDomain string `json:"trustDomain,omitempty"`
	// MeshID identifies the mesh across clusters.
	MeshID string `json:"meshID,omitempty"`
	// ClusterName identifies this cluster in a multi-cluster mesh. On a
	// remote cluster it is part of the injection webhook's path, so a
	// lowercase DNS name.
	ClusterName string `json:"clusterName,omitempty"`
	// Network names this cluster's network in a multi-network mesh. On a
	// remote cluster it is part of the injection webhook's path, so a
	// lowercase DNS name.
	Network string `json:"network,omitempty"`
	// Egress lists the external hosts workloads may call, each rendered as
	// a ServiceEntry; with outboundTrafficPolicy REGISTRY_ONLY they are the
	// only destinations outside the mesh that can be reached.
	Egress []EgressHost `json:"egress,omitempty"`
	// Scope limits the configuration each proxy holds and the namespaces
	// istiod watches.
	Scope Scope `json:"scope,omitempty"`
	// CA chooses who signs workload certificates: istiod's own CA, istiod
	// with an intermediate issued by cert-manager, or cert-manager's
	// istio-csr.
	CA CA `json:"ca,omitempty"`
}

// Tracing configures where proxies send spans and how many, through
// Istio's Telemetry API: the provider becomes a MeshConfig extension
// provider named after it, and a Telemetry resource named mesh-default in
// the root namespace selects it with the sampling percentage.
type Tracing struct {
	// Sampling percentage of requests traced, above 0 up to 100. Default:
	// Istio's, 1.
	Sampling *float64 `json:"sampling,omitempty"`
	// Provider: zipkin or opentelemetry. Default: zipkin.
	Provider string `json:"provider,omitempty"`
	// Address of the collector, host:port, e.g. jaeger-collector.obs:9411.
	// Required.
	Address string `json:"address,omitempty"`
}

// Gateway is an ingress or egress gateway deployment and, when it has
// servers, the networking.istio.io Gateway object that configures it.
type Gateway struct {
	// Name of the Deployment, Service and Helm release. The pods carry the
	// label istio: <name without the istio- prefix>, so the default
	// istio-ingressgateway keeps the selector istio: ingressgateway.
	Name string `json:"name"`
	// Enabled removes a gateway a profile adds when false. Default: true.
	Enabled *bool `json:"enabled,omitempty"`
	// Kind: ingress (default) or egress.
	Kind string `json:"kind,omitempty"`
	// Namespace of the gateway. Default: the root namespace.
	Namespace string `json:"namespace,omitempty"`
	// Revision of the control plane that injects the gateway; default the
	// main revision.
	Revision string `json:"revision,omitempty"`
	// Labels are added to the pods and to the Gateway object's selector.
	Labels map[string]string `json:"labels,omitempty"`
	// Service exposes the gateway.
	Service  GatewayService `json:"service,omitempty"`
	Workload `json:",inline"`
	// ResourceName names the networking.istio.io Gateway object. Default:
	// the gateway's name.
	ResourceName string `json:"resourceName,omitempty"`
	// Servers are the listeners of the Gateway object.
	Servers []Server `json:"servers,omitempty"`
	// Objects are more networking.istio.io Gateway objects for these pods,
	// each with its own name, selector and servers.
	Objects []GatewayObject `json:"objects,omitempty"`
	// Values are raw Helm values for this gateway's chart, merged last.
	Values Values `json:"values,omitempty"`
}

// GatewayService is the Service in front of a gateway.
type GatewayService struct {
	// Type: LoadBalancer (ingress default), ClusterIP (egress default) or
	// NodePort.
	Type string `json:"type,omitempty"`
	// Annotations, e.g. for a cloud load balancer.
	Annotations map[string]string `json:"annotations,omitempty"`
	// LoadBalancerIP requests a fixed address where the cloud supports it.
	LoadBalancerIP string `json:"loadBalancerIP,omitempty"`
	// ExternalTrafficPolicy: Cluster or Local.
	ExternalTrafficPolicy string `json:"externalTrafficPolicy,omitempty"`
	// Ports are more Service ports besides the chart's (status-port 15021,
	// http2 80, https 443) and the servers' ports, such as tcp 31400 for
	// plain TCP routing. Each forwards to the same port on the pods.
	Ports []ServicePort `json:"ports,omitempty"`
}

// ServicePort is one more port of a gateway's Service.
type ServicePort struct {
	// Name of the port; its prefix tells Istio the protocol (tcp, tls,
	// http, http2, https, grpc), as in tcp-db.
	Name string `json:"name"`
	// Port number, 1-65535.
	Port int32 `json:"port"`
}

// Server is one listener of a Gateway object.
type Server struct {
	// Name of the port; default <protocol>-<port>.
	Name string `json:"name,omitempty"`
	// Port number. Default: 443 with TLS, else 80.
	Port int32 `json:"port,omitempty"`
	// Protocol: HTTP, HTTPS, HTTP2, GRPC, TLS or TCP. Default: HTTPS with
	// TLS SIMPLE or MUTUAL, TLS with PASSTHROUGH, else HTTP.
	Protocol string `json:"protocol,omitempty"`
	// Hosts served, e.g. example.com, *.example.com or ns/host.
	Hosts []string `json:"hosts"`
	// TLS terminates or passes through TLS.
	TLS *ServerTLS `json:"tls,omitempty"`
	// HTTPSRedirect answers plain HTTP with a 301 to HTTPS.
	HTTPSRedirect bool `json:"httpsRedirect,omitempty"`
	// Certificate renders a cert-manager Certificate for this server's
	// credential (secretName = tls.credentialName).
	Certificate *Certificate `json:"certificate,omitempty"`
}

// ServerTLS is the TLS setting of a server.
type ServerTLS struct {
	// Mode: SIMPLE, MUTUAL or PASSTHROUGH.
	Mode string `json:"mode"`
	// CredentialName is the Secret holding the key and certificate (and CA
	// for MUTUAL), in the gateway's namespace. Required for SIMPLE and
	// MUTUAL.
	CredentialName string `json:"credentialName,omitempty"`
	// MinProtocolVersion: TLSV1_2 or TLSV1_3.
	MinProtocolVersion string `json:"minProtocolVersion,omitempty"`
}

// Certificate asks cert-manager to issue a server's credential.
type Certificate struct {
	// Name of the Certificate object. Default: the name of the Secret it
	// writes.
	Name string `json:"name,omitempty"`
	// IssuerRef names the cert-manager issuer.
	IssuerRef IssuerRef `json:"issuerRef"`
	// DNSNames on the certificate. Default: the server's hosts (without a
	// namespace prefix).
	DNSNames []string `json:"dnsNames,omitempty"`
}

// IssuerRef names a cert-manager Issuer or ClusterIssuer.
type IssuerRef struct {
	// Name of the issuer.
	Name string `json:"name"`
	// Kind: Issuer or ClusterIssuer (default).
	Kind string `json:"kind,omitempty"`
	// Group of the issuer. Default: cert-manager.io.
	Group string `json:"group,omitempty"`
}

// Namespace is an application namespace the mesh manages.
type Namespace struct {
	// Name of the namespace; a DNS-1123 label.
	Name string `json:"name"`
	// Injection: enabled (istio-injection=enabled), disabled, ambient
	// (istio.io/dataplane-mode=ambient), or a revision or revision tag
	// (istio.io/rev=<value>). Empty: no label.
	Injection string `json:"injection,omitempty"`
	// Labels added to the Namespace object.
	Labels map[string]string `json:"labels,omitempty"`
	// Annotations added to the Namespace object.
	Annotations map[string]string `json:"annotations,omitempty"`
	// MTLS renders a namespace PeerAuthentication: STRICT, PERMISSIVE or
	// DISABLE.
	MTLS string `json:"mtls,omitempty"`
	// ClientMTLS renders a DestinationRule for *.<ns>.svc.cluster.local
	// with ISTIO_MUTUAL, so clients in the mesh always originate Istio mTLS.
	ClientMTLS bool `json:"clientMTLS,omitempty"`
	// Authorization renders AuthorizationPolicies for this namespace.
	Authorization *Authorization `json:"authorization,omitempty"`
	// Waypoint deploys an ambient waypoint for this namespace and labels
	// the namespace to use it (istio.io/use-waypoint). Ambient mode only.
	Waypoint *Waypoint `json:"waypoint,omitempty"`
	// Scope gives this namespace's proxies their own list of visible
	// hosts, in place of spec.mesh.scope's mesh-wide one. Not on the root
	// namespace, whose default Sidecar is the mesh-wide one.
	Scope *NamespaceScope `json:"scope,omitempty"`
}

// Authorization is a namespace's default-deny posture and its exceptions.
// In Istio any ALLOW policy denies the traffic it does not match, so
// either allow rule on its own already denies everything else; DefaultDeny
// makes that explicit and holds even with no allow rule.
type Authorization struct {
	// DefaultDeny renders an allow-nothing policy: only traffic another
	// policy allows gets in.
	DefaultDeny bool `json:"defaultDeny,omitempty"`
	// AllowSameNamespace allows traffic from workloads of this namespace.
	AllowSameNamespace bool `json:"allowSameNamespace,omitempty"`
	// AllowFromGateways allows traffic from these gateways of spec.gateways,
	// by name.
	AllowFromGateways []string `json:"allowFromGateways,omitempty"`
}

// ComponentValues are raw Helm values per chart.
type ComponentValues struct {
	// Base chart values (CRDs, reader RBAC).
	Base Values `json:"base,omitempty"`
	// Istiod chart values.
	Istiod Values `json:"istiod,omitempty"`
	// Gateway chart values, applied to every gateway before its own values.
	Gateway Values `json:"gateway,omitempty"`
	// CNI chart values.
	CNI Values `json:"cni,omitempty"`
	// Ztunnel chart values.
	Ztunnel Values `json:"ztunnel,omitempty"`
}

// Values are free-form Helm values.
type Values map[string]any
