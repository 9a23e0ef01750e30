// Package charts supplies the Istio Helm charts that render uses: the ones
// embedded in this binary from the istio.io/istio module, or charts a user
// pins from a directory or from .tgz archives (what
// `helm pull istio/<chart> --version X` downloads).
//
// A [Source] hands out loaded charts by name (base, istiod, gateway, cni,
// ztunnel). Charts load lazily, once per source, and are never modified
// afterwards, so one source serves concurrent renders.
//
// Values are checked against a chart's values.schema.json offline: the
// schema compiler here has no network loader, so a schema that refers to a
// remote document fails instead of reaching out.
package charts
