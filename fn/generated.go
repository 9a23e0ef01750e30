package fn

import (
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// GeneratedByAnnotation marks every object the function generates. Its
// value is the name of the IstioMesh (the functionConfig) it was generated
// from:
//
//	metadata:
//	  annotations:
//	    istio-render.dev/generated-by: prod
//
// When a runner hands the function its own earlier output, as kpt does
// when a package is rendered again, the items carrying this annotation
// with the functionConfig's name are dropped before the new render is
// appended: they are replaced, not duplicated, and two runs in a row give
// the same items as one. Items marked with another name (another
// IstioMesh in the same package) and unmarked items pass through.
//
// The key is not under config.kubernetes.io/: that prefix belongs to the
// runners (the Configuration Functions Specification, kustomize and kpt
// set and strip annotations there), and the specification names no
// annotation for generated objects. The annotation is part of what the
// function outputs, so it reaches the cluster with the objects; `istio-render
// render` does not write it.
const GeneratedByAnnotation = "istio-render.dev/generated-by"

// withoutGenerated returns items less those generated before for the
// IstioMesh named name, in order. It reuses the array of items.
func withoutGenerated(items []*yaml.RNode, name string) []*yaml.RNode {
	kept := items[:0]
	for _, it := range items {
		if !generatedFor(it, name) {
			kept = append(kept, it)
		}
	}
	clear(items[len(kept):])
	return kept
}

// generatedFor reports whether an item carries the GeneratedByAnnotation
// with the value name.
func generatedFor(it *yaml.RNode, name string) bool {
	v, ok := it.GetAnnotations(GeneratedByAnnotation)[GeneratedByAnnotation]
	return ok && v == name
}
