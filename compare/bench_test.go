package compare

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkObjects compares two whole renders, the demo and the ambient
// profile's golden output: every CRD, webhook and workload of both.
func BenchmarkObjects(b *testing.B) {
	read := func(name string) []Object {
		data, err := os.ReadFile(filepath.Join("..", "golden", "testdata", name, "expected.yaml"))
		if err != nil {
			b.Fatal(err)
		}
		objs, err := Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		return objs
	}
	old, new := read("profile-demo"), read("profile-ambient")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Objects(old, new); err != nil {
			b.Fatal(err)
		}
	}
}
