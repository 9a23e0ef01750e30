package fn

import (
	"context"
	"fmt"
	"os"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Run is [framework.Execute] for this function, made for a process that
// runs it once: it reads a ResourceList from rw, renders its
// functionConfig and writes the ResourceList back, and it returns the
// results it added (the warnings or, with the error, the error results)
// so that the caller can show them. The items it generated before for the
// same IstioMesh are replaced, and every rendered object is marked, as
// [Processor.ProcessContext] does.
//
// framework.Execute(p, rw) parses every rendered object into a node and
// encodes it again, which costs more than the render itself. Run writes
// each rendered object from the YAML [render.Render] gives it (keys
// sorted, block style), with the [GeneratedByAnnotation] inserted at its
// sorted place and indented into place in the list, and writes
// everything else through kyaml as framework.Execute does. The bytes of a
// rendered object can differ in quoting and line breaks; what a reader of
// the output sees cannot: kyaml, which kustomize and kpt read functions'
// output with, reads Run's output into the same nodes, and so the same
// objects, as framework.Execute's (a test holds this for every golden
// spec). The few rendered objects that framework.Execute's writer would
// change on the way out (those carrying config.kubernetes.io/ or
// config.k8s.io/ annotations, or an empty metadata.annotations) still go
// through kyaml, so that they change exactly as they do there.
//
// rw is used as framework.Execute uses it, with the same defaults: a nil
// rw reads a ResourceList on standard input and writes one on standard
// output, keeping reader annotations; a nil Reader or Writer is standard
// input or output.
func (p Processor) Run(ctx context.Context, rw *kio.ByteReadWriter) (framework.Results, error) {
	if rw == nil {
		rw = &kio.ByteReadWriter{KeepReaderAnnotations: true}
	}
	if rw.Reader == nil {
		rw.Reader = os.Stdin
	}
	if rw.Writer == nil {
		rw.Writer = os.Stdout
	}
	items, err := rw.Read()
	if err != nil {
		return nil, fmt.Errorf("failed to read ResourceList input: %w", err)
	}
	annos, err := kio.PreprocessResourcesForInternalAnnotationMigration(items)
	if err != nil {
		return nil, err
	}
	rl := &framework.ResourceList{Items: items, FunctionConfig: rw.FunctionConfig}
	ref := identify(rl.FunctionConfig)
	g, runErr := p.generate(ctx, rl.FunctionConfig)
	if runErr != nil {
		errs := errorResults(ref, runErr)
		rl.Results = append(rl.Results, errs...)
		g, runErr = generated{}, errs
	} else {
		rl.Results = append(rl.Results, warningResults(ref, g.warnings)...)
		rl.Items = withoutGenerated(rl.Items, g.marker.name)
	}
	if err := kio.ReconcileInternalAnnotations(rl.Items, annos); err != nil {
		return rl.Results, err
	}
	if len(rl.Results) > 0 {
		// As framework.Execute does: the function's results replace those
		// of the input, which pass through when there are none.
		b, err := yaml.Marshal(rl.Results)
		if err != nil {
			return rl.Results, fmt.Errorf("encoding results: %w", err)
		}
		if rw.Results, err = yaml.Parse(string(b)); err != nil {
			return rl.Results, fmt.Errorf("encoding results: %w", err)
		}
	}
	lw := listWriter{rw: rw, annos: annos, marker: g.marker}
	if err := lw.write(rl.Items, g.resources); err != nil {
		return rl.Results, err
	}
	return rl.Results, runErr
}
