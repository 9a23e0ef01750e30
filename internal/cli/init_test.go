package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/profiles"
)

func TestInit(t *testing.T) {
	for _, p := range profiles.Names() {
		t.Run("loads with profile "+p, func(t *testing.T) {
			r := expectExit(t, 0, "init", "--profile", p, "--name", "starter")
			m, _, err := mesh.Load([]byte(r.stdout))
			if err != nil {
				t.Fatalf("the starter spec does not load: %v\n%s", err, r.stdout)
			}
			if m.Metadata.Name != "starter" || m.Profile != p {
				t.Errorf("name %q profile %q, want starter and %s", m.Metadata.Name, m.Profile, p)
			}
		})
	}

	t.Run("renders", func(t *testing.T) {
		dir := t.TempDir()
		spec := filepath.Join(dir, "mesh.yaml")
		expectExit(t, 0, "init", "-o", spec)
		if r := expectExit(t, 0, "validate", "-f", spec); !strings.Contains(r.stdout, "valid (profile default") {
			t.Errorf("validate printed %q", r.stdout)
		}
	})

	t.Run("never overwrites", func(t *testing.T) {
		spec := filepath.Join(t.TempDir(), "mesh.yaml")
		writeTestFile(t, spec, "mine\n")
		r := expectExit(t, 1, "init", "-o", spec)
		if !strings.Contains(r.stderr, "already exists") {
			t.Errorf("stderr = %q", r.stderr)
		}
		if data, err := os.ReadFile(spec); err != nil || string(data) != "mine\n" {
			t.Errorf("the file now holds %q (%v)", data, err)
		}
	})

	t.Run("names a schema in a modeline", func(t *testing.T) {
		r := expectExit(t, 0, "init", "--schema", "istiomesh.schema.json")
		if first, _, _ := strings.Cut(r.stdout, "\n"); first != "# yaml-language-server: $schema=istiomesh.schema.json" {
			t.Errorf("first line = %q", first)
		}
	})

	t.Run("a name YAML would read as another type", func(t *testing.T) {
		for _, name := range []string{"yes", "on", "123", "1.10", "null", "0x1f"} {
			r := expectExit(t, 0, "init", "--name", name)
			m, _, err := mesh.Load([]byte(r.stdout))
			if err != nil || m.Metadata.Name != name {
				t.Errorf("--name %s: the starter spec loads as %v, %v", name, m, err)
			}
		}
	})

	t.Run("refuses a name or schema it cannot write as given", func(t *testing.T) {
		for _, args := range [][]string{
			{"--name", "x\n  namespace: evil"},
			{"--name", "#x"},
			{"--name", "Bad Name"},
			{"--name", ""},
			{"--schema", "s.json\nkind: Other"},
		} {
			r := expectExit(t, 2, append([]string{"init"}, args...)...)
			if !strings.Contains(r.stderr, args[0]+" ") || r.stdout != "" {
				t.Errorf("init %q: stdout %.80q, stderr %q, want only an error naming %s", args, r.stdout, r.stderr, args[0])
			}
		}
	})

	expectExit(t, 2, "init", "--profile", "tiny")
	expectExit(t, 2, "init", "mesh.yaml")
}
