package mesh

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// providerShape checks the shape istiod decodes an extension provider
// into (istio.io/api mesh/v1alpha1 MeshConfig.ExtensionProvider): a name
// that is a string, and settings that are a mapping. Either mistake makes
// istiod ignore the whole mesh config, not just the provider; the render
// checks the rest of each provider with istiod's own decoder.
func providerShape(p *problems, at *field.Path, ep Values, kinds []string) {
	if name, ok := ep["name"]; ok && name != nil {
		if _, ok := name.(string); !ok {
			p.errorf(at.Child("name").String(), "is %s; a provider's name is a string", ValueKind(name))
		}
	}
	for _, k := range kinds {
		switch v := ep[k].(type) {
		case map[string]any, nil:
		default:
			example := "{service: collector.observability.svc.cluster.local, port: 4317}"
			if k == "prometheus" {
				example = "{}"
			}
			p.errorf(childPath(at, k).String(), "is %s; a provider's settings are a mapping, such as %s: %s", ValueKind(v), k, example)
		}
	}
}

// ValueKind names the type of a decoded YAML or JSON value for a message:
// "null", "a boolean", "a string", "a list", "a mapping" or "a number (N)".
func ValueKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("a number (%v)", v)
}
