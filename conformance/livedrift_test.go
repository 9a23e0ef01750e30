package conformance_test

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
)

// pathStep is one step into a value: a map key, or a list index.
type pathStep struct {
	key string
	// index is the list index; -1 for a map key.
	index int
	// label names a list element that has a name, for people; matching
	// uses the index.
	label string
}

func (s pathStep) isIndex() bool { return s.index >= 0 }

// fieldPath locates a value in an object.
type fieldPath []pathStep

// String writes the path as .a.b[name=x].c, or [2] for an element without
// a name.
func (p fieldPath) String() string {
	var b strings.Builder
	for _, s := range p {
		switch {
		case s.isIndex() && s.label != "":
			fmt.Fprintf(&b, "[name=%s]", s.label)
		case s.isIndex():
			fmt.Fprintf(&b, "[%d]", s.index)
		default:
			b.WriteString("." + s.key)
		}
	}
	return b.String()
}

func (p fieldPath) key(k string) fieldPath {
	return append(append(fieldPath(nil), p...), pathStep{key: k, index: -1})
}

func (p fieldPath) elem(i int, e any) fieldPath {
	m, _ := e.(map[string]any)
	label, _ := m["name"].(string)
	return append(append(fieldPath(nil), p...), pathStep{index: i, label: label})
}

// valueAt returns the value at a path of an object; nil when absent.
func valueAt(obj any, p fieldPath) any {
	v := obj
	for _, s := range p {
		if s.isIndex() {
			l, _ := v.([]any)
			if s.index >= len(l) {
				return nil
			}
			v = l[s.index]
			continue
		}
		m, _ := v.(map[string]any)
		v = m[s.key]
	}
	return v
}

// change is one value that differs between two versions of an object; a
// nil side is absent.
type change struct {
	path          fieldPath
	before, after any
}

func (c change) String() string {
	return fmt.Sprintf("%s: %s -> %s", c.path, shown(c.before), shown(c.after))
}

