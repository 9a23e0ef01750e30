package tree

import (
	"fmt"
	"path/filepath"
	"slices"
	"sync"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/provider"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Build runs kustomize on dir, in-process, and returns the YAML stream it
// gives: for a tree that Write wrote, the render's objects in its order. It
// works on any kustomization, so an overlay of a tree can be compared with
// a render too.
//
// Build is offline: it opens no socket and runs no program. kustomize
// itself downloads http and https resources and clones remote bases with
// the git program, and has no option to stop it, so Build reads every
// kustomization file as kustomize reaches it (the folder's, its bases',
// its components') and refuses one that refers to anything remote with a
// [*RemoteError], before kustomize acts on it. Plugin configurations
// listed under generators, transformers or validators are checked too,
// which Build can do only for files and inline configurations: a folder
// listed there is refused. Only kustomize's builtin plugins run (no exec or
// container functions), and Helm chart inflation stays off.
func Build(dir string) ([]byte, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	// kustomize takes the real path of every folder it reads; so does the
	// check, to name files from dir.
	root, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	fsys := &offlineFS{
		FileSystem: filesys.MakeFsOnDisk(),
		dir:        dir,
		root:       root,
		resmaps:    resmap.NewFactory(provider.NewDepProvider().GetResourceFactory()),
	}
	opts := krusty.MakeDefaultOptions()
	// Honour the kustomization's sortOptions, as the kustomize command does.
	opts.Reorder = krusty.ReorderOptionUnspecified
	opts.PluginConfig = types.DisabledPluginConfig()
	// An absolute path, so that a folder named like a repository
	// (github.com/org/repo) is not taken for one.
	m, runErr := krusty.MakeKustomizer(opts).Run(fsys, abs)
	if err := fsys.refusal(); err != nil {
		// kustomize takes a kustomization it cannot read for a missing
		// one, so its own error would hide the reason.
		return nil, err
	}
	if runErr != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, runErr)
	}
	out, err := m.AsYaml()
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	return out, nil
}

// offlineFS is the disk as kustomize sees it during Build: it checks each
// kustomization file kustomize reads for remote references. After the
// first refusal every read fails, so kustomize stops at once.
type offlineFS struct {
	filesys.FileSystem
	dir, root string // the folder as given to Build and its real path
	resmaps   *resmap.Factory

	mu      sync.Mutex
	refused error
}

func (f *offlineFS) ReadFile(path string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refused != nil {
		return nil, f.refused
	}
	data, err := f.FileSystem.ReadFile(path)
	if err != nil || !slices.Contains(konfig.RecognizedKustomizationFileNames(), filepath.Base(path)) {
		return data, err
	}
	if err := f.check(path, data); err != nil {
		f.refused = err
		return nil, err
	}
	return data, nil
}

// refusal returns the error that refused a kustomization, if one was.
func (f *offlineFS) refusal() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refused
}

// check refuses a kustomization file that refers to anything remote.
func (f *offlineFS) check(path string, data []byte) error {
	var k types.Kustomization
	if k.Unmarshal(data) != nil {
		// kustomize decodes the same bytes the same way, and fails.
		return nil
	}
	file := f.name(path)
	for _, r := range kustomizationLoads(&k) {
		if r.remote() {
			return &RemoteError{File: file, Field: r.field, Ref: r.ref}
		}
	}
	for _, list := range []struct {
		field   string
		entries []string
	}{{"generators", k.Generators}, {"transformers", k.Transformers}, {"validators", k.Validators}} {
		for i, entry := range list.entries {
			if err := f.pluginEntry(path, fmt.Sprintf("%s[%d]", list.field, i), entry); err != nil {
				return err
			}
		}
	}
	return nil
}

// pluginEntry checks an entry of generators, transformers or validators
// as kustomize reads it: plugin configurations inline, else a path to a
// file of them, else a folder or repository, which kustomize builds for
// its configurations. A folder is refused: what its build gives can be
// known only by building it, and kustomize loads the files those
// configurations name while it builds.
func (f *offlineFS) pluginEntry(kustomization, field, entry string) error {
	file := f.name(kustomization)
	if rm, err := f.resmaps.NewResMapFromBytes([]byte(entry)); err == nil {
		return pluginConfigs(file, field, rm)
	}
	if remote(entry) {
		return &RemoteError{File: file, Field: field, Ref: entry}
	}
	path := entry
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(kustomization), path)
	}
	if f.FileSystem.IsDir(path) {
		return fmt.Errorf("%s: %s %q is a folder; folders are built offline, with plugin configurations from files or inline only", file, field, entry)
	}
	data, err := f.FileSystem.ReadFile(path)
	if err != nil {
		// kustomize fails to read it too.
		return nil
	}
	rm, err := f.resmaps.NewResMapFromBytes(data)
	if err != nil {
		return nil
	}
	return pluginConfigs(f.name(path), "", rm)
}

// name names a file kustomize reads from the folder given to Build.
func (f *offlineFS) name(path string) string {
	rel, err := filepath.Rel(f.root, path)
	if err != nil {
		return path
	}
	return filepath.Join(f.dir, rel)
}
