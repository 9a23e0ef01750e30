package mesh

// Gateway API settings: how the Kubernetes Gateway API CRDs get to the
// cluster, istiod's defaults per gateway class, and the Gateway objects of
// class istio whose pods Istio deploys itself.
const (
	// DefaultGatewayAPIVersion is the Gateway API release the embedded
	// Istio line requires and istio-render embeds the CRDs of.
	DefaultGatewayAPIVersion = "v1.6.0"
	// GatewayAPICRDsRender renders the CRDs with the mesh.
	GatewayAPICRDsRender = "render"
	// GatewayAPICRDsPresent declares the CRDs installed by someone else
	// (the cluster's platform, another tool).
	GatewayAPICRDsPresent = "present"
	// GatewayAPIStandard is the standard release channel.
	GatewayAPIStandard = "standard"
	// GatewayAPIExperimental is the experimental release channel.
	GatewayAPIExperimental = "experimental"
	// GatewayClassIstio is the class of gateways Istio deploys for ingress.
	GatewayClassIstio = "istio"
	// GatewayClassWaypoint is the class of ambient waypoints.
	GatewayClassWaypoint = "istio-waypoint"
)

// GatewayAPI configures the Kubernetes Gateway API (gateway.networking.k8s.io):
// its CRDs, istiod's per-class defaults and Gateway API gateways.
type GatewayAPI struct {
	// CRDs says how the Gateway API CRDs get to the cluster: render (with
	// the mesh, from the embedded release) or present (installed by the
	// platform or another tool). Empty: the spec neither installs nor needs
	// them; a spec with Gateway API objects (gateways, waypoints) must
	// choose.
	CRDs string `json:"crds,omitempty"`
	// Channel of the CRDs: standard (default) or experimental.
	Channel string `json:"channel,omitempty"`
	// Version of the CRDs, e.g. v1.6.0. Default: DefaultGatewayAPIVersion,
	// the release the Istio line requires and the only one render embeds;
	// with crds present, the version installed, which validation checks
	// against what Istio and the Kubernetes version need.
	Version string `json:"version,omitempty"`
	// Classes are istiod's defaults for the Deployments, Services,
	// autoscalers and budgets it creates for every Gateway of a class, by
	// class: istio (ingress) or istio-waypoint (waypoints).
	Classes map[string]GatewayClass `json:"classes,omitempty"`
	// Gateways are Gateway objects of class istio: Istio deploys a
	// Deployment and Service for each.
	Gateways []APIGateway `json:"gateways,omitempty"`
}

// GatewayClass holds istiod's defaults for the workloads of one gateway
// class (the istiod chart's gatewayClasses value).
type GatewayClass struct {
	// Service of every gateway of the class.
	Service *ClassService `json:"service,omitempty"`
	// Replicas is a fixed replica count. Mutually exclusive with Autoscale.
	Replicas *int32 `json:"replicas,omitempty"`
	// Autoscale gives every gateway of the class a HorizontalPodAutoscaler.
	Autoscale *Autoscale `json:"autoscale,omitempty"`
	// Resources of each gateway's proxy container.
	Resources *Resources `json:"resources,omitempty"`
	// PodDisruptionBudget is given to every gateway of the class that runs
	// 2 or more replicas (or autoscales from 2). Default: minAvailable 1.
	PodDisruptionBudget *PodDisruptionBudget `json:"podDisruptionBudget,omitempty"`
}

// ClassService is the Service in front of every gateway of a class.
type ClassService struct {
	// Type: LoadBalancer (Istio's default), ClusterIP or NodePort. It
	// overrides a gateway's serviceType.
	Type string `json:"type,omitempty"`
	// Annotations, e.g. for a cloud load balancer.
	Annotations map[string]string `json:"annotations,omitempty"`
	// ExternalTrafficPolicy: Cluster or Local.
	ExternalTrafficPolicy string `json:"externalTrafficPolicy,omitempty"`
}

// APIGateway is a Gateway API Gateway of class istio: istiod deploys a
// Deployment and a Service named <name>-istio for it.
type APIGateway struct {
	// Name of the Gateway object; a DNS-1123 label, unique among
	// spec.gatewayAPI.gateways.
	Name string `json:"name"`
	// Namespace of the Gateway and its pods. Default: the root namespace.
	Namespace string `json:"namespace,omitempty"`
	// Revision of the control plane that manages the gateway (the
	// istio.io/rev label). Default: spec.revision.
	Revision string `json:"revision,omitempty"`
	// ServiceType of the gateway's Service: LoadBalancer (Istio's default),
	// ClusterIP or NodePort (the networking.istio.io/service-type
	// annotation).
	ServiceType string `json:"serviceType,omitempty"`
	// Address is an IP address to request for a LoadBalancer Service.
	Address string `json:"address,omitempty"`
	// Labels for the gateway's Deployment, pods and Service
	// (spec.infrastructure.labels), at most 8.
	Labels map[string]string `json:"labels,omitempty"`
	// Annotations for the gateway's Deployment, pods and Service
	// (spec.infrastructure.annotations), e.g. a cloud load balancer's; at
	// most 16 (8 with Gateway API CRDs older than v1.6.0).
	Annotations map[string]string `json:"annotations,omitempty"`
	// Listeners of the gateway; at least one.
	Listeners []Listener `json:"listeners"`
}

