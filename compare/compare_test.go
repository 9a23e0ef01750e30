package compare

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustDecode(t *testing.T, s string) []Object {
	t.Helper()
	objs, err := Decode([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func TestObjectsFields(t *testing.T) {
	const head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\n"
	tests := []struct {
		reason   string
		old, new string
		want     []Field
	}{{
		reason: "equal objects give no change",
		old:    head + "data: {a: b}", new: head + "data: {a: b}",
	}, {
		reason: "a changed scalar",
		old:    head + "data: {a: b}", new: head + "data: {a: c}",
		want: []Field{{Path: "data.a", Op: Changed, Old: "b", New: "c"}},
	}, {
		reason: "keys that need quoting are quoted",
		old:    head + "metadata: {name: c, namespace: n, labels: {app.kubernetes.io/version: 1.30.0}}",
		new:    head + "metadata: {name: c, namespace: n, labels: {app.kubernetes.io/version: 1.31.0}}",
		want:   []Field{{Path: `metadata.labels["app.kubernetes.io/version"]`, Op: Changed, Old: "1.30.0", New: "1.31.0"}},
	}, {
		reason: "a key that looks like a list element is quoted",
		old:    head + "data: {'[0]': a}", new: head + "data: {'[0]': b}",
		want: []Field{{Path: `data["[0]"]`, Op: Changed, Old: "a", New: "b"}},
	}, {
		reason: "added and removed keys",
		old:    head + "data: {a: b}", new: head + "data: {c: d}",
		want: []Field{
			{Path: "data.a", Op: Removed, Old: "b"},
			{Path: "data.c", Op: Added, New: "d"},
		},
	}, {
		reason: "list elements with a name are shown by name, even when moved, in the list's order",
		old:    head + "env: [{name: A, value: x}, {name: B, value: old}]",
		new:    head + "env: [{name: Z, value: z}, {name: A, value: x}, {name: B, value: new}]",
		want: []Field{
			{Path: "env[name=Z]", Op: Added, New: map[string]any{"name": "Z", "value": "z"}},
			{Path: "env[name=B].value", Op: Changed, Old: "old", New: "new"},
		},
	}, {
		reason: "scalar list elements are shown by index",
		old:    head + "args: [a, b]", new: head + "args: [a, c]",
		want: []Field{{Path: "args[1]", Op: Changed, Old: "b", New: "c"}},
	}, {
		reason: "a value that changes type is one change",
		old:    head + "data: {a: b}", new: head + "data: [a]",
		want: []Field{{Path: "data", Op: Changed, Old: map[string]any{"a": "b"}, New: []any{"a"}}},
	}, {
		reason: "empty labels and annotations equal missing ones",
		old:    head + "data: {a: b}",
		new:    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n, labels: {}, annotations: {}}\ndata: {a: b}",
	}, {
		reason: "numbers compare as written",
		old:    head + "spec: {replicas: 1}", new: head + "spec: {replicas: 2}",
		want: []Field{{Path: "spec.replicas", Op: Changed, Old: json.Number("1"), New: json.Number("2")}},
	}, {
		reason: "numbers of equal value decode alike: 1, 1.0 and 1e0 are one number",
		old:    head + "spec: {replicas: 1, ratio: 0.50, big: 1000}", new: head + "spec: {replicas: 1.0, ratio: 0.5, big: 1e3}",
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			r, err := Objects(mustDecode(t, tc.old), mustDecode(t, tc.new))
			if err != nil {
				t.Fatal(err)
			}
			var got []Field
			if len(r.Changes) > 0 {
				if r.Changes[0].Op != Changed || len(r.Changes) != 1 {
					t.Fatalf("Changes = %+v, want one changed object", r.Changes)
				}
				got = r.Changes[0].Fields
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if r.Equal() != (len(tc.want) == 0) {
				t.Errorf("Equal() = %t with %d fields", r.Equal(), len(got))
			}
		})
	}
}

func TestObjectsErrors(t *testing.T) {
	tests := []struct {
		reason   string
		old, new string
		want     string
	}{{
		reason: "an object twice in one set",
		old:    "kind: A\nmetadata: {name: x}\n---\nkind: A\nmetadata: {name: x}\n",
		want:   "old has A x twice",
	}, {
		reason: "an object without a name",
		new:    "kind: A\nmetadata: {}\n",
		want:   "new object 1 has no kind or no metadata.name",
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			_, err := Objects(mustDecode(t, tc.old), mustDecode(t, tc.new))
			if err == nil || err.Error() != tc.want {
				t.Errorf("Objects() error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		reason  string
		in      string
		want    []string
		wantErr string
	}{{
		reason: "empty documents and comments are skipped",
		in:     "---\n# nothing\n---\nkind: A\nmetadata: {name: a}\n---\n",
		want:   []string{"A a"},
	}, {
		reason: "a List is expanded",
		in:     "kind: List\nitems:\n- {kind: A, metadata: {name: a}}\n- {kind: B, metadata: {name: b}}\n",
		want:   []string{"A a", "B b"},
	}, {
		reason:  "a scalar document is not an object",
		in:      "kind: A\nmetadata: {name: a}\n---\njust text\n",
		wantErr: "document 2: not a Kubernetes object",
	}, {
		reason:  "broken YAML names its document",
		in:      "kind: [\n",
		wantErr: "document 1:",
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			objs, err := Decode([]byte(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Decode() error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range objs {
				got = append(got, KeyOf(o).String())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("objects (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiffLines(t *testing.T) {
	old := "a\nb\nc\nd\ne\nf\ng\nh"
	new := "a\nb\nc\nd\nE\nf\ng\nh\ni"
	var got []string
	for _, l := range diffLines(old, new) {
		got = append(got, string(l.op)+l.text)
	}
	want := []string{".", " c", " d", "-e", "+E", " f", " g", " h", "+i"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diffLines (-want +got):\n%s", diff)
	}
}

func TestWriteFormats(t *testing.T) {
	old := mustDecode(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |-\n    a: 1\n    b: 2\n    c: 3\n")
	new := mustDecode(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |-\n    a: 1\n    b: 20\n    c: 3\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n")
	r, err := Objects(old, new)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		reason string
		format Format
		want   string
	}{{
		reason: "text shows multi-line strings line by line",
		want: `1 changed, 1 added, 0 removed

ConfigMap
~ istio-system/istio (1 field)
      data.mesh:
        a: 1
-       b: 2
+       b: 20
        c: 3

Namespace
+ shop (added)
+     apiVersion: v1
+     kind: Namespace
+     metadata:
+       name: shop
`,
	}, {
		reason: "markdown puts each kind in a diff block",
		format: Format{Markdown: true, Brief: true},
		want: "**1 changed, 1 added, 0 removed**\n\n" +
			"#### ConfigMap\n\n```diff\n~ istio-system/istio (1 field)\n```\n\n" +
			"#### Namespace\n\n```diff\n+ shop (added)\n```\n",
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			var b strings.Builder
			if err := r.Write(&b, tc.format); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, b.String()); diff != "" {
				t.Errorf("Write() (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDiffIsStable pins diffs whose alignment is ambiguous: a review tool
// must print the same diff on every run, so lists without names align by
// index and lines by difflib's longest match, never by a choice among equal
// alignments.
func TestDiffIsStable(t *testing.T) {
	const head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\n"
	old := mustDecode(t, head+"data: {a: \"x\\ny\\nx\\ny\\nx\"}\nargs: [a, b, a, b, a]\n")[0]
	new := mustDecode(t, head+"data: {a: \"y\\nx\\ny\"}\nargs: [b, a, b]\n")[0]
	const wantFields = "[{args[0] changed a b} {args[1] changed b a} {args[2] changed a b} {args[3] removed b <nil>} {args[4] removed a <nil>} {data.a changed x\ny\nx\ny\nx y\nx\ny}]"
	if got := fmt.Sprint(diffFields(old, new)); got != wantFields {
		t.Errorf("fields:\n got %q\nwant %q", got, wantFields)
	}
	const wantLines = "[{45 x} {32 y} {32 x} {32 y} {45 x}]"
	if got := fmt.Sprint(diffLines("x\ny\nx\ny\nx", "y\nx\ny")); got != wantLines {
		t.Errorf("lines:\n got %q\nwant %q", got, wantLines)
	}
}

// TestObjectsValues pins how values that Decode does not produce compare:
// numbers given as json.Number compare as written, Go numbers of different
// types differ, and values of other types compare whole.
func TestObjectsValues(t *testing.T) {
	obj := func(v any) Object {
		return Object{"kind": "A", "metadata": map[string]any{"name": "a"}, "v": v}
	}
	tests := []struct {
		reason   string
		old, new any
		want     []Field
	}{{
		reason: "json.Number compares as written",
		old:    json.Number("1"), new: json.Number("1.0"),
		want: []Field{{Path: "v", Op: Changed, Old: json.Number("1"), New: json.Number("1.0")}},
	}, {
		reason: "a number differs from a string that spells it",
		old:    json.Number("1"), new: "1",
		want: []Field{{Path: "v", Op: Changed, Old: json.Number("1"), New: "1"}},
	}, {
		reason: "an int differs from a float of the same value",
		old:    1, new: 1.0,
		want: []Field{{Path: "v", Op: Changed, Old: 1, New: 1.0}},
	}, {
		reason: "equal ints are equal",
		old:    int64(7), new: int64(7),
	}, {
		reason: "null differs from false",
		old:    nil, new: false,
		want: []Field{{Path: "v", Op: Changed, Old: nil, New: false}},
	}, {
		reason: "equal typed lists are equal, without a panic",
		old:    []string{"a"}, new: []string{"a"},
	}, {
		reason: "typed lists and mappings compare whole",
		old:    map[string][]string{"k": {"a"}}, new: map[string][]string{"k": {"b"}},
		want: []Field{{Path: "v", Op: Changed, Old: map[string][]string{"k": {"a"}}, New: map[string][]string{"k": {"b"}}}},
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			r, err := Objects([]Object{obj(tc.old)}, []Object{obj(tc.new)})
			if err != nil {
				t.Fatal(err)
			}
			var got []Field
			for _, c := range r.Changes {
				got = append(got, c.Fields...)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}
