// Package profiles holds the presets an IstioMesh spec starts from. Each
// profile is a readable IstioMesh document in this folder, embedded in the
// binary; the spec named by spec.profile is merged under the user's spec
// (mappings merge key by key, lists of named items merge by name, and a
// null in the user's spec removes a profile setting).
//
// The profiles:
//
//   - minimal: istiod only.
//   - default: istiod and the istio-ingressgateway, mesh-wide PERMISSIVE
//     mTLS. Istio's recommended starting point.
//   - demo: default plus an egress gateway, access logs, 100% tracing and
//     small resource requests. Not for production.
//   - ambient: istiod, istio-cni and ztunnel in ambient mode, no gateway.
//   - production: the high-availability preset: istiod and the ingress
//     gateway each autoscale from 2 replicas with a PodDisruptionBudget,
//     zone topology spread and node anti-affinity; STRICT mTLS mesh-wide;
//     REGISTRY_ONLY outbound traffic.
package profiles
