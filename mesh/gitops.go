package mesh

import (
	slashpath "path"
	"strings"
)

// GitOps tools a render can be prepared for: the values of
// spec.gitops.tool.
const (
	// ToolPlain renders for any tool: the stream in apply order, nothing
	// tool-specific beyond deletion protection.
	ToolPlain = "plain"
	// ToolArgoCD gives every object an Argo CD sync wave.
	ToolArgoCD = "argocd"
	// ToolFlux lays a folder out in phase folders with Flux Kustomizations
	// chained by dependsOn.
	ToolFlux = "flux"
)

// Defaults of the Flux settings.
const (
	// DefaultFluxNamespace is where Flux's own objects live.
	DefaultFluxNamespace = "flux-system"
	// DefaultFluxSourceKind and DefaultFluxSourceName are the source
	// `flux bootstrap` creates.
	DefaultFluxSourceKind = "GitRepository"
	DefaultFluxSourceName = "flux-system"
)

// GitOps prepares the rendered objects for the tool that applies them from
// git: their order, and protection from accidental deletion.
type GitOps struct {
	// Tool that applies the rendered objects: plain (any tool), argocd
	// (every object gets a sync wave) or flux (a folder is laid out in
	// phase folders applied by Flux Kustomizations in order). With argocd
	// and flux, istiod's validating webhooks render with failurePolicy
	// Fail, which istiod never changes, instead of the charts' Ignore,
	// which istiod turns into Fail at run time. Default: plain.
	Tool string `json:"tool,omitempty"`
	// Protect annotates Namespaces and CRDs so that neither Argo CD nor
	// Flux prunes or deletes them: removing a namespace or a component
	// from the spec must not delete every workload in the namespace or
	// every custom resource of a kind. Default: true.
	Protect *bool `json:"protect,omitempty"`
	// Flux configures the Flux Kustomizations of a folder rendered for
	// Flux.
	Flux *Flux `json:"flux,omitempty"`
}

// Protects reports whether Namespaces and CRDs are protected from pruning
// and deletion.
func (g *GitOps) Protects() bool { return g.Protect == nil || *g.Protect }

// Flux configures the Flux Kustomizations that apply a rendered folder.
type Flux struct {
	// Path of the rendered folder in the repository Flux reads, e.g.
	// ./deploy/istio. Default: the folder given to render -o, as written.
	Path string `json:"path,omitempty"`
	// Namespace of the Kustomizations. Default: flux-system.
	Namespace string `json:"namespace,omitempty"`
	// SourceRef names the Flux source holding the repository. Default:
	// the GitRepository flux-system.
	SourceRef FluxSourceRef `json:"sourceRef,omitempty"`
}

// FluxSourceRef names a Flux source.
type FluxSourceRef struct {
	// Kind: GitRepository (default), OCIRepository or Bucket.
	Kind string `json:"kind,omitempty"`
	// Name of the source. Default: flux-system.
	Name string `json:"name,omitempty"`
	// Namespace of the source. Default: the Kustomizations' namespace.
	Namespace string `json:"namespace,omitempty"`
}

// fluxSourceKinds are the sources a Flux Kustomization can read.
var fluxSourceKinds = []string{"GitRepository", "OCIRepository", "Bucket"}

func (g *GitOps) setDefaults() {
	g.Tool = or(g.Tool, ToolPlain)
	if f := g.Flux; f != nil {
		f.Namespace = or(f.Namespace, DefaultFluxNamespace)
		f.SourceRef.Kind = or(f.SourceRef.Kind, DefaultFluxSourceKind)
		f.SourceRef.Name = or(f.SourceRef.Name, DefaultFluxSourceName)
	}
}

func (g *GitOps) validate(p *problems) {
	oneOf(p, "spec.gitops.tool", g.Tool, ToolPlain, ToolArgoCD, ToolFlux)
	f := g.Flux
	if f == nil {
		return
	}
	if g.Tool != ToolFlux {
		p.warnf("spec.gitops.flux", "is used only with spec.gitops.tool flux")
	}
	if f.Path != "" {
		if msg := FluxPathProblem(f.Path); msg != "" {
			p.errorf("spec.gitops.flux.path", "%s %s", quote(f.Path), msg)
		}
	}
	dns1123Label(p, "spec.gitops.flux.namespace", f.Namespace)
	oneOf(p, "spec.gitops.flux.sourceRef.kind", f.SourceRef.Kind, fluxSourceKinds...)
	dns1123Subdomain(p, "spec.gitops.flux.sourceRef.name", f.SourceRef.Name)
	if f.SourceRef.Namespace != "" {
		dns1123Label(p, "spec.gitops.flux.sourceRef.namespace", f.SourceRef.Namespace)
	}
}

// FluxPathProblem says what is wrong with a folder's path in a Flux source,
// or returns "" when it is usable: relative to the source's root,
// slash-separated, inside the source, without empty or dot segments beyond
// a leading "./".
func FluxPathProblem(p string) string {
	switch {
	case p == "":
		return "is empty"
	case strings.HasPrefix(p, "/"):
		return "is absolute: give the folder's path from the repository's root, such as ./deploy/istio"
	case strings.Contains(p, `\`):
		return "contains a backslash: separate folders with /"
	}
	rest := strings.TrimPrefix(p, "./")
	if rest == "" || rest == "." {
		return "names the repository's root: the rendered folder needs a folder of its own"
	}
	if slashpath.Clean(rest) != strings.TrimSuffix(rest, "/") || strings.HasPrefix(rest, "../") || rest == ".." {
		return "is not a plain path inside the repository, such as ./deploy/istio"
	}
	return ""
}
