package mesh

import (
	"fmt"
	"maps"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation"
)

// validateObjects checks a gateway's additional Gateway objects: names
// unique in the namespace, selectors that select this gateway's pods, and
// their servers, whose ports share the protocols of every other object of
// the gateway.
func (g *Gateway) validateObjects(p *problems, at string, objects map[string]string, protoByPort map[int32]string, certs map[string]string) {
	pods := g.SelectorLabels()
	for k := range g.Objects {
		o := &g.Objects[k]
		op := fmt.Sprintf("%s.objects[%d]", at, k)
		if o.Name == "" {
			p.errorf(op+".name", "required")
		} else {
			dns1123Label(p, op+".name", o.Name) // istiod refuses a Gateway whose name has a dot
			key := g.Namespace + "/" + o.Name
			if first, dup := objects[key]; dup {
				p.errorf(op+".name", "Gateway object %s is also rendered by %s", quote(key), first)
			}
			objects[key] = op
		}
		if len(o.Selector) > 0 {
			labels(p, op+".selector", o.Selector)
			if v, ok := o.Selector["istio"]; !ok || v != pods["istio"] {
				p.errorf(op+".selector", "must hold istio: %s, the label that binds the object to this gateway's pods", quote(pods["istio"]))
			}
			for _, key := range slices.Sorted(maps.Keys(o.Selector)) {
				if key == "istio" || len(validation.IsQualifiedName(key)) > 0 {
					continue // a bad key is reported once, by labels
				}
				if v, ok := pods[key]; !ok || v != o.Selector[key] {
					p.errorf(keyAt(op+".selector", key), "the gateway's pods do not carry %s: %s, so the object would select none of them", quote(key), quote(o.Selector[key]))
				}
			}
		}
		if len(o.Servers) == 0 {
			p.errorf(op+".servers", "required: at least one server")
		}
		g.validateServers(p, op, o.Servers, protoByPort, certs)
	}
}
