package fn

import (
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/istio-render/istio-render/render"
)

// toNodes parses rendered resources into RNodes, keeping their order.
func toNodes(rs []render.Resource) ([]*yaml.RNode, error) {
	nodes := make([]*yaml.RNode, len(rs))
	for i, r := range rs {
		n, err := yaml.Parse(string(r.YAML))
		if err != nil {
			return nil, fmt.Errorf("%s: parsing rendered %s: %w", r.Component, r.ID(), err)
		}
		nodes[i] = n
	}
	return nodes, nil
}
