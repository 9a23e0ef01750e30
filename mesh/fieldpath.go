package mesh

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Quote prepares text a user wrote for a message, as every message of this
// package does: cut to 64 bytes on a character boundary and quoted with Go
// escapes, so that it cannot redraw a terminal or forge a line.
func Quote(s string) string { return quote(s) }

// FieldPath appends keys to a field path the way this package prints
// paths: [i] for an int (a list index), .key for a plain key, and ["key"]
// quoted for any other key. FieldPath("spec.values.gateway", "labels",
// "sidecar.istio.io/inject") is
// spec.values.gateway.labels["sidecar.istio.io/inject"].
func FieldPath(at string, keys ...any) string {
	var p *field.Path
	for _, k := range keys {
		if i, ok := k.(int); ok {
			p = p.Index(i)
			continue
		}
		p = childPath(p, fmt.Sprint(k))
	}
	if p == nil {
		return at
	}
	s := p.String()
	if s[0] != '[' {
		s = "." + s
	}
	return at + s
}
