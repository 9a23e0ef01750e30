package fn_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/istio-render/istio-render/fn"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// Each case is a folder under testdata holding input.yaml, the ResourceList
// a function runner sends. The test writes what the function answers to
// output.yaml and the report the fn command prints on standard error to
// stderr.txt, and compares both byte for byte.
func TestGolden(t *testing.T) {
	tests := []struct {
		name    string
		reason  string
		wantErr bool
	}{{
		name: "generate",
		reason: "the input as kustomize sends it (functionConfig and a local-config copy carrying kustomize's " +
			"annotations, plus another item) passes through untouched; the rendered objects follow in apply " +
			"order; the spec's warnings become warning results",
	}, {
		name:    "invalid-spec",
		reason:  "every problem becomes an error result with its field path, nothing is generated and the function fails",
		wantErr: true,
	}, {
		name:    "wrong-kind",
		reason:  "a functionConfig that is not an IstioMesh is rejected field by field",
		wantErr: true,
	}, {
		name:    "no-function-config",
		reason:  "a ResourceList without a functionConfig fails with a result that says what is expected",
		wantErr: true,
	}}
	listed := map[string]bool{}
	for _, tc := range tests {
		listed[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("testdata", tc.name)
			in, err := os.ReadFile(filepath.Join(dir, "input.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			out, stderr, err := execute(t.Context(), in)
			var rs framework.Results
			if gotErr := errors.As(err, &rs); gotErr != tc.wantErr || (err != nil && !gotErr) {
				t.Fatalf("%s\nerror = %v, want an error: %t", tc.reason, err, tc.wantErr)
			}
			compareGolden(t, tc.reason, filepath.Join(dir, "output.yaml"), out)
			compareGolden(t, tc.reason, filepath.Join(dir, "stderr.txt"), stderr)
		})
	}
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && !listed[e.Name()] {
			t.Errorf("testdata/%s is not a case of TestGolden", e.Name())
		}
	}
}

// execute runs the function on a ResourceList the way the fn command does
// and returns what it writes on standard output and standard error.
func execute(ctx context.Context, in []byte) (out, stderr []byte, err error) {
	var o, e bytes.Buffer
	p := fn.Processor{}
	run := func(rl *framework.ResourceList) error {
		err := p.ProcessContext(ctx, rl)
		if werr := fn.WriteResults(&e, rl.Results); werr != nil {
			return werr
		}
		return err
	}
	rw := &kio.ByteReadWriter{Reader: bytes.NewReader(in), Writer: &o, KeepReaderAnnotations: true}
	err = framework.Execute(framework.ResourceListProcessorFunc(run), rw)
	return o.Bytes(), e.Bytes(), err
}

// compareGolden compares got with a golden file, or rewrites the file with
// -update.
func compareGolden(t *testing.T, reason, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./fn -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s\n%s mismatch (-want +got):\n%s", reason, path, diff)
	}
}
