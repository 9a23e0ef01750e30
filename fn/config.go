package fn

import (
	"errors"
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/istio-render/istio-render/mesh"
)

// errNoConfig is returned for a ResourceList without a functionConfig.
var errNoConfig = errors.New("the ResourceList has no functionConfig: it must be the IstioMesh to render " +
	"(under kustomize, list the IstioMesh file under generators)")

// decodeConfig loads the IstioMesh a functionConfig holds, strictly, with
// its profile merged and defaults filled in (see [mesh.Load]).
//
// Function runners add annotations to the functionConfig
// (config.kubernetes.io/function, config.kubernetes.io/local-config, the
// internal.config.kubernetes.io/ ones and the like) and nothing else; an
// IstioMesh accepts any annotation and ignores it, so they pass strict
// decoding unchanged. Any other field is decoded as the user wrote it, and
// an unknown one is an error naming its path.
func decodeConfig(fc *yaml.RNode) (*mesh.Resolved, error) {
	if fc.IsNilOrEmpty() {
		return nil, errNoConfig
	}
	doc, err := fc.String()
	if err != nil {
		return nil, fmt.Errorf("encoding functionConfig: %w", err)
	}
	m, _, err := mesh.Load([]byte(doc))
	if err != nil {
		return nil, fmt.Errorf("functionConfig: %w", err)
	}
	return m, nil
}

// identify names the functionConfig in results; nil when it has no kind.
func identify(fc *yaml.RNode) *yaml.ResourceIdentifier {
	if fc.IsNilOrEmpty() || fc.YNode().Kind != yaml.MappingNode {
		return nil
	}
	meta, err := fc.GetMeta()
	if err != nil || meta.Kind == "" {
		return nil
	}
	return &yaml.ResourceIdentifier{TypeMeta: meta.TypeMeta, NameMeta: meta.ObjectMeta.NameMeta}
}
