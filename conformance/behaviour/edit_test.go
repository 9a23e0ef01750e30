package behaviour_test

import (
	"encoding/json"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// The helpers below break a rendered bundle in place for the tests that
// show each check failing. Each fails the test when what it should
// change is not rendered, so a break never silently does nothing.

// edit changes one rendered object, of a kind in an API group ("" for
// the core group or whichever group renders the kind alone).
func edit(t *testing.T, b *bundle, kind, ns, name string, f func(u *unstructured.Unstructured)) {
	t.Helper()
	u := b.find(kind, ns, name)
	if u == nil {
		t.Fatalf("%s %s/%s is not rendered", kind, ns, name)
	}
	f(u)
}

// editGroup is edit for a kind of one API group.
func editGroup(t *testing.T, b *bundle, group, kind, ns, name string, f func(u *unstructured.Unstructured)) {
	t.Helper()
	for _, o := range b.objs {
		if o.GroupVersionKind().Group == group && o.GetKind() == kind && o.GetNamespace() == ns && o.GetName() == name {
			f(o)
			return
		}
	}
	t.Fatalf("%s %s %s/%s is not rendered", group, kind, ns, name)
}

// drop removes one rendered object.
func drop(t *testing.T, b *bundle, kind, ns, name string) {
	t.Helper()
	for i, o := range b.objs {
		if o.GetKind() == kind && o.GetNamespace() == ns && o.GetName() == name {
			b.objs = append(b.objs[:i], b.objs[i+1:]...)
			return
		}
	}
	t.Fatalf("%s %s/%s is not rendered", kind, ns, name)
}

// set sets a field of an object.
func set(t *testing.T, u *unstructured.Unstructured, value any, path ...string) {
	t.Helper()
	if err := unstructured.SetNestedField(u.Object, value, path...); err != nil {
		t.Fatalf("%s %s: %v", u.GetKind(), strings.Join(path, "."), err)
	}
}

// unset removes a field of an object, which must be there.
func unset(t *testing.T, u *unstructured.Unstructured, path ...string) {
	t.Helper()
	if _, found, _ := unstructured.NestedFieldNoCopy(u.Object, path...); !found {
		t.Fatalf("%s %s/%s has no %s", u.GetKind(), u.GetNamespace(), u.GetName(), strings.Join(path, "."))
	}
	unstructured.RemoveNestedField(u.Object, path...)
}

// editItem changes element i of a list field, which must exist.
func editItem(t *testing.T, u *unstructured.Unstructured, i int, f func(item map[string]any), path ...string) {
	t.Helper()
	list, _, _ := unstructured.NestedSlice(u.Object, path...)
	if i >= len(list) {
		t.Fatalf("%s %s/%s: %s has %d items, not %d", u.GetKind(), u.GetNamespace(), u.GetName(), strings.Join(path, "."), len(list), i+1)
	}
	f(list[i].(map[string]any))
	set(t, u, list, path...)
}

// editData rewrites a YAML or JSON document held in a ConfigMap key.
func editData(t *testing.T, u *unstructured.Unstructured, key string, f func(doc map[string]any)) {
	t.Helper()
	text, found, _ := unstructured.NestedString(u.Object, "data", key)
	if !found {
		t.Fatalf("ConfigMap %s has no key %s", u.GetName(), key)
	}
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("ConfigMap %s key %s: %v", u.GetName(), key, err)
	}
	f(doc)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	set(t, u, string(out), "data", key)
}

// at walks into nested maps, creating them.
func at(doc map[string]any, path ...string) map[string]any {
	for _, p := range path {
		next, ok := doc[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			doc[p] = next
		}
		doc = next
	}
	return doc
}

// item is element i of a list in a map, which must exist.
func item(t *testing.T, doc map[string]any, key string, i int) map[string]any {
	t.Helper()
	list, _ := doc[key].([]any)
	if i >= len(list) {
		t.Fatalf("%s has %d items, not %d", key, len(list), i+1)
	}
	return list[i].(map[string]any)
}

// grep returns the first line that contains sub, or "".
func grep(lines []string, sub string) string {
	for _, l := range lines {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}
