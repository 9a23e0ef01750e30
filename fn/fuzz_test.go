package fn_test

import (
	"bytes"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/istio-render/istio-render/fn"
	"github.com/istio-render/istio-render/internal/fuzzseed"
)

// FuzzResourceList runs the function over arbitrary ResourceList input,
// seeded with the golden cases. The answer is a ResourceList or an error,
// never a panic; an error leaves no generated item behind.
func FuzzResourceList(f *testing.F) {
	fuzzseed.Files(f, "testdata/*/input.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		rw := &kio.ByteReadWriter{Reader: bytes.NewReader(data), Writer: &out, KeepReaderAnnotations: true}
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
