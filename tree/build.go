package tree

import (
	"fmt"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Build runs kustomize on dir, in-process, and returns the YAML stream it
// gives: for a tree that Write wrote, the render's objects in its order. It
// works on any kustomization, so an overlay of a tree can be compared with
// a render too. Plugins and Helm chart inflation stay disabled, so Build
// runs no program.
func Build(dir string) ([]byte, error) {
	opts := krusty.MakeDefaultOptions()
	// Honour the kustomization's sortOptions, as the kustomize command does.
	opts.Reorder = krusty.ReorderOptionUnspecified
	m, err := krusty.MakeKustomizer(opts).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	out, err := m.AsYaml()
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	return out, nil
}
