package mesh

import (
	"fmt"
	"strings"

	yamlv2 "go.yaml.in/yaml/v2"
)

// chartText records a name that a chart writes into its YAML unquoted
// and that YAML 1.1, as Helm and kubectl read the charts' output, takes
// for something other than text: a boolean (y, no, on), null, or a number
// (123, 0x1f, 1e3). Such a name would turn the labels or object names made
// from it into booleans, numbers or nothing. where says what writes it.
func chartText(p *problems, at, v, where string) {
	reads, kind := yamlReading(v)
	if kind == "" {
		return
	}
	if reads != kind {
		kind += " (" + reads + ")"
	}
	p.errorf(at, "%s is %s to YAML 1.1, as Helm and kubectl read it, and %s; choose a name YAML reads as text",
		quote(v), kind, where)
}

// yamlReading returns what YAML 1.1 reads a plain scalar as, and its kind
// ("a boolean", "null", "a number"); kind is "" for text.
func yamlReading(v string) (reads, kind string) {
	var x any
	if err := yamlv2.Unmarshal([]byte(v), &x); err != nil {
		return "", ""
	}
	switch x := x.(type) {
	case string:
		return "", ""
	case nil:
		return "null", "null"
	case bool:
		return fmt.Sprint(x), "a boolean"
	case int, int64, uint64, float64:
		return strings.TrimSpace(fmt.Sprint(x)), "a number"
	}
	return fmt.Sprint(x), "not text"
}
