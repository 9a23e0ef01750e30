package mesh

import (
	"fmt"
	"strings"

	yamlv2 "go.yaml.in/yaml/v2"
	yamlv3 "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// checkOctal records a number written with a leading zero (0443, 010,
// -010) or a 0o prefix (0o17). The document is read as YAML 1.1 (as Helm
// and kubectl read it), where a leading zero makes a number octal: port:
// 0443 becomes 291 and replicas: 010 becomes 8, silently. A 0o number is
// octal in YAML 1.2 but text in YAML 1.1, so tools disagree about it. The
// message says what the number is read as and what to write instead.
func checkOctal(p *problems, path *field.Path, n *yamlv3.Node) {
	tag := n.ShortTag()
	if tag != "!!int" && tag != "!!float" {
		return
	}
	digits := strings.TrimLeft(n.Value, "+-")
	sign := n.Value[:len(n.Value)-len(digits)]
	if len(digits) < 2 || digits[0] != '0' {
		return
	}
	read := readAs(n.Value)
	switch c := digits[1]; {
	case c == 'o' || c == 'O':
		p.errorf(pathString(path), "line %d: %s is an octal number in YAML 1.2 but text in YAML 1.1, so tools read it differently (%s here): write %s, or %s in quotes for text",
			n.Line, n.Value, read, read, quote(n.Value))
	case c >= '0' && c <= '9' || c == '_':
		decimal := strings.TrimLeft(strings.ReplaceAll(digits, "_", ""), "0")
		if decimal == "" {
			decimal = "0"
		}
		if decimal != "0" {
			decimal = strings.TrimPrefix(sign, "+") + decimal
		}
		if decimal == read {
			p.errorf(pathString(path), "line %d: %s has a leading zero, which marks an octal number in YAML 1.1 (it is read as %s): write %s, or %s in quotes for text",
				n.Line, n.Value, read, read, quote(n.Value))
			return
		}
		p.errorf(pathString(path), "line %d: %s has a leading zero, which YAML 1.1 reads as an octal number: %s here. Write %s if you mean that, %s if you mean decimal, or %s in quotes for text",
			n.Line, n.Value, read, read, decimal, quote(n.Value))
	}
}

// readAs is what the YAML 1.1 decoder reads a plain scalar as, printed.
func readAs(s string) string {
	var v any
	if err := yamlv2.Unmarshal([]byte(s), &v); err != nil {
		return quote(s)
	}
	return fmt.Sprint(v)
}
