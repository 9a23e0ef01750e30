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

// parsed holds, for each embedded profile, a function that parses it once,
// on first use; a render parses only the profile it starts from. Profiles
// are never modified after parsing.
var parsed = sync.OnceValue(func() map[string]func() (Profile, error) {
	out := map[string]func() (Profile, error){}
	for _, name := range Names() {
		out[name] = sync.OnceValues(func() (Profile, error) { return parse(name) })
	}
	return out
})

// parse reads one embedded profile.
func parse(name string) (Profile, error) {
	file := name + ".yaml"
	data, err := files.ReadFile(file)
	if err != nil {
		return Profile{}, err
	}
	var doc struct {
		Metadata struct {
			Name        string            `json:"name"`
			Annotations map[string]string `json:"annotations"`
		} `json:"metadata"`
		Spec map[string]any `json:"spec"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Profile{}, fmt.Errorf("profile %s: %w", name, err)
	}
	if doc.Metadata.Name != name {
		return Profile{}, fmt.Errorf("profile file %s names itself %q", file, doc.Metadata.Name)
	}
	if doc.Spec == nil {
		doc.Spec = map[string]any{}
	}
	return Profile{
		Name:        name,
		Description: doc.Metadata.Annotations[DescriptionAnnotation],
		Document:    data,
		spec:        doc.Spec,
	}, nil
}

// Names returns the profile names, sorted. It lists the embedded files
// without parsing them, so building a command line's help costs nothing.
func Names() []string {
	entries, err := files.ReadDir(".")
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Get returns the named profile.
func Get(name string) (Profile, error) {
	load, ok := parsed()[name]
	if !ok {
		return Profile{}, fmt.Errorf("unknown profile %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	p, err := load()
	if err != nil {
		return Profile{}, fmt.Errorf("loading embedded profile: %w", err)
	}
	return p, nil
}
