package fn_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/istio-render/istio-render/fn"
	"github.com/istio-render/istio-render/internal/fuzzseed"
)

// FuzzResourceList runs the function over arbitrary ResourceList input,
// seeded with the golden cases. The answer is a ResourceList or an error,
// never a panic; an error leaves no generated item behind. Run answers as
// framework.Execute does: the same error, and output that kyaml reads
// into the same nodes.
func FuzzResourceList(f *testing.F) {
	fuzzseed.Files(f, "testdata/*/input.yaml")
	f.Add([]byte("")) // no ResourceList at all: both ways write nothing
	f.Fuzz(func(t *testing.T, data []byte) {
		var oldOut, newOut bytes.Buffer
		rw := &kio.ByteReadWriter{Reader: bytes.NewReader(data), Writer: &oldOut, KeepReaderAnnotations: true}
		oldErr := framework.Execute(fn.Processor{}, rw)
		_, newErr := fn.Processor{}.Run(t.Context(),
			&kio.ByteReadWriter{Reader: bytes.NewReader(data), Writer: &newOut, KeepReaderAnnotations: true})
		if diff := cmp.Diff(errString(oldErr), errString(newErr)); diff != "" {
			t.Fatalf("error mismatch (-Execute +Run):\n%s", diff)
		}
		if diff := cmp.Diff(oldOut.String(), reencode(t, newOut.Bytes())); diff != "" {
			t.Fatalf("Run's output, read and written by kyaml, is not framework.Execute's (-Execute +Run):\n%s", diff)
		}

		rw = &kio.ByteReadWriter{Reader: bytes.NewReader(data), Writer: &bytes.Buffer{}, KeepReaderAnnotations: true}
		in, err := rw.Read()
		if err != nil {
			return
		}
		rl := &framework.ResourceList{Items: in, FunctionConfig: rw.FunctionConfig}
		if err := (fn.Processor{}).Process(rl); err != nil {
			if len(rl.Items) != len(in) {
				t.Fatalf("failed with %d items appended", len(rl.Items)-len(in))
			}
			if len(rl.Results) == 0 {
				t.Fatal("failed without a result")
			}
		}
	})
}
