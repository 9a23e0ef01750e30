package compare

import (
	"slices"
	"strconv"
)

// list compares two lists. When every element of each list is a mapping
// with a distinct, non-empty name, elements are matched by name, so a
// changed element is one set of fields under [name=X] however the list
// moved; a change in the order of the kept elements is then a Reordered
// field at the list's own path. Otherwise elements are compared by index.
func (d *differ) list(path string, old, new []any) {
	oldNames, newNames := listNames(old), listNames(new)
	if oldNames == nil || newNames == nil {
		d.byIndex(path, old, new)
		return
	}
	d.byName(path, old, new, oldNames, newNames)
}

// byIndex compares element i with element i.
func (d *differ) byIndex(path string, old, new []any) {
	for i := range max(len(old), len(new)) {
		p := path + "[" + strconv.Itoa(i) + "]"
		switch {
		case i >= len(new):
			d.add(Field{Path: p, Op: Removed, Old: old[i]})
		case i >= len(old):
			d.add(Field{Path: p, Op: Added, New: new[i]})
		default:
			d.value(p, old[i], new[i])
		}
	}
}

// byName matches elements by name. Fields come in the new list's order,
// each removed element just before the first kept element that followed
// it in the old list.
func (d *differ) byName(path string, old, new []any, oldNames, newNames []string) {
	oldAt := positions(oldNames)
	newAt := positions(newNames)
	if !slices.Equal(kept(oldNames, newAt), kept(newNames, oldAt)) {
		d.add(Field{Path: path, Op: Reordered, Old: oldNames, New: newNames})
	}
	next := 0
	removedBefore := func(end int) {
		for ; next < end; next++ {
			if _, ok := newAt[oldNames[next]]; !ok {
				d.add(Field{Path: elementPath(path, oldNames[next]), Op: Removed, Old: old[next]})
			}
		}
	}
	for j, name := range newNames {
		i, ok := oldAt[name]
		if !ok {
			d.add(Field{Path: elementPath(path, name), Op: Added, New: new[j]})
			continue
		}
		removedBefore(i)
		d.value(elementPath(path, name), old[i], new[j])
	}
	removedBefore(len(old))
}

// listNames returns each element's name, or nil unless every element is a
// mapping with a distinct, non-empty name. An empty list has names: none.
func listNames(list []any) []string {
	names := make([]string, len(list))
	seen := make(map[string]bool, len(list))
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

// positions maps each name to its index.
func positions(names []string) map[string]int {
	at := make(map[string]int, len(names))
	for i, n := range names {
		at[n] = i
	}
	return at
}

// kept returns the names that are also in other, in their order.
func kept(names []string, other map[string]int) []string {
	var out []string
	for _, n := range names {
		if _, ok := other[n]; ok {
			out = append(out, n)
		}
	}
	return out
}
