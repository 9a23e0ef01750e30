package compare

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteLists(t *testing.T) {
	const head = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: web}\n"
	tests := []struct {
		reason   string
		old, new string
		want     string
	}{{
		reason: "an added object prints its lists in their order",
		new:    head + "spec: {containers: [{name: z}, {name: a, env: [{name: Z}, {name: A}]}]}",
		want: `0 changed, 1 added, 0 removed

Pod
+ web/p (added)
+     apiVersion: v1
+     kind: Pod
+     metadata:
+       name: p
+       namespace: web
+     spec:
+       containers:
+       - name: z
+       - env:
+         - name: Z
+         - name: A
+         name: a
`,
	}, {
		reason: "an added list prints in its order",
		old:    head + "spec: {containers: [{name: a}]}",
		new:    head + "spec: {containers: [{name: a, env: [{name: Z}, {name: A}]}]}",
		want: `1 changed, 0 added, 0 removed

Pod
~ web/p (1 field)
      spec.containers[name=a].env:
+       - name: Z
+       - name: A
`,
	}, {
		reason: "a reorder names the elements, quoting names that need it",
		old:    head + "spec: {volumes: [{name: a}, {name: 'b, c'}, {name: d.e}]}",
		new:    head + "spec: {volumes: [{name: d.e}, {name: 'b, c'}, {name: a}]}",
		want: `1 changed, 0 added, 0 removed

Pod
~ web/p (1 field)
      spec.volumes: order changed
-       a, "b, c", d.e
+       d.e, "b, c", a
`,
	}, {
		reason: "a name that needs quoting is quoted in the path",
		old:    head + "spec: {volumes: [{name: 'a]b', x: 1}]}",
		new:    head + "spec: {volumes: [{name: 'a]b', x: 2}]}",
		want: `1 changed, 0 added, 0 removed

Pod
~ web/p (1 field)
      spec.volumes[name="a]b"].x:
-       1
+       2
`,
	}}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			r, err := Objects(mustDecode(t, tc.old), mustDecode(t, tc.new))
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := r.Write(&b, Format{}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, b.String()); diff != "" {
				t.Errorf("Write() (-want +got):\n%s", diff)
			}
		})
	}
}
