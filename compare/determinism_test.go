package compare

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// wideObjects returns two versions of a few objects with many mapping keys
// (plain, quoted, numbered), named lists reordered in part, unnamed lists
// and lists with duplicate names, so that any dependence on map order
// shows in the fields or their order.
func wideObjects(t *testing.T, version int) []Object {
	t.Helper()
	var b strings.Builder
	for o := range 3 {
		fmt.Fprintf(&b, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d%d\n  namespace: web\n  labels:\n", o)
		for i := range 12 {
			fmt.Fprintf(&b, "    key%d: v%d\n    example.com/key%d: v%d\n", i, (i*version)%7, i, (i+version)%5)
		}
		b.WriteString("spec:\n  template:\n    spec:\n      containers:\n")
		for c := range 6 {
			// Version 1 lists containers 0..5, version 2 swaps pairs.
			n := c
			if version == 2 {
				n = c ^ 1
			}
			fmt.Fprintf(&b, "      - name: c%d\n        args: [--a=%d, --b=%d]\n        env:\n", n, n*version, n)
			for e := range 12 {
				m := e
				if version == 2 && e%3 == 0 {
					m = 11 - e
				}
				if version == 2 && m == 5 {
					continue
				}
				fmt.Fprintf(&b, "        - {name: E%d, value: '%d'}\n", m, m*version%4)
			}
			fmt.Fprintf(&b, "        volumeMounts: [{name: v, mountPath: /a%d}, {name: v, mountPath: /b%d}]\n", version, n)
		}
	}
	objs, err := Decode([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// TestDeterministic compares the same inputs many times, one after another
// and at once (run it with -race), and requires the same report each time
// and inputs left as they were.
func TestDeterministic(t *testing.T) {
	old, new := wideObjects(t, 1), wideObjects(t, 2)
	before, err := yaml.Marshal([]any{old, new})
	if err != nil {
		t.Fatal(err)
	}
	run := func() (string, error) {
		r, err := Objects(old, new)
		if err != nil {
			return "", err
		}
		var b strings.Builder
		if err := r.Write(&b, Format{}); err != nil {
			return "", err
		}
		return b.String(), nil
	}
	want, err := run()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(want, "order changed") || !strings.Contains(want, "3 changed") {
		t.Fatalf("the inputs do not exercise reordering:\n%s", want)
	}
	const runs = 24
	got := make([]string, runs)
	errs := make([]error, runs)
	for i := range runs / 2 {
		got[i], errs[i] = run()
	}
	var wg sync.WaitGroup
	for i := runs / 2; i < runs; i++ {
		wg.Go(func() { got[i], errs[i] = run() })
	}
	wg.Wait()
	for i := range runs {
		if errs[i] != nil {
			t.Fatalf("run %d: %v", i, errs[i])
		}
		if diff := cmp.Diff(want, got[i]); diff != "" {
			t.Fatalf("run %d differs from the first (-first +run):\n%s", i, diff)
		}
	}
	after, err := yaml.Marshal([]any{old, new})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(before), string(after)); diff != "" {
		t.Errorf("Objects changed its inputs (-before +after):\n%s", diff)
	}
}
