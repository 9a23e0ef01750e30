// Package render turns an IstioMesh spec into the complete, ordered set of
// Kubernetes objects that installs it.
//
// [Render] is a pure function of the spec and the chart source: it renders
// the official Istio Helm charts (base, istiod, gateway, cni, ztunnel) with
// Helm's template engine in-process, with Kubernetes capabilities pinned from
// the spec, and adds the mesh policy no chart renders: Namespace objects with
// injection labels, PeerAuthentication, client-side DestinationRules,
// AuthorizationPolicies, networking.istio.io Gateway objects and cert-manager
// Certificates. It opens no network connection and talks to no cluster: the
// Helm engine runs without a Kubernetes client, so the lookup function
// returns nothing.
//
// The same spec and charts always give the same bytes: resources are in a
// fixed apply order (namespaces, CRDs, RBAC, configuration, services,
// workloads, webhooks, gateway workloads, which need the injection webhook,
// then custom resources) and every object is written with sorted keys.
// Render is safe to call from many goroutines.
//
// Before it returns, Render checks what it rendered: each object against
// Kubernetes' own rules for its kind that need no cluster, and the objects
// together for what makes an install work (Gateway objects that select
// gateway pods, gateway pods that Istio's injector injects, client mTLS
// only toward pods with a proxy, Service port names that say the gateway's
// protocol, a mesh config that keeps Prometheus metrics). A broken rule is
// a [*mesh.ValidationError] naming the spec field that caused it; see
// docs/validation.md. Render stops between releases when its context is
// done; a release under way runs to its end, as Helm's engine cannot be
// interrupted.
//
// Render remembers nothing between calls unless it is given a [Cache], an
// object its caller owns (see [NewCache]); a program that renders many
// specs, or the same spec again, shares one through [Options]. [Releases]
// lists the Helm releases a render consists of, with the exact values each
// chart gets, for handing to Helm itself. A chart that fails is a
// [*ChartError], which names the spec field when the user's raw Helm values
// caused it.
package render
