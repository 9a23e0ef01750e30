package flux

import (
	"fmt"
	"regexp"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// API version and kind of the objects Kustomizations writes
// (kustomize-controller v1.0, Flux 2.0, and later).
const (
	APIVersion = "kustomize.toolkit.fluxcd.io/v1"
	Kind       = "Kustomization"
)

// Timing of every Kustomization: how often Flux applies the folder again
// and corrects drift, how soon it retries a failed apply or health check,
// and how long it waits for a phase to become ready.
const (
	Interval      = "10m"
	RetryInterval = "1m"
	Timeout       = "5m"
)

// Kustomization is the Flux Kustomization that applies one phase.
type Kustomization struct {
	// Phase it applies.
	Phase render.Phase
	// Name and Namespace of the object.
	Name, Namespace string
	// Folder is the phase's folder in the rendered folder (see Folder).
	Folder string
	// YAML is the object, keys sorted, ending in a newline.
	YAML []byte
}

// Folder names a phase's folder in a folder rendered for Flux: its number
// and name, such as 3-control-plane, so that a listing shows the order.
func Folder(p render.Phase) string { return fmt.Sprintf("%d-%s", int(p), p) }

// Name names the Kustomization of a phase: istio-<phase>.
func Name(p render.Phase) string { return "istio-" + p.String() }

// MissingPathError is returned when spec.gitops.flux.path is not set: a
// Kustomization names its folder by its path in the source.
type MissingPathError struct{}

func (MissingPathError) Error() string {
	return "spec.gitops.flux.path: required to render for Flux: the rendered folder's path in the repository Flux reads, such as ./deploy/istio"
}

// Kustomizations returns a Kustomization for every phase the resources
// fill, in phase order, each depending on the one before. The settings
// (path, namespace, source) come from spec.gitops.flux; the path is
// required.
func Kustomizations(resources []render.Resource, s *mesh.Spec) ([]Kustomization, error) {
	f := s.GitOps.Flux
	if f == nil || f.Path == "" {
		return nil, MissingPathError{}
	}
	if msg := mesh.FluxPathProblem(f.Path); msg != "" {
		return nil, fmt.Errorf("spec.gitops.flux.path: %q %s", f.Path, msg)
	}
	namespace := or(f.Namespace, mesh.DefaultFluxNamespace)
	source := map[string]any{
		"kind": or(f.SourceRef.Kind, mesh.DefaultFluxSourceKind),
		"name": or(f.SourceRef.Name, mesh.DefaultFluxSourceName),
	}
	if f.SourceRef.Namespace != "" {
		source["namespace"] = f.SourceRef.Namespace
	}
	filled := map[render.Phase]bool{}
	for _, r := range resources {
		filled[render.PhaseOf(r)] = true
	}
	ignores := ignoreRules(resources)
	phases := render.Phases()
	last := phases[len(phases)-1]
	var out []Kustomization
	for _, p := range phases {
		if !filled[p] {
			continue
		}
		spec := map[string]any{
			"interval":      Interval,
			"retryInterval": RetryInterval,
			"timeout":       Timeout,
			"path":          strings.TrimSuffix(f.Path, "/") + "/" + Folder(p),
			"prune":         true,
			"sourceRef":     source,
			// Every phase but the last is waited for: the next one starts
			// only when its objects are ready. Nothing follows the last,
			// whose Certificates may take long to issue.
			"wait": p != last,
		}
		if n := len(out); n > 0 {
			spec["dependsOn"] = []any{map[string]any{"name": out[n-1].Name}}
		}
		if rules := ignores[p]; len(rules) > 0 {
			spec["ignore"] = rules
		}
		if p != last {
			if checks := healthChecks(resources, p); len(checks) > 0 {
				spec["healthCheckExprs"] = checks
			}
		}
		obj := map[string]any{
			"apiVersion": APIVersion,
			"kind":       Kind,
			"metadata": map[string]any{
				"name":      Name(p),
				"namespace": namespace,
				"labels": map[string]any{
					"app.kubernetes.io/managed-by": "istio-render",
					"app.kubernetes.io/part-of":    "istio",
				},
			},
			"spec": spec,
		}
		data, err := yaml.Marshal(obj)
		if err != nil {
			return nil, fmt.Errorf("encoding the Kustomization %s: %w", Name(p), err)
		}
		out = append(out, Kustomization{Phase: p, Name: Name(p), Namespace: namespace, Folder: Folder(p), YAML: data})
	}
	return out, nil
}

// ignoreRules turns the fields the cluster sets at run time into the
// ignore rules of each phase's Kustomization (spec.ignore,
// kustomize-controller v1.9, Flux 2.9): one rule per object, its fields'
// JSON pointers, the object selected by exact group, kind, namespace and
// name (Flux reads them as anchored regular expressions). Only fields the
// render carries get a rule: Flux applies server-side, so a field it never
// sends it never reverts, and a Kustomization without rules works with
// any Flux 2.
func ignoreRules(resources []render.Resource) map[render.Phase][]any {
	phase := map[string]render.Phase{}
	for _, r := range resources {
		phase[r.ID()] = render.PhaseOf(r)
	}
	out := map[render.Phase][]any{}
	type key struct{ group, kind, namespace, name string }
	index := map[key]map[string]any{}
	for _, f := range render.RuntimeFields(resources) {
		if !f.Rendered {
			continue
		}
		k := key{f.Group, f.Kind, f.Namespace, f.Name}
		rule, ok := index[k]
		if !ok {
			target := map[string]any{"kind": regexp.QuoteMeta(f.Kind), "name": regexp.QuoteMeta(f.Name)}
			if f.Group != "" {
				target["group"] = regexp.QuoteMeta(f.Group)
			}
			if f.Namespace != "" {
				target["namespace"] = regexp.QuoteMeta(f.Namespace)
			}
			rule = map[string]any{"paths": []any{}, "target": target}
			index[k] = rule
			// render.Resource.ID's form: group/kind/namespace/name.
			p := phase[f.Group+"/"+f.Kind+"/"+f.Namespace+"/"+f.Name]
			out[p] = append(out[p], rule)
		}
		for _, ptr := range f.Pointers {
			rule["paths"] = append(rule["paths"].([]any), ptr)
		}
	}
	return out
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
