package compare

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	gocmp "github.com/google/go-cmp/cmp"
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
)

// String returns added, removed or changed.
func (o Op) String() string {
	switch o {
	case Added:
		return "added"
	case Removed:
		return "removed"
	case Changed:
		return "changed"
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
	// Fields are the differing fields of a Changed object, in key order.
	Fields []Field
}

// Field is one field that differs between two versions of an object.
type Field struct {
	// Path locates the field, e.g. spec.template.metadata.labels["app"].
	Path string
	// Op says whether the field was added, removed or changed.
	Op Op
	// Old is the old value; nil when Added.
	Old any
	// New is the new value; nil when Removed.
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

// diffFields lists the leaves in which two objects differ. Lists are
// compared as maps keyed by their elements' names, or by index where the
// elements have none: go-cmp's own list alignment varies from run to run,
// and a diff meant for review must not.
func diffFields(old, new Object) []Field {
	var rep fieldReporter
	gocmp.Equal(keyed(old), keyed(new), gocmp.Reporter(&rep))
	slices.SortStableFunc(rep.fields, func(a, b Field) int { return naturalCompare(a.Path, b.Path) })
	return rep.fields
}

// keyedList is a list turned into a map by keyed; its own type keeps a list
// that replaced a mapping (or the other way round) one change.
type keyedList map[string]any

// unkeyed turns keyed lists back into lists, in element order.
func unkeyed(v any) any {
	switch x := v.(type) {
	case keyedList:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, naturalCompare)
		out := make([]any, len(keys))
		for i, k := range keys {
			out[i] = unkeyed(x[k])
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = unkeyed(e)
		}
		return out
	}
	return v
}

// naturalCompare orders strings with runs of digits compared as numbers,
// so list element [10] comes after [9].
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitPrefix(a), digitPrefix(b)
		if da != "" && db != "" {
			na, _ := strconv.Atoi(da)
			nb, _ := strconv.Atoi(db)
			if na != nb {
				return cmpInt(na, nb)
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return cmpInt(int(a[0]), int(b[0]))
		}
		a, b = a[1:], b[1:]
	}
	return cmpInt(len(a), len(b))
}

func digitPrefix(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// keyed turns every list in a tree into a map keyed "[name=X]" when each
// element is a mapping with a distinct name, else "[i]".
func keyed(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = keyed(e)
		}
		return out
	case []any:
		out := make(keyedList, len(x))
		names := listNames(x)
		for i, e := range x {
			key := "[" + strconv.Itoa(i) + "]"
			if names != nil {
				key = "[name=" + names[i] + "]"
			}
			out[key] = keyed(e)
		}
		return out
	}
	return v
}

// listNames returns each element's name, or nil unless every element is a
// mapping with a distinct, non-empty name.
func listNames(list []any) []string {
	names := make([]string, len(list))
	seen := map[string]bool{}
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil
		}
		name, _ := m["name"].(string)
		if name == "" || seen[name] {
			return nil
		}
		seen[name] = true
		names[i] = name
	}
	return names
}

// fieldReporter turns go-cmp's walk into Fields.
type fieldReporter struct {
	path   gocmp.Path
	fields []Field
}

func (r *fieldReporter) PushStep(ps gocmp.PathStep) { r.path = append(r.path, ps) }
func (r *fieldReporter) PopStep()                   { r.path = r.path[:len(r.path)-1] }

func (r *fieldReporter) Report(res gocmp.Result) {
	if res.Equal() {
		return
	}
	vx, vy := r.path.Last().Values()
	f := Field{Path: formatPath(r.path), Op: Changed}
	switch {
	case !vx.IsValid():
		f.Op, f.New = Added, unkeyed(vy.Interface())
	case !vy.IsValid():
		f.Op, f.Old = Removed, unkeyed(vx.Interface())
	default:
		f.Old, f.New = unkeyed(vx.Interface()), unkeyed(vy.Interface())
	}
	r.fields = append(r.fields, f)
}

// plainKey is a map key that needs no quoting in a path.
var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// formatPath writes a go-cmp path the way YAML is read: dots between keys,
// quoted keys where needed, and list elements by name where they have one.
func formatPath(p gocmp.Path) string {
	var b strings.Builder
	for _, step := range p {
		switch s := step.(type) {
		case gocmp.MapIndex:
			k := fmt.Sprint(s.Key().Interface())
			switch {
			case strings.HasPrefix(k, "[") && strings.HasSuffix(k, "]"):
				b.WriteString(k) // a list element, see keyed
			case !plainKey.MatchString(k):
				b.WriteString("[" + strconv.Quote(k) + "]")
			case b.Len() == 0:
				b.WriteString(k)
			default:
				b.WriteString("." + k)
			}
		case gocmp.SliceIndex:
			b.WriteString("[" + elementName(s) + "]")
		}
	}
	return b.String()
}

// elementName names a list element by its name field, or by its index in
// the new list (the old one when it was removed).
func elementName(s gocmp.SliceIndex) string {
	vx, vy := s.Values()
	for _, v := range []any{valueOf(vy), valueOf(vx)} {
		if m, ok := v.(map[string]any); ok {
			if name, ok := m["name"].(string); ok && name != "" {
				return "name=" + name
			}
		}
	}
	ix, iy := s.SplitKeys()
	if iy >= 0 {
		return strconv.Itoa(iy)
	}
	return strconv.Itoa(ix)
}
