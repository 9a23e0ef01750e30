package compare

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// plainKey is a map key that needs no quoting in a path.
var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// plainName is a list element's name that needs no quoting in a path or a
// list of names: the characters of Kubernetes names, environment variables
// and ports.
var plainName = regexp.MustCompile(`^[A-Za-z0-9_.:/-]+$`)

// keyPath returns the path of key k in the mapping at path: path.k, or
// path["k"] when k needs quoting; k or ["k"] at the top.
func keyPath(path, k string) string {
	switch {
	case !plainKey.MatchString(k):
		return path + "[" + strconv.Quote(k) + "]"
	case path == "":
		return k
	}
	return path + "." + k
}

// elementPath returns the path of the list element named name.
func elementPath(path, name string) string {
	return path + "[name=" + quoteName(name) + "]"
}

// quoteName returns a name as is when it is plain, else quoted.
func quoteName(name string) string {
	if plainName.MatchString(name) {
		return name
	}
	return strconv.Quote(name)
}

// joinNames writes names as "a, b, c", quoting those that need it.
func joinNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteName(n)
	}
	return strings.Join(q, ", ")
}

// keyStep is one key of a mapping and its path.
type keyStep struct {
	key, path string
}

// unionKeys returns the keys of both mappings with their paths, ordered by
// path: runs of digits compare as numbers, so port9 comes before port10,
// and keys that compare equal that way (a01, a1) by their bytes.
func unionKeys(path string, a, b map[string]any) []keyStep {
	steps := make([]keyStep, 0, max(len(a), len(b)))
	for k := range a {
		steps = append(steps, keyStep{key: k, path: keyPath(path, k)})
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			steps = append(steps, keyStep{key: k, path: keyPath(path, k)})
		}
	}
	// All paths start with path; no digit run crosses its end, which is a
	// key or "]", as the next step starts with "." or "[".
	slices.SortFunc(steps, func(x, y keyStep) int {
		if c := naturalCompare(x.path[len(path):], y.path[len(path):]); c != 0 {
			return c
		}
		return strings.Compare(x.key, y.key)
	})
	return steps
}

// naturalCompare orders strings with runs of digits compared as numbers.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitPrefix(a), digitPrefix(b)
		if da != "" && db != "" {
			if c := compareDigits(da, db); c != 0 {
				return c
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

// compareDigits compares two runs of digits as numbers of any length.
func compareDigits(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func digitPrefix(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}
