// Package charts supplies the Istio Helm charts that render uses and
// renders one chart at a time: the charts embedded in this binary from the
// istio.io/istio module ([Embedded]), charts a user pins from folders or
// from .tgz archives as `helm pull istio/<chart> --version X` downloads
// them ([FromPaths]), or charts in any [io/fs.FS] ([FromFS]).
//
// A [Source] hands out a [Chart] by name (base, istiod, gateway, cni,
// ztunnel). Charts load lazily, once per source, and are never modified
// afterwards, so one source serves concurrent renders. [Embedded] returns
// one shared source: its charts are constant data of the binary, parsed at
// most once per process.
//
// [Chart.Render] renders a chart for one release with Helm's template
// engine, offline: no cluster client, no network, capabilities pinned from
// the Kubernetes version given. Values are checked against the chart's
// values.schema.json by a compiler that has no network loader, so a schema
// that refers to a remote document fails instead of reaching out. Nothing
// renders any result twice from memory here: see render.Cache for that.
package charts
