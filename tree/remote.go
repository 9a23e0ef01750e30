package tree

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/yaml"
)

// RemoteError is Build's refusal of a reference that kustomize would fetch
// rather than read from the folder: a resource, base, component or file
// it would download over HTTP or clone with the git program.
type RemoteError struct {
	// File is the kustomization or plugin configuration holding the
	// reference, named from the folder Build was given.
	File string
	// Field is the reference's place in File, e.g. resources[2].
	Field string
	// Ref is the reference as written.
	Ref string
}

func (e *RemoteError) Error() string {
	return fmt.Sprintf("%s: %s %s is remote; folders are built offline", e.File, e.Field, strconv.Quote(e.Ref))
}

// scpUser is the user@ that starts an scp-style git address
// (git@example.com:org/repo), as kustomize's git parser matches it.
var scpUser = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]*@`)

// remote reports whether kustomize would fetch ref instead of reading it
// from disk. kustomize's loader downloads any http or https URL it is
// asked to load, and takes for a git repository, to clone with the git
// program, anything its git parser accepts: a git:: prefix, an ssh://,
// https://, http:// or file:// address, an scp-style user@host:path, or
// a path starting github.com/ or github.com:. Neither test is exported
// (sigs.k8s.io/kustomize/api internal/loader.IsRemoteFile and
// internal/git.NewRepoSpecFromURL), so remote repeats them, leaning to
// remote where they are lax: any scheme:// address counts, and so does
// a local path spelled like a repository (write ./github.com/… for that).
func remote(ref string) bool {
	if u, err := url.Parse(ref); err == nil && u.Scheme != "" &&
		(u.Scheme == "http" || u.Scheme == "https" || strings.HasPrefix(ref[len(u.Scheme):], "://")) {
		return true
	}
	rest, forced := cutPrefixFold(ref, "git::")
	if forced {
		return true
	}
	for _, scheme := range []string{"ssh://", "https://", "http://", "file://"} {
		if _, ok := cutPrefixFold(rest, scheme); ok {
			return true
		}
	}
	if scpUser.MatchString(rest) {
		return true
	}
	_, github := cutPrefixFold(rest, "github.com/")
	_, githubSCP := cutPrefixFold(rest, "github.com:")
	return github || githubSCP
}

// cutPrefixFold is strings.CutPrefix ignoring ASCII case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// reference is a path or address that kustomize loads, and where it is
// written.
type reference struct {
	field, ref string
	// loads is what kustomize loads when it differs from ref: the path of
	// a generator's key=path file source.
	loads string
}

func (r reference) remote() bool {
	return remote(r.ref) || r.loads != "" && remote(r.loads)
}

// kustomizationLoads returns every path or address in a kustomization that
// kustomize reads or fetches, in field order: resources and bases, which it
// builds when they are folders or repositories, components, CRDs,
// transformer configurations, the OpenAPI schema, patch files and the
// files and env files of ConfigMap and Secret generators. The entries of
// generators, transformers and validators are checked apart, by
// pluginEntry. Helm charts are not: Build leaves Helm off, and kustomize
// then refuses a chart before it reads anything.
func kustomizationLoads(k *types.Kustomization) []reference {
	var refs []reference
	list := func(field string, values []string) {
		for i, v := range values {
			refs = append(refs, reference{field: fmt.Sprintf("%s[%d]", field, i), ref: v})
		}
	}
	list("resources", k.Resources)
	list("bases", k.Bases)
	list("components", k.Components)
	list("crds", k.Crds)
	list("configurations", k.Configurations)
	if p, ok := k.OpenAPI["path"]; ok {
		refs = append(refs, reference{field: "openapi.path", ref: p})
	}
	for i, p := range k.Patches {
		refs = append(refs, reference{field: fmt.Sprintf("patches[%d].path", i), ref: p.Path})
	}
	for i, p := range k.PatchesJson6902 {
		refs = append(refs, reference{field: fmt.Sprintf("patchesJson6902[%d].path", i), ref: p.Path})
	}
	for i, p := range k.PatchesStrategicMerge {
		// An inline patch or a path: kustomize tries both.
		refs = append(refs, reference{field: fmt.Sprintf("patchesStrategicMerge[%d]", i), ref: string(p)})
	}
	for i, r := range k.Replacements {
		refs = append(refs, reference{field: fmt.Sprintf("replacements[%d].path", i), ref: r.Path})
	}
	for i, g := range k.ConfigMapGenerator {
		refs = append(refs, sourceLoads(fmt.Sprintf("configMapGenerator[%d].", i), g.KvPairSources)...)
	}
	for i, g := range k.SecretGenerator {
		refs = append(refs, sourceLoads(fmt.Sprintf("secretGenerator[%d].", i), g.KvPairSources)...)
	}
	return refs
}

// sourceLoads returns the files a ConfigMap or Secret generator reads;
// prefix starts their field paths.
func sourceLoads(prefix string, s types.KvPairSources) []reference {
	var refs []reference
	for i, f := range s.FileSources {
		// key=path or path
		r := reference{field: fmt.Sprintf("%sfiles[%d]", prefix, i), ref: f}
		if _, p, ok := strings.Cut(f, "="); ok {
			r.loads = p
		}
		refs = append(refs, r)
	}
	for i, e := range s.EnvSources {
		refs = append(refs, reference{field: fmt.Sprintf("%senvs[%d]", prefix, i), ref: e})
	}
	if s.EnvSource != "" {
		refs = append(refs, reference{field: prefix + "env", ref: s.EnvSource})
	}
	return refs
}

// builtinPluginLoads returns what a builtin plugin's configuration makes
// kustomize load: the paths of PatchTransformer, PatchJson6902Transformer,
// PatchStrategicMergeTransformer and ReplacementTransformer, the files of
// ConfigMapGenerator and SecretGenerator and ValueAddTransformer's target
// file. The other builtins load nothing (HelmChartInflationGenerator
// refuses to run while Helm is off). A configuration that does not decode
// is left to the plugin, which decodes the same bytes into a larger type
// and fails first.
func builtinPluginLoads(kind string, config []byte) []reference {
	switch kind {
	case "PatchTransformer", "PatchJson6902Transformer":
		var c struct {
			Path string `json:"path"`
		}
		if yaml.Unmarshal(config, &c) == nil && c.Path != "" {
			return []reference{{field: "path", ref: c.Path}}
		}
	case "PatchStrategicMergeTransformer":
		var c struct {
			Paths []string `json:"paths"`
		}
		if yaml.Unmarshal(config, &c) == nil {
			var refs []reference
			for i, p := range c.Paths {
				refs = append(refs, reference{field: fmt.Sprintf("paths[%d]", i), ref: p})
			}
			return refs
		}
	case "ReplacementTransformer":
		var c struct {
			Replacements []struct {
				Path string `json:"path"`
			} `json:"replacements"`
		}
		if yaml.Unmarshal(config, &c) == nil {
			var refs []reference
			for i, r := range c.Replacements {
				refs = append(refs, reference{field: fmt.Sprintf("replacements[%d].path", i), ref: r.Path})
			}
			return refs
		}
	case "ConfigMapGenerator", "SecretGenerator":
		var c types.KvPairSources
		if yaml.Unmarshal(config, &c) == nil {
			return sourceLoads("", c)
		}
	case "ValueAddTransformer":
		var c struct {
			TargetFilePath string `json:"targetFilePath"`
		}
		if yaml.Unmarshal(config, &c) == nil && c.TargetFilePath != "" {
			return []reference{{field: "targetFilePath", ref: c.TargetFilePath}}
		}
	}
	return nil
}

// pluginConfigs checks the plugin configurations in rm, from a generators,
// transformers or validators entry: where names the entry when the
// configurations are inline in the kustomization file. kustomize accepts
// only its builtin plugins, so only their configurations can load
// anything.
func pluginConfigs(file, where string, rm resmap.ResMap) error {
	for _, res := range rm.Resources() {
		gvk := res.GetGvk()
		if gvk.Group != "" || gvk.Version != konfig.BuiltinPluginApiVersion {
			continue
		}
		config, err := res.AsYAML()
		if err != nil {
			continue
		}
		for _, r := range builtinPluginLoads(gvk.Kind, config) {
			if r.remote() {
				field := fmt.Sprintf("%s %s %s", gvk.Kind, strconv.Quote(res.GetName()), r.field)
				if where != "" {
					field = where + " " + field
				}
				return &RemoteError{File: file, Field: field, Ref: r.ref}
			}
		}
	}
	return nil
}
