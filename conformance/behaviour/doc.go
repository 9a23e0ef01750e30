// Package behaviour proves that what render writes makes Istio behave as
// the spec says, with Istio's own code rather than by reading the YAML.
// It holds tests only; see docs/proof.md.
//
// For every golden case and every profile, the render is applied to a
// cluster synthesized the way Kubernetes would run it (pods of the
// rendered Deployments and DaemonSets, a sample application in every
// namespace of the spec, the gateways' credential Secrets, a node), and
// three of istiod's code paths run over it:
//
//   - the analyzers behind `istioctl analyze`, with Namespaces, Services
//     and Pods in their input: no message of level Error, and the known
//     Info and Warning messages listed once, with their reasons;
//   - the sidecar injection webhook, built from the rendered injector
//     ConfigMap and mesh config and called as kube-apiserver calls it, on
//     the sample workloads and every gateway Deployment, and istiod's
//     Gateway API deployment controller for Gateway API gateways and
//     waypoints: the proxy's image, resources, log level, cluster,
//     network and mesh IDs, and the revision that injected it;
//   - istiod's configuration generator (pilot/test/xds and Envoy request
//     simulation from pilot/pkg/simulation) for a sidecar in each
//     namespace and for each gateway: metrics, inbound mTLS, outbound TLS,
//     outbound traffic policy, access log, authorization, tracing through
//     the Telemetry resource, and a listener for every gateway server and
//     Gateway API listener.
//
// Every expected value comes from the spec after mesh.Load (profile
// merged, defaults filled in), never from the golden files, and every
// check is shown to fail on a deliberately broken render.
//
// istiod reads its feature flags from the environment once, when its
// packages initialize, so each case runs in a process of its own: the test
// binary again, with the rendered istiod's environment.
package behaviour
