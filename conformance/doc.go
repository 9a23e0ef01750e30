// Package conformance proves render's output against real systems rather
// than against itself. It holds tests only; see docs/proof.md.
//
// Three proofs run in every `go test ./...`, offline:
//
//   - Helm parity: for every golden case, each chart's objects equal what
//     Helm's own install action (the `helm template` code path) renders for
//     the same chart, release name, namespace, values and Kubernetes
//     version, taken from [github.com/istio-render/istio-render/render.Releases]. The few intended differences
//     are listed in one place, each with its reason.
//   - CRD schemas: every Istio custom resource of every golden case is
//     validated the way kube-apiserver validates a custom resource on
//     create (structural schema, unknown-field pruning, OpenAPI v3
//     validation, list types and CEL rules), against the CRDs in the
//     embedded base chart.
//   - The same schema check rejects deliberately broken objects.
//
// One proof needs a real Kubernetes API server and runs with the
// conformance build tag (`make conformance` builds etcd and kube-apiserver
// from source, starts them on loopback and runs it): every object of every
// golden case is applied, namespaces and CRDs for real and everything else
// as a server-side dry-run apply with strict field validation, and broken
// objects are shown to be rejected.
package conformance
