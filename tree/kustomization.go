package tree

import (
	"fmt"

	"sigs.k8s.io/yaml"
)

// kustomizationDoc is the kustomization.yaml of a tree.
type kustomizationDoc struct {
	APIVersion  string      `json:"apiVersion"`
	Kind        string      `json:"kind"`
	SortOptions sortOptions `json:"sortOptions"`
	Resources   []string    `json:"resources"`
}

type sortOptions struct {
	Order string `json:"order"`
}

// kustomization lists the files in apply order and asks kustomize to keep
// that order (fifo) rather than its own.
func kustomization(files []string) ([]byte, error) {
	doc := kustomizationDoc{
		APIVersion:  "kustomize.config.k8s.io/v1beta1",
		Kind:        "Kustomization",
		SortOptions: sortOptions{Order: "fifo"},
		Resources:   files,
	}
	if doc.Resources == nil {
		doc.Resources = []string{}
	}
	data, err := yaml.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encoding %s: %w", KustomizationFile, err)
	}
	return withMarker(data), nil
}
