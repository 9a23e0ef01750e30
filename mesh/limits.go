package mesh

import (
	"strconv"
	"strings"

	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Limits on names the charts derive from the spec. Kubernetes limits a
// Service name (a DNS-1035 label) and a label value to 63 characters; the
// istiod chart names a Service and labels its objects istiod-<revision>,
// and names a Service istiod-revision-tag-<tag> for each revision tag.
const (
	// MaxRevisionLength is the longest revision whose derived names are
	// valid: 63 less the length of "istiod-".
	MaxRevisionLength = maxDerivedName - len(revisionPrefix)
	// MaxRevisionTagLength is the longest revision tag whose derived names
	// are valid: 63 less the length of "istiod-revision-tag-".
	MaxRevisionTagLength = maxDerivedName - len(revisionTagPrefix)

	maxDerivedName    = 63
	revisionPrefix    = "istiod-"
	revisionTagPrefix = "istiod-revision-tag-"
)

// gatewayName checks a gateway's name, which names its Service: a
// DNS-1035 label (a letter first, at most 63 characters).
func gatewayName(p *problems, at, v string) {
	if errs := validation.IsDNS1035Label(v); len(errs) > 0 {
		p.errorf(at, "%s is not a valid name: %s; it names the gateway's Service", quote(v), joinMessages(errs))
		return
	}
	if _, kind := yamlReading(v); kind != "" {
		chartText(p, at, v, "the gateway chart writes the name unquoted into its labels and object names, which would not be text")
		return
	}
	if istio := strings.TrimPrefix(v, "istio-"); istio != v {
		chartText(p, at, istio, "the gateway chart writes it, the name without istio-, unquoted as the label istio, which would not be text")
	}
}

// Where names are written unquoted.
const (
	tagWriter       = "the istiod chart writes a revision tag unquoted into its labels, which would not be text"
	namespaceWriter = "charts write the namespace they install into unquoted (Istio 1.30's do), which would give objects and role bindings a namespace that is not text"
)

// derivedLength records a name that is valid on its own but too long for
// the names derived from it.
func derivedLength(p *problems, at, v, what, because string, limit int) {
	if len(v) > limit {
		p.errorf(at, "%s is %d characters; %s has at most %d, because %s", quote(v), len(v), what, limit, because)
	}
}

// annotationsSize records annotations over Kubernetes' limit for one
// object, counted as the API server counts them.
func annotationsSize(p *problems, at string, m map[string]string) {
	if apivalidation.ValidateAnnotationsSize(m) == nil {
		return
	}
	total := 0
	for k, v := range m {
		total += len(k) + len(v)
	}
	p.errorf(at, "%d bytes of annotations; Kubernetes allows at most %d in one object", total, apivalidation.TotalAnnotationSizeLimitB)
}

// ipAddress checks an IP address field as the API server checks
// Service.spec.loadBalancerIP.
func ipAddress(p *problems, at, v string) {
	for _, e := range validation.IsValidIPForLegacyField(nil, v, true, nil) {
		p.errorf(at, "%s is not an IP address: %s", quote(v), e.Detail)
	}
}

// tracingPort checks the port of a tracing address, which the address
// pattern lets be any number of up to five digits.
func (mc *MeshConfig) tracingPort(p *problems) {
	t := mc.Tracing
	if t == nil || !hostPortRE.MatchString(t.Address) {
		return
	}
	port := t.Address[strings.LastIndexByte(t.Address, ':')+1:]
	if n, _ := strconv.Atoi(port); n < 1 || n > 65535 {
		p.errorf("spec.mesh.tracing.address", "port %s is not a port number (1-65535)", port)
	}
}
