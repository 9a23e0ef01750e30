package render

import (
	"strings"

	"github.com/istio-render/istio-render/mesh"
)

// kindOrder is the apply order: an object can only be created after the
// objects it depends on (its namespace, its CRD, its service account) exist,
// and webhooks come after the workload that serves them. Kinds not listed
// come after the listed built-in kinds and before Istio and cert-manager
// custom resources, which need the CRDs and istiod to be in place.
var kindOrder = []string{
	"Namespace",
	"CustomResourceDefinition",
	"PriorityClass",
	"ResourceQuota",
	"LimitRange",
	"ServiceAccount",
	"Secret",
	"ClusterRole",
	"ClusterRoleBinding",
	"Role",
	"RoleBinding",
	"ConfigMap",
	"NetworkPolicy",
	"Service",
	"EndpointSlice",
	meshCACertificate,
	"DaemonSet",
	"Deployment",
	"HorizontalPodAutoscaler",
	"PodDisruptionBudget",
	"MutatingWebhookConfiguration",
	"ValidatingWebhookConfiguration",
	"ValidatingAdmissionPolicy",
	"ValidatingAdmissionPolicyBinding",
}

// meshCACertificate stands in kindOrder for the cert-manager Certificate of
// a plugged-in mesh CA (spec.mesh.ca.type plugin), which comes before every
// other Certificate: istiod reads the cacerts Secret it makes only as it
// starts (pilot/pkg/bootstrap/istio_ca.go, createIstioCA), and without it
// signs with a CA of its own and never looks at cacerts again. So the
// Certificate is the last of the configuration, before istiod's
// Deployment, and in the config phase, which the GitOps tools see healthy,
// the certificate issued, before the control plane starts.
const meshCACertificate = "Certificate (mesh CA)"

// orderKind is the name a resource goes by in kindOrder and customOrder:
// its kind, except for the mesh CA's Certificate.
func orderKind(r Resource) string {
	if r.Component == ComponentPolicy && r.Kind == "Certificate" && group(r.APIVersion) == "cert-manager.io" && r.Name == mesh.PluginCASecret {
		return meshCACertificate
	}
	return r.Kind
}

// The phases of an install (phase.go) cut kindOrder at these kinds: the
// foundation before firstConfigKind, configuration from it, the control
// plane from firstControlPlaneKind.
const (
	firstConfigKind       = "PriorityClass"
	firstControlPlaneKind = "DaemonSet"
)

// customOrder ranks the custom resources render adds, after everything else.
var customOrder = []string{
	"PeerAuthentication",
	"Telemetry",
	"ServiceEntry",
	"Sidecar",
	"DestinationRule",
	"AuthorizationPolicy",
	"Certificate",
	"ReferenceGrant",
	"Gateway",
	"HTTPRoute",
	"VirtualService",
}

// position orders resources: by kind, except that a gateway's workload
// comes after the webhooks. Gateway pods run the image "auto", which only
// istiod's injection webhook fills in; a pod created before the webhook
// exists never gets a proxy.
func position(r Resource) int {
	if strings.HasPrefix(r.Component, ComponentGatewayPrefix) && gatewayWorkloads[r.Kind] {
		return gatewayWorkloadPosition()
	}
	return 2 * rank(orderKind(r))
}

// gatewayWorkloadPosition is the place of gateway workloads: after the last
// built-in kind, before kinds render does not know.
func gatewayWorkloadPosition() int { return 2*rank("ValidatingAdmissionPolicyBinding") + 1 }

// gatewayWorkloads are the gateway chart's kinds that make or manage pods.
var gatewayWorkloads = map[string]bool{"Deployment": true, "HorizontalPodAutoscaler": true, "PodDisruptionBudget": true}

// rank orders kinds: listed built-ins, then unknown kinds, then custom
// resources.
func rank(kind string) int {
	for i, k := range kindOrder {
		if k == kind {
			return i
		}
	}
	for i, k := range customOrder {
		if k == kind {
			return len(kindOrder) + 1 + i
		}
	}
	return len(kindOrder)
}

// clusterScoped lists the cluster-scoped kinds the charts render; every
// other object is given its release namespace when the chart leaves it out.
var clusterScoped = map[string]bool{
	"Namespace":                        true,
	"CustomResourceDefinition":         true,
	"PriorityClass":                    true,
	"ClusterRole":                      true,
	"ClusterRoleBinding":               true,
	"MutatingWebhookConfiguration":     true,
	"ValidatingWebhookConfiguration":   true,
	"ValidatingAdmissionPolicy":        true,
	"ValidatingAdmissionPolicyBinding": true,
	"StorageClass":                     true,
	"PersistentVolume":                 true,
	"APIService":                       true,
	"IngressClass":                     true,
	"GatewayClass":                     true,
}
