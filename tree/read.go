package tree

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"sigs.k8s.io/yaml"
)

// Read returns the YAML stream of the objects a folder holds. For a tree
// that Write wrote, with its kustomization.yaml as written, that is the
// files the kustomization lists, read in order without running kustomize,
// which is much faster on large CRDs. For a tree laid out for Flux, it is
// the objects of the phase folders, each read as Read reads a folder, in
// phase order: what the Flux Kustomizations at its root install, not
// those Kustomizations. For any other folder, Read runs Build.
func Read(dir string) ([]byte, error) {
	files, ok, err := ownKustomization(dir)
	if err != nil {
		return nil, err
	}
	if !ok {
		return Build(dir)
	}
	if fluxRoot(files) {
		return readPhases(dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", dir, err)
	}
	defer root.Close()
	var out bytes.Buffer
	for _, f := range files {
		data, err := root.ReadFile(filepath.FromSlash(f))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", dir, err)
		}
		out.WriteString("---\n")
		out.Write(bytes.TrimPrefix(data, []byte(Marker+"\n")))
	}
	return out.Bytes(), nil
}

// ownKustomization returns the files a folder's kustomization.yaml lists
// when it is exactly one this package writes; ok is false otherwise.
func ownKustomization(dir string) ([]string, bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, KustomizationFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading %s: %w", dir, err)
	}
	if !isMarker(data) {
		return nil, false, nil
	}
	var doc kustomizationDoc
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, false, nil
	}
	again, err := kustomization(doc.Resources)
	if err != nil || !bytes.Equal(again, data) {
		return nil, false, err
	}
	return doc.Resources, true, nil
}
