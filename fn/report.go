package fn

import (
	"fmt"
	"io"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
)

// WriteResults writes results for a person to read, one line each:
//
//	error: IstioMesh/prod: spec.gateways[0].servers[0].tls.mode: unsupported value "SIMPEL" ...
//	warning: IstioMesh/prod: spec.controlPlane: istiod runs 1 replica ...
//
// that is the severity, the functionConfig's kind and name, the field path
// and the message, leaving out what a result does not have. A message of
// several lines continues on lines indented by four spaces.
//
// kustomize does not show a function's results, only its standard error:
// this is the form in which the fn command writes them there.
func WriteResults(w io.Writer, rs framework.Results) error {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(resultLine(r))
		b.WriteByte('\n')
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	return nil
}

// resultLine formats one result.
func resultLine(r *framework.Result) string {
	sev := r.Severity
	if sev == "" {
		sev = framework.Info
	}
	parts := []string{string(sev)}
	if ref := r.ResourceRef; ref != nil {
		switch {
		case ref.Kind != "" && ref.Name != "":
			parts = append(parts, ref.Kind+"/"+ref.Name)
		case ref.Kind != "":
			parts = append(parts, ref.Kind)
		}
	}
	if r.Field != nil && r.Field.Path != "" {
		parts = append(parts, r.Field.Path)
	}
	msg := strings.ReplaceAll(strings.TrimRight(r.Message, "\n"), "\n", "\n    ")
	return strings.Join(append(parts, msg), ": ")
}
