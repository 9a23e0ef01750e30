package fn

import (
	"errors"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// errorResults turns a failed render into error results: one per field of
// a *mesh.ValidationError, one at the field of a *render.ChartError (none
// when the user's values did not cause it), or one holding the whole
// message otherwise.
func errorResults(ref *yaml.ResourceIdentifier, err error) framework.Results {
	var ce *render.ChartError
	if errors.As(err, &ce) {
		return framework.Results{newResult(framework.Error, ref, ce.Field, ce.Message())}
	}
	var ve *mesh.ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) == 0 {
		return framework.Results{newResult(framework.Error, ref, "", err.Error())}
	}
	rs := make(framework.Results, len(ve.Errors))
	for i, fe := range ve.Errors {
		rs[i] = newResult(framework.Error, ref, fe.Field, fromNote(fe.From)+fe.Message)
	}
	return rs
}

// warningResults turns spec warnings into warning results, in order.
func warningResults(ref *yaml.ResourceIdentifier, warnings []mesh.Warning) framework.Results {
	rs := make(framework.Results, len(warnings))
	for i, w := range warnings {
		rs[i] = newResult(framework.Warning, ref, w.Field, fromNote(w.From)+w.Message)
	}
	return rs
}

// fromNote says, ahead of a message, where the element its field is in
// comes from when the spec does not name it (mesh.Warning.From).
func fromNote(from string) string {
	if from == "" {
		return ""
	}
	return "(" + from + ") "
}

// newResult builds one result about the functionConfig; an empty path
// means the whole document.
func newResult(sev framework.Severity, ref *yaml.ResourceIdentifier, path, msg string) *framework.Result {
	r := &framework.Result{Message: msg, Severity: sev}
	if ref != nil {
		id := *ref
		r.ResourceRef = &id
	}
	if path != "" {
		r.Field = &framework.Field{Path: path}
	}
	return r
}
