package mesh

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// extensionProviderKinds are the provider fields of Istio's
// MeshConfig.ExtensionProvider (istio.io/api mesh/v1alpha1): each provider
// sets exactly one of them.
var extensionProviderKinds = []string{
	"datadog", "envoyExtAuthzGrpc", "envoyExtAuthzHttp", "envoyFileAccessLog",
	"envoyHttpAls", "envoyOtelAls", "envoyTcpAls", "lightstep", "opencensus",
	"opentelemetry", "prometheus", "sds", "skywalking", "stackdriver", "zipkin",
}

// TracingProviderName is the name of the extension provider that
// spec.mesh.tracing renders: the provider's own name, zipkin or
// opentelemetry.
func (t *Tracing) TracingProviderName() string { return t.Provider }

// validateExtensionProviders checks that each extra provider has a unique
// name and exactly one known provider, and that none takes the tracing
// provider's name.
func (mc *MeshConfig) validateExtensionProviders(p *problems) {
	names := map[string]string{}
	if t := mc.Tracing; t != nil && t.Provider != "" {
		names[t.TracingProviderName()] = "spec.mesh.tracing"
	}
	for i, ep := range mc.ExtensionProviders {
		at := fmt.Sprintf("spec.mesh.extensionProviders[%d]", i)
		path := field.NewPath("spec", "mesh", "extensionProviders").Index(i)
		name, _ := ep["name"].(string)
		switch {
		case name == "":
			p.errorf(at+".name", "required: the name Telemetry resources and policies refer to")
		case names[name] != "":
			p.errorf(at+".name", "%s is also the name of %s", quote(name), names[name])
		default:
			names[name] = at
		}
		var kinds []string
		for _, k := range slices.Sorted(maps.Keys(ep)) {
			switch {
			case k == "name":
			case slices.Contains(extensionProviderKinds, k):
				kinds = append(kinds, k)
			default:
				p.errorf(childPath(path, k).String(), "unknown field%s; a provider is one of %s", suggestName(k, extensionProviderKinds), strings.Join(extensionProviderKinds, ", "))
			}
		}
		for _, k := range kinds {
			cfg, _ := ep[k].(map[string]any)
			if port, ok := cfg["port"]; ok {
				if n, ok := port.(float64); !ok || n != float64(int64(n)) || n < 1 || n > 65535 {
					p.errorf(childPath(childPath(path, k), "port").String(), "%v is not a port number (1-65535)", port)
				}
			}
		}
		providerShape(p, path, ep, kinds)
		if len(kinds) > 1 {
			p.errorf(at, "sets %s: an extension provider has exactly one", strings.Join(kinds, " and "))
		}
		if len(kinds) == 0 && len(ep) > 0 {
			p.errorf(at, "names no provider, such as opentelemetry: {service: otel-collector.observability.svc.cluster.local, port: 4317}")
		}
	}
}
