package compare

import (
	"fmt"
	"slices"
)

// Op says how an object or a field differs.
type Op int

// Ops.
const (
	// Added is only in the new set.
	Added Op = iota + 1
	// Removed is only in the old set.
	Removed
	// Changed is in both, with different content.
	Changed
	// Reordered is a list whose elements are matched by name and kept, in
	// part or in full, but in another order. Only a Field has it.
	Reordered
)

// String returns added, removed, changed or reordered.
func (o Op) String() string {
	switch o {
	case Added:
		return "added"
	case Removed:
		return "removed"
	case Changed:
		return "changed"
	case Reordered:
		return "reordered"
	}
	return fmt.Sprintf("Op(%d)", int(o))
}

// Change is one object that differs.
type Change struct {
	// Key identifies the object.
	Key Key
	// Op says whether it was added, removed or changed.
	Op Op
	// Old is the old object; nil when Added.
	Old Object
	// New is the new object; nil when Removed.
	New Object
	// Fields are the differing fields of a Changed object, in the object's
	// order: mapping keys sorted, list elements in list order.
	Fields []Field
}

// Field is one field that differs between two versions of an object.
type Field struct {
	// Path locates the field, e.g. spec.template.metadata.labels["app"] or
	// spec.template.spec.containers[name=istio-proxy].env[name=FOO].
	Path string
	// Op says whether the field was added, removed, changed or, for a list
	// whose elements are matched by name, reordered.
	Op Op
	// Old is the old value; nil when Added. When Reordered, the names of
	// the old list's elements in their order, as a []string.
	Old any
	// New is the new value; nil when Removed. When Reordered, the names of
	// the new list's elements in their order, as a []string.
	New any
}

// Report is the result of a comparison.
type Report struct {
	// Changes are sorted by kind, group, namespace and name.
	Changes []Change
}

// Equal reports whether the two sets hold the same objects.
func (r *Report) Equal() bool { return len(r.Changes) == 0 }

// Count returns how many objects differ in the given way.
func (r *Report) Count(op Op) int {
	n := 0
	for _, c := range r.Changes {
		if c.Op == op {
			n++
		}
	}
	return n
}

// Summary returns "no differences" or "N changed, N added, N removed".
func (r *Report) Summary() string {
	if r.Equal() {
		return "no differences"
	}
	return fmt.Sprintf("%d changed, %d added, %d removed", r.Count(Changed), r.Count(Added), r.Count(Removed))
}

// Objects compares an old and a new set of objects, matched by Key. An
// object without a kind or a name, or twice in one set, is an error.
func Objects(old, new []Object) (*Report, error) {
	before, err := index("old", old)
	if err != nil {
		return nil, err
	}
	after, err := index("new", new)
	if err != nil {
		return nil, err
	}
	r := &Report{}
	for k, o := range before {
		n, ok := after[k]
		switch {
		case !ok:
			r.Changes = append(r.Changes, Change{Key: k, Op: Removed, Old: o})
		default:
			if fields := diffFields(o, n); len(fields) > 0 {
				r.Changes = append(r.Changes, Change{Key: k, Op: Changed, Old: o, New: n, Fields: fields})
			}
		}
	}
	for k, n := range after {
		if _, ok := before[k]; !ok {
			r.Changes = append(r.Changes, Change{Key: k, Op: Added, New: n})
		}
	}
	slices.SortFunc(r.Changes, func(a, b Change) int { return compareKeys(a.Key, b.Key) })
	return r, nil
}
