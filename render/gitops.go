package render

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/istio-render/istio-render/mesh"
)

// Annotations render writes for GitOps tools (spec.gitops).
const (
	// AnnotationSyncWave is Argo CD's sync wave: the phase of an object,
	// with spec.gitops.tool argocd.
	AnnotationSyncWave = "argocd.argoproj.io/sync-wave"
	// AnnotationSyncOptions holds Argo CD's per-object sync options.
	AnnotationSyncOptions = "argocd.argoproj.io/sync-options"
	// AnnotationFluxPrune is Flux's per-object garbage collection switch.
	AnnotationFluxPrune = "kustomize.toolkit.fluxcd.io/prune"
)

// Values of those annotations.
const (
	// SyncOptionsProtect keeps Argo CD from pruning the object when it
	// leaves the render and from deleting it with its Application (Argo CD
	// 2.7 or later).
	SyncOptionsProtect = "Prune=false,Delete=false"
	// SyncOptionsSkipDryRun lets Argo CD start a sync whose cert-manager
	// Certificates have no CRD yet: the dry run of every object before a
	// sync would otherwise fail it as a whole, earlier waves included.
	SyncOptionsSkipDryRun = "SkipDryRunOnMissingResource=true"
	// FluxPruneDisabled keeps Flux from pruning the object when it leaves
	// the render and from deleting it with its Kustomization.
	FluxPruneDisabled = "disabled"
)

// GitOpsAnnotations returns the annotations a render of s gives r for the
// tool in spec.gitops; nil when there are none.
//
//   - Namespaces and CRDs, unless spec.gitops.protect is false, carry both
//     tools' protection from pruning and deletion, whatever the tool, so a
//     plain stream is safe under either: Argo CD's sync options
//     Prune=false,Delete=false and Flux's prune: disabled. Deleting a
//     Namespace deletes every workload in it, and deleting a CRD every
//     custom resource of its kind.
//   - With tool argocd, every object carries its phase's sync wave
//     (Phase.SyncWave), and cert-manager Certificates the sync option
//     SkipDryRunOnMissingResource=true.
//
// Annotations the object already has are kept: an annotation a spec sets
// on a namespace wins over these.
func GitOpsAnnotations(s *mesh.Spec, r Resource) map[string]string {
	return gitopsOf(s).annotations(r)
}

// gitops is what of spec.gitops decides the annotations of an object. A
// release carries it, and its cache key includes it, so that a cached
// release is annotated already.
type gitops struct {
	tool    string
	protect bool
}

func gitopsOf(s *mesh.Spec) gitops {
	return gitops{tool: s.GitOps.Tool, protect: s.GitOps.Protects()}
}

func (g gitops) annotations(r Resource) map[string]string {
	out := map[string]string{}
	var syncOptions []string
	if g.protect && protected(r) {
		syncOptions = append(syncOptions, SyncOptionsProtect)
		out[AnnotationFluxPrune] = FluxPruneDisabled
	}
	if g.tool == mesh.ToolArgoCD {
		out[AnnotationSyncWave] = strconv.Itoa(PhaseOf(r).SyncWave())
		if r.Kind == "Certificate" && group(r.APIVersion) == "cert-manager.io" {
			syncOptions = append(syncOptions, SyncOptionsSkipDryRun)
		}
	}
	if len(syncOptions) > 0 {
		out[AnnotationSyncOptions] = strings.Join(syncOptions, ",")
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// protected reports the objects whose deletion takes others with them:
// Namespaces and CustomResourceDefinitions.
func protected(r Resource) bool {
	switch {
	case r.Kind == "Namespace" && r.APIVersion == "v1":
		return true
	case r.Kind == "CustomResourceDefinition" && group(r.APIVersion) == "apiextensions.k8s.io":
		return true
	}
	return false
}

// apply gives every resource its GitOps annotations, in place.
func (g gitops) apply(rs []Resource) error {
	for i := range rs {
		ann := g.annotations(rs[i])
		if ann == nil {
			continue
		}
		data, err := addAnnotations(rs[i].YAML, ann)
		if err != nil {
			return fmt.Errorf("%s: adding the annotations %s: %w", rs[i].ID(), strings.Join(slices.Sorted(maps.Keys(ann)), ", "), err)
		}
		rs[i].YAML = data
	}
	return nil
}

// withGitOps gives every release the spec's GitOps settings.
func withGitOps(rels []*release, s *mesh.Spec) []*release {
	for _, rel := range rels {
		rel.gitops = gitopsOf(s)
	}
	return rels
}

// failClosed sets the validating webhooks' failurePolicy to Fail for the
// GitOps tools, in the base and istiod charts' values: both read
// base.validationFailurePolicy.
//
// The charts install the webhooks with Ignore and istiod switches them to
// Fail once validation works, which a tool applying the rendered objects
// sees as drift and, applying again, puts back: Argo CD shows the webhooks
// OutOfSync until told to ignore the field, and Flux, which applies every
// interval, writes Ignore back for istiod to flip again, forever. With
// Fail from the start, istiod has nothing to change (it only writes its
// CA bundle, which the render does not carry) and nothing drifts.
//
// Ignore exists so that Istio configuration applied before istiod answers
// is not rejected. With argocd and flux the render orders the install
// (PhaseOf): custom resources are applied only after istiod is available,
// and istiod writes its CA bundle into the webhooks as it starts, so the
// first sync needs no fail-open window. A plain stream applied all at once
// has no such order, and keeps the charts' behaviour.
func failClosed(s *mesh.Spec, v map[string]any) {
	if s.GitOps.Tool == mesh.ToolArgoCD || s.GitOps.Tool == mesh.ToolFlux {
		set(v, "Fail", "base", "validationFailurePolicy")
	}
}
