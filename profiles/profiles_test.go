package profiles_test

import (
	"testing"

	"github.com/istio-render/istio-render/profiles"
)

func TestEveryProfileLoads(t *testing.T) {
	names := profiles.Names()
	if len(names) != 5 {
		t.Errorf("Names() = %q, want the five profiles", names)
	}
	for _, name := range names {
		p, err := profiles.Get(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if p.Name != name || p.Description == "" || p.Spec() == nil {
			t.Errorf("%s: name %q, description %q, spec %v", name, p.Name, p.Description, p.Spec())
		}
	}
	if _, err := profiles.Get("nonexistent"); err == nil {
		t.Error("Get(nonexistent) succeeded")
	}
}
