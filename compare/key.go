package compare

import (
	"cmp"
	"fmt"
	"strings"
)

// Key identifies an object.
type Key struct {
	// Group is the API group; empty for the core group.
	Group string
	// Kind, such as Deployment.
	Kind string
	// Namespace; empty for a cluster-scoped object.
	Namespace string
	// Name of the object.
	Name string
}

// KeyOf returns an object's identity.
func KeyOf(o Object) Key {
	av, _ := o["apiVersion"].(string)
	group, _, ok := strings.Cut(av, "/")
	if !ok {
		group = ""
	}
	kind, _ := o["kind"].(string)
	md, _ := o["metadata"].(map[string]any)
	ns, _ := md["namespace"].(string)
	name, _ := md["name"].(string)
	return Key{Group: group, Kind: kind, Namespace: ns, Name: name}
}

// String returns "Kind namespace/name", or "Kind name" when cluster-scoped,
// with the group in parentheses unless it is the core group.
func (k Key) String() string {
	s := k.Kind + " " + k.Object()
	if k.Group != "" {
		s += " (" + k.Group + ")"
	}
	return s
}

// Object returns "namespace/name", or the name alone when cluster-scoped.
func (k Key) Object() string {
	if k.Namespace == "" {
		return k.Name
	}
	return k.Namespace + "/" + k.Name
}

// compareKeys orders keys by kind, group, namespace and name.
func compareKeys(a, b Key) int {
	return cmp.Or(
		cmp.Compare(a.Kind, b.Kind),
		cmp.Compare(a.Group, b.Group),
		cmp.Compare(a.Namespace, b.Namespace),
		cmp.Compare(a.Name, b.Name),
	)
}

// index maps objects by key, rejecting anonymous and repeated objects.
func index(side string, objs []Object) (map[Key]Object, error) {
	out := make(map[Key]Object, len(objs))
	for i, o := range objs {
		k := KeyOf(o)
		if k.Kind == "" || k.Name == "" {
			return nil, fmt.Errorf("%s object %d has no kind or no metadata.name", side, i+1)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("%s has %s twice", side, k)
		}
		out[k] = normalize(o)
	}
	return out, nil
}

// normalize drops an empty metadata.labels or metadata.annotations, which
// Kubernetes treats as missing (and kustomize removes), without changing
// o.
func normalize(o Object) Object {
	md, ok := o["metadata"].(map[string]any)
	if !ok || !emptyMap(md["labels"]) && !emptyMap(md["annotations"]) {
		return o
	}
	out := make(Object, len(o))
	for k, v := range o {
		out[k] = v
	}
	m := make(map[string]any, len(md))
	for k, v := range md {
		if (k == "labels" || k == "annotations") && emptyMap(v) {
			continue
		}
		m[k] = v
	}
	out["metadata"] = m
	return out
}

// emptyMap reports whether v is a mapping with no keys, or null.
func emptyMap(v any) bool {
	if v == nil {
		return false
	}
	m, ok := v.(map[string]any)
	return ok && len(m) == 0
}
