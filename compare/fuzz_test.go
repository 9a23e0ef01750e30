package compare

import (
	"strings"
	"testing"
)

// FuzzObjects compares any two YAML streams that decode: Objects must not
// panic, must find no difference between a stream and itself, must name
// each field once, and must write the same report twice.
func FuzzObjects(f *testing.F) {
	const head = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
	f.Add(head+"spec: {env: [{name: A}, {name: B}]}", head+"spec: {env: [{name: B}, {name: A}]}")
	f.Add(head+"spec: {env: [{name: A}, {name: A}]}", head+"spec: {env: [{name: A}, {name: B, x: [1, [2]]}]}")
	f.Add(head+"spec: {volumes: [{name: b}, {name: a}]}", head+"spec: {volumes: {a: {}}}")
	f.Add(head+"spec: {a: [], b: null, 'c.d': 1, e10: 1, e9: 2}", head+"spec: {a: null, b: [], 'c.d': 1.0, e10: 2}")
	f.Add(head+"data: {m: \"a\\nb\\nc\"}", head+"data: {m: \"a\\nc\"}\n---\n"+head+"kind: Other")
	f.Fuzz(func(t *testing.T, a, b string) {
		old, err := Decode([]byte(a))
		if err != nil {
			return
		}
		new, err := Decode([]byte(b))
		if err != nil {
			return
		}
		r, err := Objects(old, new)
		if err != nil {
			return
		}
		for _, c := range r.Changes {
			if c.Op == Changed && len(c.Fields) == 0 {
				t.Errorf("%s changed without a field", c.Key)
			}
			seen := map[string]bool{}
			for _, fd := range c.Fields {
				if fd.Path == "" || seen[fd.Path] {
					t.Errorf("%s: field path %q empty or twice", c.Key, fd.Path)
				}
				seen[fd.Path] = true
			}
		}
		var first, second strings.Builder
		if err := r.Write(&first, Format{}); err != nil {
			t.Fatal(err)
		}
		r, _ = Objects(old, new)
		if err := r.Write(&second, Format{}); err != nil {
			t.Fatal(err)
		}
		if first.String() != second.String() {
			t.Errorf("two reports differ:\n%s\n%s", first.String(), second.String())
		}
		if self, err := Objects(old, old); err != nil || !self.Equal() {
			t.Errorf("a stream differs from itself: %v %+v", err, self)
		}
	})
}