// Listener is one listener of a Gateway API gateway.
type Listener struct {
	// Name of the listener, what routes name in parentRefs.sectionName.
	// Default: <protocol>-<port>, lower case.
	Name string `json:"name,omitempty"`
	// Hostname the listener serves, e.g. shop.example.com or
	// *.example.com. Empty: every host. Not for TCP.
	Hostname string `json:"hostname,omitempty"`
	// Port number. Default: 443 with TLS, else 80; required for TCP.
	Port int32 `json:"port,omitempty"`
	// Protocol: HTTP, HTTPS, TLS or TCP. Default: HTTPS with TLS mode
	// Terminate, TLS with Passthrough, else HTTP.
	Protocol string `json:"protocol,omitempty"`
	// TLS terminates or passes through TLS; required for HTTPS and TLS.
	TLS *ListenerTLS `json:"tls,omitempty"`
	// AllowedRoutes says which namespaces' routes may attach. Default:
	// routes of the gateway's namespace.
	AllowedRoutes *AllowedRoutes `json:"allowedRoutes,omitempty"`
	// HTTPSRedirect answers plain HTTP with a 301 to HTTPS: an HTTPRoute
	// named <gateway>-https-redirect on this HTTP listener. Routes meant
	// for HTTPS should name their listener in parentRefs.sectionName, or
	// they would serve plain HTTP here too.
	HTTPSRedirect bool `json:"httpsRedirect,omitempty"`
}

// ListenerTLS is the TLS setting of a listener.
type ListenerTLS struct {
	// Mode: Terminate (default) or Passthrough.
	Mode string `json:"mode,omitempty"`
	// CertificateRefs are the Secrets with the listener's key and
	// certificate; required for Terminate, empty for Passthrough.
	CertificateRefs []CertificateRef `json:"certificateRefs,omitempty"`
}

// CertificateRef names a Secret holding a certificate and its key.
type CertificateRef struct {
	// Name of the Secret.
	Name string `json:"name"`
	// Namespace of the Secret. Default: the gateway's. Another namespace
	// renders a ReferenceGrant there that lets the gateway's namespace
	// read it.
	Namespace string `json:"namespace,omitempty"`
	// Certificate renders a cert-manager Certificate that writes this
	// Secret, in its namespace.
	Certificate *Certificate `json:"certificate,omitempty"`
}

// AllowedRoutes limits which routes may attach to a listener.
type AllowedRoutes struct {
	// From: Same (the gateway's namespace, default), All, or Selector.
	From string `json:"from,omitempty"`
	// Selector is the labels of the namespaces whose routes may attach,
	// for From Selector.
	Selector map[string]string `json:"selector,omitempty"`
	// Kinds of routes that may attach: HTTPRoute, GRPCRoute, TLSRoute or
	// TCPRoute. Default: those the listener's protocol takes.
	Kinds []string `json:"kinds,omitempty"`
}

// Waypoint is an ambient waypoint proxy: a Gateway of class
// istio-waypoint with the HBONE listener, which Istio deploys.
type Waypoint struct {
	// Name of the waypoint. Default: waypoint.
	Name string `json:"name,omitempty"`
	// For is the traffic the waypoint handles (istio.io/waypoint-for):
	// service (default), workload, all or none.
	For string `json:"for,omitempty"`
	// Revision of the control plane that manages the waypoint. Default:
	// spec.revision.
	Revision string `json:"revision,omitempty"`
}

// GatewayObject is one more networking.istio.io Gateway object that
// configures a gateway deployment's pods, besides the one its servers
// render.
type GatewayObject struct {
	// Name of the Gateway object, unique in the gateway's namespace; what
	// VirtualServices name in gateways as <namespace>/<name>.
	Name string `json:"name"`
	// Selector of the object. Default: the gateway's selector (istio:
	// <name> and its labels); it must select the gateway's pods.
	Selector map[string]string `json:"selector,omitempty"`
	// Servers are the listeners of the object; at least one.
	Servers []Server `json:"servers"`
}

// RedirectPort is the port a gateway's HTTPS redirect names: 0 for 443,
// which a redirect to https implies.
func (gw *APIGateway) RedirectPort() int32 {
	for _, l := range gw.Listeners {
		if l.Protocol == "HTTPS" && l.Port != 443 {
			return l.Port
		}
	}
	return 0
}
