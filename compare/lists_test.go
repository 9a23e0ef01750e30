package compare

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// diffDocs compares two one-object YAML documents and returns the fields of
// the one changed object, or nil when they are equal.
func diffDocs(t *testing.T, old, new string) []Field {
	t.Helper()
	r, err := Objects(mustDecode(t, old), mustDecode(t, new))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Changes) == 0 {
		return nil
	}
	if len(r.Changes) != 1 || r.Changes[0].Op != Changed {
		t.Fatalf("Changes = %+v, want one changed object", r.Changes)
	}
	return r.Changes[0].Fields
}

// num is a number as Decode returns it.
func num(s string) json.Number { return json.Number(s) }

// pod is a Deployment whose pod template spec is body.
func pod(body string) string {
	return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: web}\nspec:\n  template:\n    spec:\n" + body
}

func TestObjectsListOrder(t *testing.T) {
	const proxy = "spec.template.spec.containers[name=istio-proxy]"
	tests := []struct {
		reason   string
		old, new string
		want     []Field
	}{{
		reason: "reordered env is a difference: $(VAR) references only see variables defined before them",
		old: pod(`      containers:
      - name: istio-proxy
        env: [{name: HOST, value: db}, {name: URL, value: "http://$(HOST)"}]
`),
		new: pod(`      containers:
      - name: istio-proxy
        env: [{name: URL, value: "http://$(HOST)"}, {name: HOST, value: db}]
`),
		want: []Field{{Path: proxy + ".env", Op: Reordered, Old: []string{"HOST", "URL"}, New: []string{"URL", "HOST"}}},
	}, {
		reason: "reordered initContainers is a difference: they run one after another in list order",
		old:    pod("      initContainers: [{name: setup, image: a}, {name: migrate, image: b}]\n"),
		new:    pod("      initContainers: [{name: migrate, image: b}, {name: setup, image: a}]\n"),
		want:   []Field{{Path: "spec.template.spec.initContainers", Op: Reordered, Old: []string{"setup", "migrate"}, New: []string{"migrate", "setup"}}},
	}, {
		reason: "a reorder and a changed element are two fields: the order, then the element by name",
		old:    pod("      initContainers: [{name: setup, image: a}, {name: migrate, image: b}]\n"),
		new:    pod("      initContainers: [{name: migrate, image: c}, {name: setup, image: a}]\n"),
		want: []Field{
			{Path: "spec.template.spec.initContainers", Op: Reordered, Old: []string{"setup", "migrate"}, New: []string{"migrate", "setup"}},
			{Path: "spec.template.spec.initContainers[name=migrate].image", Op: Changed, Old: "b", New: "c"},
		},
	}, {
		reason: "a reordered list without names is compared by index",
		old:    pod("      containers: [{name: c, args: [--a, --b, --c], ports: [{containerPort: 80}, {containerPort: 443}]}]\n"),
		new:    pod("      containers: [{name: c, args: [--c, --a, --b], ports: [{containerPort: 443}, {containerPort: 80}]}]\n"),
		want: []Field{
			{Path: "spec.template.spec.containers[name=c].args[0]", Op: Changed, Old: "--a", New: "--c"},
			{Path: "spec.template.spec.containers[name=c].args[1]", Op: Changed, Old: "--b", New: "--a"},
			{Path: "spec.template.spec.containers[name=c].args[2]", Op: Changed, Old: "--c", New: "--b"},
			{Path: "spec.template.spec.containers[name=c].ports[0].containerPort", Op: Changed, Old: num("80"), New: num("443")},
			{Path: "spec.template.spec.containers[name=c].ports[1].containerPort", Op: Changed, Old: num("443"), New: num("80")},
		},
	}, {
		reason: "an element added in the middle of a named list is no reorder, and fields follow the list's order",
		old:    pod("      containers: [{name: istio-proxy, env: [{name: Z, value: '1'}, {name: A, value: '1'}]}]\n"),
		new:    pod("      containers: [{name: istio-proxy, env: [{name: Z, value: '2'}, {name: M, value: m}, {name: A, value: '2'}]}]\n"),
		want: []Field{
			{Path: proxy + ".env[name=Z].value", Op: Changed, Old: "1", New: "2"},
			{Path: proxy + ".env[name=M]", Op: Added, New: map[string]any{"name": "M", "value": "m"}},
			{Path: proxy + ".env[name=A].value", Op: Changed, Old: "1", New: "2"},
		},
	}, {
		reason: "a removed element is shown where it was",
		old:    pod("      containers: [{name: istio-proxy, env: [{name: Z, value: '1'}, {name: M, value: m}, {name: A, value: '1'}]}]\n"),
		new:    pod("      containers: [{name: istio-proxy, env: [{name: Z, value: '2'}, {name: A, value: '2'}, {name: B, value: b}]}]\n"),
		want: []Field{
			{Path: proxy + ".env[name=Z].value", Op: Changed, Old: "1", New: "2"},
			{Path: proxy + ".env[name=M]", Op: Removed, Old: map[string]any{"name": "M", "value": "m"}},
			{Path: proxy + ".env[name=A].value", Op: Changed, Old: "1", New: "2"},
			{Path: proxy + ".env[name=B]", Op: Added, New: map[string]any{"name": "B", "value": "b"}},
		},
	}, {
		reason: "the names of a reorder are the whole lists, added and removed elements included",
		old:    pod("      initContainers: [{name: a}, {name: b}, {name: gone}]\n"),
		new:    pod("      initContainers: [{name: b}, {name: new}, {name: a}]\n"),
		want: []Field{
			{Path: "spec.template.spec.initContainers", Op: Reordered, Old: []string{"a", "b", "gone"}, New: []string{"b", "new", "a"}},
			{Path: "spec.template.spec.initContainers[name=new]", Op: Added, New: map[string]any{"name": "new"}},
			{Path: "spec.template.spec.initContainers[name=gone]", Op: Removed, Old: map[string]any{"name": "gone"}},
		},
	}, {
		reason: "nested lists: each named list reports its own order, lists of lists go by index",
		old: pod(`      containers:
      - {name: b, ports: [{name: q}, {name: p}], matrix: [[1, 2], [3]]}
      - {name: a}
`),
		new: pod(`      containers:
      - {name: a}
      - {name: b, ports: [{name: p}, {name: q}], matrix: [[1, 2], [4, 5]]}
`),
		want: []Field{
			{Path: "spec.template.spec.containers", Op: Reordered, Old: []string{"b", "a"}, New: []string{"a", "b"}},
			{Path: "spec.template.spec.containers[name=b].matrix[1][0]", Op: Changed, Old: num("3"), New: num("4")},
			{Path: "spec.template.spec.containers[name=b].matrix[1][1]", Op: Added, New: num("5")},
			{Path: "spec.template.spec.containers[name=b].ports", Op: Reordered, Old: []string{"q", "p"}, New: []string{"p", "q"}},
		},
	}, {
		reason: "an added list keeps its order, in nested lists too",
		old:    pod("      containers: [{name: a}]\n"),
		new:    pod("      containers: [{name: a, env: [{name: Z}, {name: A}]}, {name: b, env: [{name: X}, {name: B}]}]\n"),
		want: []Field{
			{Path: "spec.template.spec.containers[name=a].env", Op: Added, New: []any{map[string]any{"name": "Z"}, map[string]any{"name": "A"}}},
			{Path: "spec.template.spec.containers[name=b]", Op: Added, New: map[string]any{"name": "b", "env": []any{map[string]any{"name": "X"}, map[string]any{"name": "B"}}}},
		},
	}, {
		reason: "a removed list keeps its order",
		old:    pod("      containers: [{name: a, env: [{name: Z}, {name: A}]}]\n"),
		new:    pod("      containers: [{name: a}]\n"),
		want: []Field{
			{Path: "spec.template.spec.containers[name=a].env", Op: Removed, Old: []any{map[string]any{"name": "Z"}, map[string]any{"name": "A"}}},
		},
	}, {
		reason: "a list replaced by a mapping is one change, the list in its order",
		old:    pod("      volumes: [{name: b}, {name: a}]\n"),
		new:    pod("      volumes: {a: {}}\n"),
		want: []Field{{
			Path: "spec.template.spec.volumes", Op: Changed,
			Old: []any{map[string]any{"name": "b"}, map[string]any{"name": "a"}},
			New: map[string]any{"a": map[string]any{}},
		}},
	}, {
		reason: "an empty list differs from a missing one",
		old:    pod("      volumes: []\n      containers: []\n"),
		new:    pod("      containers: null\n"),
		want: []Field{
			{Path: "spec.template.spec.containers", Op: Changed, Old: []any{}, New: nil},
			{Path: "spec.template.spec.volumes", Op: Removed, Old: []any{}},
		},
	}, {
		reason: "an empty list and a named list: elements are added by name",
		old:    pod("      volumes: []\n"),
		new:    pod("      volumes: [{name: b}, {name: a}]\n"),
		want: []Field{
			{Path: "spec.template.spec.volumes[name=b]", Op: Added, New: map[string]any{"name": "b"}},
			{Path: "spec.template.spec.volumes[name=a]", Op: Added, New: map[string]any{"name": "a"}},
		},
	}, {
		reason: "duplicate names on both sides fall back to index",
		old:    pod("      containers: [{name: c, env: [{name: A, value: '1'}, {name: A, value: '2'}]}]\n"),
		new:    pod("      containers: [{name: c, env: [{name: A, value: '2'}, {name: A, value: '1'}]}]\n"),
		want: []Field{
			{Path: "spec.template.spec.containers[name=c].env[0].value", Op: Changed, Old: "1", New: "2"},
			{Path: "spec.template.spec.containers[name=c].env[1].value", Op: Changed, Old: "2", New: "1"},
		},
	}, {
		reason: "duplicate names on one side fall back to index on both",
		old:    pod("      containers: [{name: c, env: [{name: A, value: '1'}, {name: B, value: '2'}]}]\n"),
		new:    pod("      containers: [{name: c, env: [{name: A, value: '1'}, {name: A, value: '2'}, {name: C}]}]\n"),
		want: []Field{
			{Path: "spec.template.spec.containers[name=c].env[1].name", Op: Changed, Old: "B", New: "A"},
			{Path: "spec.template.spec.containers[name=c].env[2]", Op: Added, New: map[string]any{"name": "C"}},
		},
	}, {
		reason: "an element without a name makes the list unnamed",
		old:    pod("      volumes: [{name: a}, {name: b}]\n"),
		new:    pod("      volumes: [{name: b}, {emptyDir: {}}]\n"),
		want: []Field{
			{Path: "spec.template.spec.volumes[0].name", Op: Changed, Old: "a", New: "b"},
			{Path: "spec.template.spec.volumes[1].emptyDir", Op: Added, New: map[string]any{}},
			{Path: "spec.template.spec.volumes[1].name", Op: Removed, Old: "b"},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, diffDocs(t, tc.old, tc.new)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}
