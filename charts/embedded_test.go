package charts

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmbeddedIdentity ties the constants that name the embedded charts to
// the istio.io/istio module go.mod requires and to that module's VERSION
// file, so a module bump cannot leave them stale.
func TestEmbeddedIdentity(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}} {{.Dir}}", EmbeddedModule).Output()
	if err != nil {
		t.Fatalf("go list -m %s: %v", EmbeddedModule, err)
	}
	version, dir, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	if version != EmbeddedVersion {
		t.Errorf("EmbeddedVersion = %s, go.mod requires %s", EmbeddedVersion, version)
	}
	line, err := os.ReadFile(filepath.Join(dir, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(line)); got != EmbeddedLine {
		t.Errorf("EmbeddedLine = %s, the module's VERSION says %s", EmbeddedLine, got)
	}
	for _, name := range Names() {
		if _, err := Embedded().Chart(name); err != nil {
			t.Errorf("chart %s: %v", name, err)
		}
	}
}
