package charts

import (
	"fmt"
	"path/filepath"
	"sync"
)

// Resolver finds the charts a chart reference names, such as the folder in
// a spec's spec.revisions[].charts. The library never reads a file on its
// own: a caller that renders specs naming charts gives a Resolver.
type Resolver func(ref string) (*Source, error)

// FolderResolver resolves chart references as folders of charts (chart
// folders, or .tgz archives as `helm pull` downloads them, three levels
// deep as for [FromPaths]): a relative reference is taken relative to
// base, the folder of the spec that names it. Each folder is loaded once
// per resolver, on first use; the resolver is safe for concurrent use.
func FolderResolver(base string) Resolver {
	var mu sync.Mutex
	loaded := map[string]*Source{}
	return func(ref string) (*Source, error) {
		if ref == "" {
			return nil, fmt.Errorf("empty chart reference")
		}
		p := ref
		if !filepath.IsAbs(p) {
			p = filepath.Join(base, p)
		}
		mu.Lock()
		defer mu.Unlock()
		if s, ok := loaded[p]; ok {
			return s, nil
		}
		s, err := FromPaths(p)
		if err != nil {
			return nil, err
		}
		loaded[p] = s
		return s, nil
	}
}
