package profiles

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/internal/merge"
)

// Default is the profile used when a spec names none.
const Default = "default"

// DescriptionAnnotation holds a profile's one-line description.
const DescriptionAnnotation = "istio-render.dev/description"

//go:embed *.yaml
var files embed.FS

// Profile is one parsed preset.
type Profile struct {
	// Name of the profile, as spec.profile names it.
	Name string
	// Description is a one-line summary.
	Description string
	// Document is the profile's file as written.
	Document []byte
	// spec is the profile's spec as a generic tree.
	spec map[string]any
}

// Spec returns a fresh copy of the profile's spec as a generic tree.
func (p Profile) Spec() map[string]any {
	return merge.Copy(p.spec).(map[string]any)
}

// all parses the embedded profiles once; the result is never modified.
var all = sync.OnceValues(func() (map[string]Profile, error) {
	entries, err := files.ReadDir(".")
	if err != nil {
		return nil, err
	}
	out := map[string]Profile{}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".yaml")
		data, err := files.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		var doc struct {
			Metadata struct {
				Name        string            `json:"name"`
				Annotations map[string]string `json:"annotations"`
			} `json:"metadata"`
			Spec map[string]any `json:"spec"`
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("profile %s: %w", name, err)
		}
		if doc.Metadata.Name != name {
			return nil, fmt.Errorf("profile file %s names itself %q", e.Name(), doc.Metadata.Name)
		}
		if doc.Spec == nil {
			doc.Spec = map[string]any{}
		}
		out[name] = Profile{
			Name:        name,
			Description: doc.Metadata.Annotations[DescriptionAnnotation],
			Document:    data,
			spec:        doc.Spec,
		}
	}
	return out, nil
})

// Names returns the profile names, sorted.
func Names() []string {
	m, err := all()
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Get returns the named profile.
func Get(name string) (Profile, error) {
	m, err := all()
	if err != nil {
		return Profile{}, fmt.Errorf("loading embedded profiles: %w", err)
	}
	p, ok := m[name]
	if !ok {
		return Profile{}, fmt.Errorf("unknown profile %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return p, nil
}
