package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInvalidSpecsWriteNothing renders every spec of the bad-input corpus
// to a folder: each must exit non-zero, say why on stderr with the message
// the corpus pins, print nothing on stdout and leave the folder uncreated.
func TestInvalidSpecsWriteNothing(t *testing.T) {
	specs, err := filepath.Glob(filepath.Join("..", "..", "golden", "testdata", "invalid", "*.yaml"))
	if err != nil || len(specs) < 40 {
		t.Fatalf("want the bad-input corpus, found %d specs (%v)", len(specs), err)
	}
	for _, spec := range specs {
		name := strings.TrimSuffix(filepath.Base(spec), ".yaml")
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(spec, ".yaml") + ".err")
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "deploy")
			r := runCLI(t, "", "render", "-q", "-f", spec, "-o", out)
			if r.code == 0 {
				t.Fatalf("exit 0 for an invalid spec")
			}
			if r.stdout != "" {
				t.Errorf("stdout is not empty:\n%s", r.stdout)
			}
			firstLine, _, _ := strings.Cut(strings.TrimSpace(string(want)), "\n")
			if !strings.Contains(r.stderr, firstLine) {
				t.Errorf("stderr does not carry the corpus message %q:\n%s", firstLine, r.stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("the output folder exists after a failed render (%v)", err)
			}
		})
	}
}
