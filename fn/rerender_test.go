package fn_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/istio-render/istio-render/fn"
)

// generatedBy is the annotation the function marks its objects with, as
// the documentation names it.
const generatedBy = "istio-render.dev/generated-by"

// smallSpec renders few objects: the charts' cluster-wide objects (base)
// and namespaced ones (istiod) are turned off.
func smallSpec(name string) string {
	return `apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: ` + name + `
  annotations:
    config.kubernetes.io/local-config: "true"
spec:
  profile: minimal
  values:
    base: {global: {resourceScope: namespace}}
    istiod: {global: {resourceScope: cluster}}
`
}

// keptItem is an item no function generated.
const keptItem = `apiVersion: v1
kind: ConfigMap
metadata:
  name: keep-me # a comment
  namespace: apps
data:
  a: "1"
`

// runner runs the function once on a ResourceList or, standalone, on a
// stream of items with the spec as functionConfig.
type runner struct {
	name string
	run  func(t *testing.T, spec, in string) (string, error)
}

// runners are the ways in: Run and framework.Execute with the Processor,
// on a ResourceList as kustomize and kpt send it, and Run standalone.
var runners = []runner{{
	name: "Run on a ResourceList",
	run: func(t *testing.T, _, in string) (string, error) {
		var out bytes.Buffer
		_, err := fn.Processor{}.Run(t.Context(),
			&kio.ByteReadWriter{Reader: strings.NewReader(in), Writer: &out, KeepReaderAnnotations: true})
		return out.String(), err
	},
}, {
	name: "framework.Execute on a ResourceList",
	run: func(t *testing.T, _, in string) (string, error) {
		var out bytes.Buffer
		err := framework.Execute(fn.Processor{},
			&kio.ByteReadWriter{Reader: strings.NewReader(in), Writer: &out, KeepReaderAnnotations: true})
		return out.String(), err
	},
}}

// resourceList is what a runner sends: spec as functionConfig and, before
// the items, as an item of the package (where kpt and kustomize keep it).
func resourceList(t *testing.T, spec string, items ...string) string {
	t.Helper()
	fc, err := yaml.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	nodes := []*yaml.RNode{fc.Copy()}
	for _, it := range items {
		more, err := kio.FromBytes([]byte(it))
		if err != nil {
			t.Fatal(err)
		}
		nodes = append(nodes, more...)
	}
	var b bytes.Buffer
	w := kio.ByteWriter{Writer: &b, WrappingKind: kio.ResourceListKind, WrappingAPIVersion: kio.ResourceListAPIVersion,
		FunctionConfig: fc, KeepReaderAnnotations: true}
	if err := w.Write(nodes); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// items reads the items of a ResourceList the function wrote.
func items(t *testing.T, out string) []*yaml.RNode {
	t.Helper()
	rw := &kio.ByteReadWriter{Reader: strings.NewReader(out), Writer: io.Discard, KeepReaderAnnotations: true}
	nodes, err := rw.Read()
	if err != nil {
		t.Fatalf("reading the function's output: %v", err)
	}
	return nodes
}

// countBy counts the items generated for each mesh name ("" for the items
// no mesh generated).
func countBy(nodes []*yaml.RNode) map[string]int {
	n := map[string]int{}
	for _, it := range nodes {
		n[it.GetAnnotations()[generatedBy]]++
	}
	return n
}

// feedBack turns the function's output into its next input: the items it
// wrote, as a runner hands them back, with spec as functionConfig.
func feedBack(t *testing.T, spec, out string) string {
	t.Helper()
	fc, err := yaml.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := kio.ByteWriter{Writer: &b, WrappingKind: kio.ResourceListKind, WrappingAPIVersion: kio.ResourceListAPIVersion,
		FunctionConfig: fc, KeepReaderAnnotations: true}
	if err := w.Write(items(t, out)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestRerender runs the function on its own output, as kpt does when a
// package is rendered again: the objects it generated before are replaced,
// not appended again, so that a second run gives the output of the first,
// byte for byte. Objects generated for another IstioMesh, and items no
// function generated, pass through.
func TestRerender(t *testing.T) {
	small, other := smallSpec("small"), smallSpec("other")
	for _, r := range runners {
		t.Run(r.name, func(t *testing.T) {
			first, err := r.run(t, small, resourceList(t, small, keptItem))
			if err != nil {
				t.Fatal(err)
			}
			n := countBy(items(t, first))
			if n["small"] < 5 || n[""] != 2 {
				t.Fatalf("first run: items by mesh %v, want the spec, the ConfigMap and every object marked small", n)
			}

			second, err := r.run(t, small, feedBack(t, small, first))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(first, second); diff != "" {
				t.Errorf("the second run does not give the first run's output (-first +second):\n%s", diff)
			}

			// Another mesh's objects in the package stay as they are.
			both, err := r.run(t, other, feedBack(t, other, first))
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{"": 2, "small": n["small"], "other": n["small"]}
			if diff := cmp.Diff(want, countBy(items(t, both))); diff != "" {
				t.Errorf("after rendering other into small's package, items by mesh (-want +got):\n%s", diff)
			}
			again, err := r.run(t, small, feedBack(t, small, both))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, countBy(items(t, again))); diff != "" {
				t.Errorf("after rendering small again, items by mesh (-want +got):\n%s", diff)
			}

			// A render that fails removes nothing.
			broken := strings.Replace(small, "profile: minimal", "profile: minimal\n  mesh: {mtls: STRCT}", 1)
			failed, err := r.run(t, broken, feedBack(t, broken, first))
			if err == nil {
				t.Fatal("an invalid spec did not fail")
			}
			if diff := cmp.Diff(n, countBy(items(t, failed))); diff != "" {
				t.Errorf("a failed render changed the items (-want +got):\n%s", diff)
			}
		})
	}
}
