package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImport(t *testing.T) {
	seed := filepath.Join("..", "..", "iop", "testdata", "seed-production.yaml")
	r := expectExit(t, 0, "import", "-f", seed)
	for _, want := range []string{
		"Warning: not carried over: spec.values.global.mtls: not a value of Istio's charts any more (istioctl refuses it); for mesh-wide mutual TLS set spec.mesh.mtls: STRICT",
		"Note: spec.components.pilot.k8s.replicaCount: ",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, "# - spec.values.global.mtls: ") || !strings.Contains(r.stdout, "kind: IstioMesh\n") {
		t.Errorf("stdout:\n%s", r.stdout)
	}

	// The spec renders, written to a file; -q keeps standard error quiet.
	out := filepath.Join(t.TempDir(), "mesh.yaml")
	q := expectExit(t, 0, "import", "-q", "-f", seed, "-o", out)
	if q.stderr != "" || q.stdout != "" {
		t.Errorf("import -q -o wrote %q, %q", q.stdout, q.stderr)
	}
	if data, err := os.ReadFile(out); err != nil || string(data) != r.stdout {
		t.Errorf("the file differs from standard output (%v)", err)
	}
	expectExit(t, 0, "validate", "-f", out)

	// An existing spec is never overwritten.
	writeTestFile(t, out, "mine\n")
	if e := expectExit(t, 1, "import", "-q", "-f", seed, "-o", out); !strings.Contains(e.stderr, out+" already exists; import does not overwrite files") {
		t.Errorf("stderr:\n%s", e.stderr)
	}
	if data, err := os.ReadFile(out); err != nil || string(data) != "mine\n" {
		t.Errorf("the file now holds %.80q (%v)", data, err)
	}

	// From standard input.
	data, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	if in := runCLI(t, string(data), "import", "-f", "-"); in.code != 0 || !strings.Contains(in.stdout, "replicas: 3") {
		t.Errorf("import -f -: exit %d\n%s%s", in.code, in.stdout, in.stderr)
	}

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	writeTestFile(t, bad, "apiVersion: v1\nkind: ConfigMap\n")
	if e := expectExit(t, 1, "import", "-f", bad); !strings.Contains(e.stderr, `kind: "ConfigMap" is not IstioOperator`) {
		t.Errorf("stderr:\n%s", e.stderr)
	}
	expectExit(t, 2, "import")
}
