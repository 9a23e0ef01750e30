package render

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/mesh"
)

// meshConfigs checks istiod's mesh config as rendered, whatever rendered
// it:
//
//   - istiod decodes it, and its mesh networks (meshProto);
//   - Istio produces its standard metrics only through the providers
//     defaultProviders.metrics names; the istiod chart lists prometheus
//     there unless values set defaultProviders at all, and Istio's own
//     default lists none. The spec has no field that turns metrics off, so
//     prometheus must always be listed.
//   - every extension provider's port, and a Zipkin tracing address's, is
//     a port number.
func (v *view) meshConfigs(s *mesh.Spec) []finding {
	tracing := ""
	if t := s.Mesh.Tracing; t != nil && t.Provider != "" {
		tracing = "spec.mesh.tracing"
	}
	var out []finding
	for _, m := range v.meshes {
		found, ok := meshProto(s, m)
		out = append(out, found...)
		if !ok {
			// istiod would not use this mesh config at all.
			continue
		}
		var mc struct {
			DefaultProviders *struct {
				Metrics []string `json:"metrics"`
			} `json:"defaultProviders"`
			ExtensionProviders []map[string]any `json:"extensionProviders"`
			DefaultConfig      struct {
				Tracing struct {
					Zipkin struct {
						Address string `json:"address"`
					} `json:"zipkin"`
				} `json:"tracing"`
			} `json:"defaultConfig"`
		}
		f := finding{component: m.component, object: m.object}
		if err := yaml.Unmarshal([]byte(m.mesh), &mc); err != nil {
			f.message = fmt.Sprintf("the mesh config does not parse: %v", err)
			out = append(out, f)
			continue
		}
		var metrics []string
		if mc.DefaultProviders != nil {
			metrics = mc.DefaultProviders.Metrics
		}
		if !slices.Contains(metrics, "prometheus") {
			f.valuesKeys, f.field = []any{"meshConfig", "defaultProviders"}, orField(tracing, "provider")
			f.message = fmt.Sprintf("the mesh config's defaultProviders list no prometheus metrics provider (metrics: [%s]), so Istio produces none of its standard metrics anywhere in the mesh; list prometheus in istiod's meshConfig.defaultProviders.metrics (spec.values.istiod)",
				strings.Join(metrics, ", "))
			out = append(out, f)
		}
		for i, p := range mc.ExtensionProviders {
			name, _ := p["name"].(string)
			for _, kind := range sortedKeys(p) {
				cfg, _ := p[kind].(map[string]any)
				port, ok := wholeNumber(cfg["port"])
				if !ok || port >= 1 && port <= 65535 {
					continue
				}
				// The spec's extension providers come first, the
				// tracing provider last (meshConfig in values.go).
				field := orField(tracing, "address")
				if i < len(s.Mesh.ExtensionProviders) {
					field = fmt.Sprintf("spec.mesh.extensionProviders[%d].%s.port", i, kind)
				}
				out = append(out, finding{
					component: m.component, object: m.object,
					valuesKeys: []any{"meshConfig", "extensionProviders", i, kind, "port"}, field: field,
					message: fmt.Sprintf("extension provider %s: port %d is not a port number (1-65535)", mesh.Quote(name), port),
				})
			}
		}
		if addr := mc.DefaultConfig.Tracing.Zipkin.Address; addr != "" {
			port := addr[strings.LastIndexByte(addr, ':')+1:]
			if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
				out = append(out, finding{
					component: m.component, object: m.object,
					valuesKeys: []any{"meshConfig", "defaultConfig", "tracing", "zipkin", "address"}, field: orField(tracing, "address"),
					message: fmt.Sprintf("the Zipkin tracing address %s has no port number (1-65535)", mesh.Quote(addr)),
				})
			}
		}
	}
	return out
}

// orField is at.name, or "" when at is.
func orField(at, name string) string {
	if at == "" {
		return ""
	}
	return at + "." + name
}
