package conformance_test

import (
	"regexp"
	"slices"
	"strings"
)

// inputAdjustment changes an input before istioctl reads it, because
// istioctl refuses it as it is; the import reads the file unchanged.
type inputAdjustment struct {
	reason string
	edit   func(string) string
}

// nameGateways names the gateways an example enables without a name:
// istioctl renders their objects without metadata.name, which Kubernetes
// refuses, and two of them collide; the import names them as istioctl's
// profiles name them, and the comparison needs the same names.
func nameGateways(s string) string {
	s = strings.Replace(s, "    ingressGateways:\n    - enabled: true", "    ingressGateways:\n    - name: istio-ingressgateway\n      enabled: true", 1)
	return strings.Replace(s, "    egressGateways:\n    - enabled: true", "    egressGateways:\n    - name: istio-egressgateway\n      enabled: true", 1)
}

// istioctlInputs are the inputs istioctl cannot read as they are.
var istioctlInputs = map[string]inputAdjustment{
	"seed-staging": {
		reason: "the ingress gateway has no name: istioctl renders its objects without one",
		edit:   nameGateways,
	},
	"seed-production": {
		reason: `the gateways have no name: istioctl renders their objects without one; and istioctl refuses values.global.mtls ("unknown field \"mtls\" in istio.operator.v1alpha1.GlobalConfig"), a value Istio's charts no longer have, which the import reports as not carried over`,
		edit: func(s string) string {
			return nameGateways(strings.Replace(s, "    global:\n      mtls:\n        enabled: true # Enforce strict mTLS\n", "    global: {}\n", 1))
		},
	},
}

// importDifference is how the render of an imported spec is known to
// differ from istioctl manifest generate of the IstioOperator, and why.
type importDifference struct {
	// inputs are the inputs it occurs for; nil for any.
	inputs []string
	// match is a regular expression a difference line matches.
	match string
	// reason says why the difference is right, or accepted.
	reason string
}

func (k importDifference) matches(input, diff string) bool {
	if k.inputs != nil && !slices.Contains(k.inputs, input) {
		return false
	}
	return regexp.MustCompile(k.match).MatchString(diff)
}

// importDifferences lists every difference, each with its reason. A
// gateway's image is compared as istiod injects it: the gateway chart
// renders image "auto", which istiod's injection replaces with the proxy
// image of spec.hub and spec.version, where istioctl's own gateway charts
// name the proxy image.
var importDifferences = []importDifference{{
	inputs: []string{"profile-default"},
	match:  `^Deployment istio-system/(istiod|istio-ingressgateway): container (discovery|istio-proxy): image: istioctl registry\.istio\.io/testing/(pilot|proxyv2):latest, import .*registry\.istio\.io/testing/(pilot|proxyv2):1\.31\.0$`,
	reason: "the default profile sets tag: latest, a development build; a spec's version is an Istio release, so the import reports the tag as not carried over and renders spec.version",
}, {
	inputs: []string{"profile-empty"},
	match:  `^(Deployment istio-system/istiod|mesh config istio|sidecar resources istio-sidecar-injector): the import renders it, istioctl does not$`,
	reason: "the empty profile disables base and pilot and so renders nothing by itself; istio-render always renders base and istiod, and the import reports both components as not carried over",
}, {
	inputs: []string{"profile-openshift-ambient"},
	match:  `^DaemonSet (istio-system|kube-system)/ztunnel: (the import renders it, istioctl does not|istioctl renders it, the import does not)$`,
	reason: "istio-render runs ztunnel in the root namespace; the import reports components.ztunnel.namespace as not carried over",
}, {
	inputs: []string{"seed-staging", "seed-production", "kitchen-sink"},
	match:  `^Deployment istio-system/(istiod|istio-ingressgateway|istio-egressgateway): autoscaling: istioctl 1 to 5, import none$`,
	reason: "k8s.replicaCount with the charts' autoscaling on: istioctl sets the count and keeps an autoscaler from 1 to 5, which then overrides it; the import runs the count as written, without an autoscaler, and says so in a note",
}, {
	inputs: []string{"profile-demo"},
	match:  `^mesh config istio: extensionProviders: istioctl \[.*\], import \[.*\{"name":"zipkin","zipkin":\{"port":9411,"service":"zipkin\.istio-system\.svc\.cluster\.local"\}\}\]$`,
	reason: "istio-render's demo profile traces 100% of requests through the Telemetry API to zipkin.istio-system, which needs a zipkin extension provider besides Istio's demo providers; Istio's demo sets pilot.traceSampling for a tracer it leaves at none, so it traces nothing",
}}
