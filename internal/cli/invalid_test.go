package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestInvalidSpecsWriteNothing renders and validates every spec of the
// bad-input corpus: each must exit 1, say why with the message the corpus
// pins, print nothing on stdout when rendering, leave the output folder
// uncreated, and print no raw control or bidirectional-override character
// that could redraw the terminal.
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
			if r.code != 1 {
				t.Fatalf("render: exit %d for an invalid spec, want 1\nstderr:\n%s", r.code, r.stderr)
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
			v := runCLI(t, "", "validate", "-f", spec)
			if v.code != 1 {
				t.Errorf("validate: exit %d, want 1\nstdout:\n%s", v.code, v.stdout)
			}
			for what, text := range map[string]string{"render's stderr": r.stderr, "validate's stdout": v.stdout, "validate's stderr": v.stderr} {
				if i, c := unsafeText(text); i >= 0 {
					t.Errorf("%s holds %U at byte %d: %q", what, c, i, text)
				}
			}
		})
	}
}

// unsafeText returns the position of the first character in s that a
// terminal could act on (a control character other than a line break, a
// bidirectional override, any other invisible format character) or invalid
// UTF-8, and -1 when there is none.
func unsafeText(s string) (int, rune) {
	for i, c := range s {
		if c == utf8.RuneError || c != '\n' && !unicode.IsPrint(c) {
			return i, c
		}
	}
	return -1, 0
}
