package tree

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/istio-render/istio-render/flux"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// FluxFolder holds the Flux Kustomizations at the root of a tree laid out
// for Flux.
const FluxFolder = "flux"

// LayoutFor lays a render out for the tool its spec names
// (spec.gitops.tool): LayoutFlux for flux, Layout otherwise.
func LayoutFor(m *render.Manifest) (*Tree, error) {
	if m.Spec != nil && m.Spec.Spec.GitOps.Tool == mesh.ToolFlux {
		return LayoutFlux(m.Resources, &m.Spec.Spec)
	}
	return Layout(m.Resources)
}

// LayoutFlux lays resources out for Flux: a folder per phase of the
// install, each laid out as Layout lays out a whole render, with a
// kustomization.yaml of its own that kustomize builds alone; the Flux
// Kustomizations that apply the phase folders in order, one file each
// under flux/; and a root kustomization.yaml that lists only those, for
// the Flux Kustomization that syncs the cluster to include:
//
//	kustomization.yaml                           the Flux Kustomizations below
//	flux/kustomization-istio-foundation.yaml     path: <spec.gitops.flux.path>/1-foundation
//	flux/kustomization-istio-config.yaml         dependsOn: istio-foundation
//	...
//	1-foundation/kustomization.yaml
//	1-foundation/namespaces/namespace-istio-system.yaml
//	1-foundation/crds/gateways.networking.istio.io.yaml
//	2-config/istiod/configmap-istio.yaml
//	3-control-plane/istiod/deployment-istiod.yaml
//	4-gateways/gateways/istio-ingressgateway/deployment-istio-ingressgateway.yaml
//	5-custom-resources/mesh-policy/shop/peerauthentication-default.yaml
//
// A phase the render leaves empty has no folder and no Kustomization. s
// gives the Kustomizations' settings (spec.gitops.flux); its path is
// required.
func LayoutFlux(resources []render.Resource, s *mesh.Spec) (*Tree, error) {
	ks, err := flux.Kustomizations(resources, s)
	if err != nil {
		return nil, err
	}
	byPhase := map[render.Phase][]object{}
	for _, r := range resources {
		p := render.PhaseOf(r)
		byPhase[p] = append(byPhase[p], fromResource(r))
	}
	var files []File
	listed := make([]string, 0, len(ks))
	for _, k := range ks {
		phaseFiles, err := folder(k.Folder, byPhase[k.Phase])
		if err != nil {
			return nil, err
		}
		files = append(files, phaseFiles...)
		p := path.Join(FluxFolder, fileName("kustomization-"+k.Name))
		files = append(files, File{Path: p, Data: withMarker(k.YAML)})
		listed = append(listed, p)
	}
	root, err := kustomization(listed)
	if err != nil {
		return nil, err
	}
	files = append(files, File{Path: KustomizationFile, Data: root})
	return sorted(files), nil
}

// fluxRoot reports the root of a tree laid out for Flux: its
// kustomization lists only the Flux Kustomizations. A tree laid out by
// Layout has no flux/ folder.
func fluxRoot(files []string) bool {
	if len(files) == 0 {
		return false
	}
	for _, f := range files {
		if path.Dir(f) != FluxFolder {
			return false
		}
	}
	return true
}

// readPhases reads the phase folders of a tree laid out for Flux, in phase
// order.
func readPhases(dir string) ([]byte, error) {
	var out []byte
	for _, p := range render.Phases() {
		sub := filepath.Join(dir, flux.Folder(p))
		if _, err := os.Stat(filepath.Join(sub, KustomizationFile)); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		data, err := Read(sub)
		if err != nil {
			return nil, err
		}
		if len(out) > 0 && !bytes.HasPrefix(data, []byte("---\n")) {
			// kustomize separates documents, but does not start with a
			// separator.
			out = append(out, "---\n"...)
		}
		out = append(out, data...)
	}
	return out, nil
}
