package compare

import (
	"strings"

	"sigs.k8s.io/yaml"
)

// yamlLines renders a value as YAML lines: one line for a scalar, a block
// for a mapping or a list.
func yamlLines(v any) []string {
	data, err := yaml.Marshal(v)
	if err != nil {
		// Values come from decoded YAML and always encode.
		return []string{"<unprintable>"}
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// multiline reports whether both values are strings and one spans lines.
func multiline(a, b any) (string, string, bool) {
	sa, ok1 := a.(string)
	sb, ok2 := b.(string)
	if !ok1 || !ok2 {
		return "", "", false
	}
	return sa, sb, strings.Contains(sa, "\n") || strings.Contains(sb, "\n")
}
