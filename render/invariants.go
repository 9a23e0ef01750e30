package render

import (
	"fmt"
	"strings"

	"github.com/istio-render/istio-render/mesh"
)

// A render is checked before it is returned, so that what validate,
// render and the KRM function accept also works once applied:
//
//   - each object, as it is parsed, against Kubernetes' own rules for its
//     kind that need no cluster (inspectObject);
//   - the objects together (checkRendered): every Gateway object selects
//     rendered gateway pods; Istio's injector gives every gateway's pods
//     their proxy, by the revision they name; client mTLS only toward
//     namespaces whose pods have a proxy; Service port names that declare
//     the protocol the gateway's server speaks; a mesh config istiod
//     decodes, that keeps Prometheus metrics and valid provider ports;
//     and AuthorizationPolicies that allow gateways by the identity their
//     pods run as.
//
// A broken rule is an error naming the spec field that caused it
// (blamer). Risky but legal choices are warned about by the spec's own
// validation, in spec terms, and not again here.

// finding is one broken rule, before it is traced to the spec.
type finding struct {
	// component produced the object.
	component string
	// object names it: Kind "namespace/name".
	object string
	// valuesKeys is where in a chart's values a setting would cause the
	// finding; a raw values layer that sets it is blamed first.
	valuesKeys []any
	// field is the spec field to blame when no raw values are, where
	// the check knows it.
	field string
	// text is the offending text (a name, label, IP, port) by which the
	// spec field is found otherwise.
	text string
	// value is the offending mapping or list, found in raw values by
	// equal contents when there is no text.
	value any
	// message says what is wrong.
	message string
}

// checkRendered runs the checks across objects on the objects a render
// kept for them and reports them with the findings made while parsing,
// traced to the spec, as a *mesh.ValidationError.
func checkRendered(s *mesh.Spec, rels []*release, objs []parsedObject, found []finding) error {
	v := newView(objs)
	b := newBlamer(s, rels)
	found = append(found, v.gatewaySelectors()...)
	found = append(found, v.gatewayInjection(b)...)
	found = append(found, v.clientMTLS(b)...)
	found = append(found, v.portProtocols()...)
	found = append(found, v.meshConfigs(s)...)
	found = append(found, v.gatewayPrincipals(s, b)...)
	return report(b, found)
}

// report traces findings to spec fields and turns them into errors and
// warnings; the same problem in several objects is reported once.
func report(b *blamer, found []finding) error {
	type problem struct {
		// component is kept only when no spec field explains the problem.
		field, component, message string
	}
	var order []problem
	objects := map[problem][]string{}
	for _, f := range found {
		p := problem{field: b.field(f), message: f.message}
		if p.field == "" {
			p.component = f.component
		}
		if _, seen := objects[p]; !seen {
			order = append(order, p)
		}
		objects[p] = append(objects[p], f.object)
	}
	if len(order) == 0 {
		return nil
	}
	errs := make([]mesh.FieldError, len(order))
	for i, p := range order {
		objs := objects[p]
		where := objs[0]
		if n := len(objs) - 1; n > 0 {
			where += fmt.Sprintf(" and %d more %s", n, plural(n, "object", "objects"))
		}
		msg := where + ": " + p.message
		if p.component != "" {
			msg = p.component + ": " + msg
		}
		errs[i] = mesh.FieldError{Field: p.field, Message: msg}
	}
	return &mesh.ValidationError{Errors: errs}
}

// plural picks the singular or plural form for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// joinLabels prints labels as k=v pairs, sorted.
func joinLabels(m map[string]string) string {
	if len(m) == 0 {
		return "none"
	}
	var out []string
	for _, k := range sortedKeys(m) {
		out = append(out, k+"="+m[k])
	}
	return strings.Join(out, ",")
}
