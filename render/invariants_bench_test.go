package render

import (
	"context"
	"testing"

	"github.com/istio-render/istio-render/mesh"
)

// BenchmarkInvariants measures the checks a render adds, on the objects of
// each profile: the object rules on every parsed object (which a render
// runs while converting documents, in parallel) and the checks across
// objects (which parse the few objects they read).
func BenchmarkInvariants(b *testing.B) {
	for _, name := range []string{"default", "production"} {
		m, _, err := mesh.Load([]byte("apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata: {name: b}\nspec: {profile: " + name + "}\n"))
		if err != nil {
			b.Fatal(err)
		}
		out, err := Render(context.Background(), m, Options{})
		if err != nil {
			b.Fatal(err)
		}
		trees := make([]map[string]any, len(out.Resources))
		var objs []parsedObject
		for i, r := range out.Resources {
			trees[i] = r.Object()
			if r.Kind == "CustomResourceDefinition" {
				// A render inspects bundled CRDs by name and labels only.
				trees[i] = map[string]any{"apiVersion": r.APIVersion, "kind": r.Kind, "metadata": map[string]any{
					"name": r.Name, "labels": dig(trees[i], "metadata", "labels"),
				}}
			}
			if o, ok := kept(r.Component, trees[i]); ok {
				objs = append(objs, o)
			}
		}
		rels := releases(&out.Spec.Spec, embeddedFor(&out.Spec.Spec))
		b.Run("objects/profile="+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rules := newLabelRules()
				for i, r := range out.Resources {
					inspectObject(r.Component, trees[i], rules)
				}
			}
		})
		b.Run("across/profile="+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := checkRendered(&out.Spec.Spec, rels, objs, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
