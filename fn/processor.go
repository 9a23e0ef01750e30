package fn

import (
	"context"
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// Processor is the istio-render KRM function: a
// [framework.ResourceListProcessor] that renders the IstioMesh found in a
// ResourceList's functionConfig and appends the rendered objects to its
// items. The zero value renders with the embedded charts.
type Processor struct {
	// Options are passed to [render.Render].
	Options render.Options
}

var _ framework.ResourceListProcessor = Processor{}

// Process implements [framework.ResourceListProcessor]. It is
// [Processor.ProcessContext] with a background context.
func (p Processor) Process(rl *framework.ResourceList) error {
	return p.ProcessContext(context.Background(), rl)
}

// ProcessContext renders rl.FunctionConfig, an IstioMesh, and appends the
// rendered objects to rl.Items in apply order, after the input items, which
// it leaves as they are.
//
// Each warning about the spec is appended to rl.Results with severity
// warning. When the spec is invalid or cannot be rendered, nothing is
// appended to rl.Items; every problem is appended to rl.Results with
// severity error and, where it concerns one field, its path (such as
// spec.gateways[1].tls.mode) in Field.Path; and those error results are
// returned as a [framework.Results] error, so that [framework.Execute]
// writes them and the function exits non-zero.
func (p Processor) ProcessContext(ctx context.Context, rl *framework.ResourceList) error {
	ref := identify(rl.FunctionConfig)
	rs, warnings, err := p.render(ctx, rl.FunctionConfig)
	var nodes []*yaml.RNode
	if err == nil {
		nodes, err = toNodes(rs)
	}
	if err != nil {
		errs := errorResults(ref, err)
		rl.Results = append(rl.Results, errs...)
		return errs
	}
	rl.Results = append(rl.Results, warningResults(ref, warnings)...)
	rl.Items = append(rl.Items, nodes...)
	return nil
}

// render loads a functionConfig and renders it.
func (p Processor) render(ctx context.Context, fc *yaml.RNode) ([]render.Resource, []mesh.Warning, error) {
	m, err := decodeConfig(fc)
	if err != nil {
		return nil, nil, err
	}
	out, err := render.Render(ctx, m, p.Options)
	if err != nil {
		return nil, nil, fmt.Errorf("rendering IstioMesh %q: %w", m.Metadata.Name, err)
	}
	return out.Resources, out.Warnings, nil
}
