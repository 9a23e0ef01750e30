// Package golden holds istio-render's golden tests: each folder under
// testdata is one case, a spec (mesh.yaml) in and the exact YAML stream
// (expected.yaml) out. The expected files are produced by the code and
// reviewed as diffs; regenerate them with
//
//	go test ./golden -update
//
// and read `git diff golden/` before committing.
package golden