// shown writes a value for a message, shortened; a CA bundle by its
// certificates' organizations.
func shown(v any) string {
	if v == nil {
		return "<absent>"
	}
	if s, ok := v.(string); ok && len(s) > 100 {
		if orgs, err := bundleOrganizations(s); err == nil {
			return fmt.Sprintf("<CA bundle: %d certificate(s), O=%s>", len(orgs), strings.Join(orgs, ","))
		}
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	const limit = 120
	if len(data) > limit {
		return string(data[:limit]) + "…"
	}
	return string(data)
}

// bookkeeping are the fields the API server changes with every write:
// they say that an object changed, never how.
var bookkeeping = map[string]bool{
	".metadata.resourceVersion": true,
	".metadata.managedFields":   true,
	".metadata.generation":      true,
}

// changes returns every difference between two versions of a live object,
// at the deepest path where they differ, in path order. Lists of the same
// length are compared element by element, others as a whole; the
// bookkeeping fields are left out.
func changes(before, after map[string]any) []change {
	var out []change
	var walk func(p fieldPath, a, b any)
	walk = func(p fieldPath, a, b any) {
		if bookkeeping[p.String()] || reflect.DeepEqual(a, b) {
			return
		}
		if am, ok := a.(map[string]any); ok {
			if bm, ok := b.(map[string]any); ok {
				for _, k := range unionKeys(am, bm) {
					walk(p.key(k), am[k], bm[k])
				}
				return
			}
		}
		if al, ok := a.([]any); ok {
			if bl, ok := b.([]any); ok && len(al) == len(bl) {
				for i := range al {
					walk(p.elem(i, al[i]), al[i], bl[i])
				}
				return
			}
		}
		out = append(out, change{path: p, before: a, after: b})
	}
	walk(nil, before, after)
	return out
}

// renderedDrift returns every field the render sets whose live value
// differs from the rendered one. Fields the render leaves out are not
// compared: the server's defaults fill them. What the server stores in
// another form but with the same meaning is returned apart, as
// normalized: an empty map or list, null, or a zero value (the API's
// omitempty fields) stored as absent, and a quantity stored in canonical
// form (2048Mi as 2Gi).
func renderedDrift(rendered, live map[string]any) (drift, normalized []change) {
	var walk func(p fieldPath, r, l any)
	walk = func(p fieldPath, r, l any) {
		if empty(r) {
			return
		}
		switch rv := r.(type) {
		case map[string]any:
			if lm, ok := l.(map[string]any); ok {
				for _, k := range sortedKeys(rv) {
					walk(p.key(k), rv[k], lm[k])
				}
				return
			}
		case []any:
			if ll, ok := l.([]any); ok && len(ll) == len(rv) {
				for i := range rv {
					walk(p.elem(i, rv[i]), rv[i], ll[i])
				}
				return
			}
		default:
			if sameScalar(r, l) {
				return
			}
			if (l == nil && zero(r)) || sameQuantity(r, l) {
				normalized = append(normalized, change{path: p, before: r, after: l})
				return
			}
		}
		drift = append(drift, change{path: p, before: r, after: l})
	}
	walk(nil, rendered, live)
	return drift, normalized
}

// zero reports a scalar's zero value.
func zero(v any) bool {
	if f, ok := number(v); ok {
		return f == 0
	}
	return v == "" || v == false
}

// sameQuantity reports two values that are the same resource quantity:
// strings, or a number the render wrote for one (cpu: 1).
func sameQuantity(a, b any) bool {
	aq, ok1 := quantity(a)
	bq, ok2 := quantity(b)
	return ok1 && ok2 && aq.Cmp(bq) == 0
}

func quantity(v any) (resource.Quantity, bool) {
	s, ok := v.(string)
	if f, isNumber := number(v); isNumber {
		s, ok = strconv.FormatFloat(f, 'f', -1, 64), true
	}
	if !ok {
		return resource.Quantity{}, false
	}
	q, err := resource.ParseQuantity(s)
	return q, err == nil
}

// empty reports null, an empty map and an empty list.
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

// sameScalar compares scalars, numbers by value: YAML and JSON decoders
// disagree on int64 and float64 for whole numbers.
func sameScalar(a, b any) bool {
	if af, ok := number(a); ok {
		bf, ok := number(b)
		return ok && af == bf
	}
	return reflect.DeepEqual(a, b)
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func unionKeys(a, b map[string]any) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	return sortedKeys(seen)
}

// uncovered returns the changes of the object id that no owned field
// covers.
func uncovered(id string, cs []change, owned []ownedField) []change {
	var out []change
	for _, c := range cs {
		if !coveredBy(id, c.path, owned) {
			out = append(out, c)
		}
	}
	return out
}

func coveredBy(id string, p fieldPath, owned []ownedField) bool {
	for _, f := range owned {
		if f.covers(id, p) {
			return true
		}
	}
	return false
}

// observedChange is one run-time change of a rendered object.
type observedChange struct {
	id string
	change
	// owner is the field manager that owns the field afterwards, as
	// managedFields say; "" when none does.
	owner string
}

// coverage compares the changes the cluster made at run time with the
// list of run-time-owned fields: changes no entry covers (the list is
// missing a field, and a GitOps tool would fight the cluster over it), and
// entries that no change touched.
func coverage(observed []observedChange, owned []ownedField) (missing []observedChange, unobserved []ownedField) {
	for _, c := range observed {
		if !coveredBy(c.id, c.path, owned) {
			missing = append(missing, c)
		}
	}
	for _, f := range owned {
		seen := false
		for _, c := range observed {
			if f.covers(c.id, c.path) {
				seen = true
				break
			}
		}
		if !seen {
			unobserved = append(unobserved, f)
		}
	}
	return missing, unobserved
}

// fieldOwners flattens an object's managedFields into the paths each
// manager owns, written as fieldPath.String writes them.
func fieldOwners(obj map[string]any) map[string]string {
	out := map[string]string{}
	md, _ := obj["metadata"].(map[string]any)
	entries, _ := md["managedFields"].([]any)
	for _, e := range entries {
		m, _ := e.(map[string]any)
		manager, _ := m["manager"].(string)
		op, _ := m["operation"].(string)
		tree, _ := m["fieldsV1"].(map[string]any)
		var walk func(prefix string, t map[string]any)
		walk = func(prefix string, t map[string]any) {
			for k, v := range t {
				var p string
				switch {
				case k == ".":
					continue
				case strings.HasPrefix(k, "f:"):
					p = prefix + "." + k[2:]
				case strings.HasPrefix(k, "k:"):
					var key map[string]any
					if json.Unmarshal([]byte(k[2:]), &key) == nil && len(key) == 1 && key["name"] != nil {
						p = fmt.Sprintf("%s[name=%v]", prefix, key["name"])
					} else {
						p = prefix + "[" + k[2:] + "]"
					}
				case strings.HasPrefix(k, "i:"):
					n, _ := strconv.Atoi(k[2:])
					p = fmt.Sprintf("%s[%d]", prefix, n)
				default:
					p = prefix + "[" + k + "]"
				}
				out[p] = manager + " (" + op + ")"
				sub, _ := v.(map[string]any)
				walk(p, sub)
			}
		}
		walk("", tree)
	}
	return out
}

// bundleOrganizations returns the organizations of the certificates in a
// base64 PEM bundle, one per certificate.
func bundleOrganizations(b64 string) ([]string, error) {
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, err
	}
	var orgs []string
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, strings.Join(cert.Subject.Organization, "+"))
	}
	if len(orgs) == 0 {
		return nil, errors.New("no certificate")
	}
	return orgs, nil
}
