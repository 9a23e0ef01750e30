// Package flux derives the Flux Kustomizations that apply a rendered Istio
// install in order.
//
// Flux's kustomize-controller applies what one Kustomization holds in a
// single server-side apply, ordered by kind: Namespaces and CRDs first,
// then everything else together. A gateway Deployment then meets an
// injection webhook that does not answer yet and its pods keep the image
// "auto", and Istio custom resources can reach a validating webhook
// before istiod serves it. The render's phases (render.PhaseOf) carry the
// order instead: each phase is a folder of its own, applied by a
// Kustomization that dependsOn the previous phase's and, until the last,
// waits for its objects to be ready (wait: true), so a phase starts only
// once the one before is healthy.
//
// [Kustomizations] returns those objects for one render; the tree package
// lays out the folders they point at. Fields the cluster sets at run time
// (render.RuntimeFields) that the render carries become the
// Kustomization's ignore rules, so that Flux neither reports them as
// drift nor writes them back; fields the render leaves out need none,
// because Flux applies server-side and never sends them.
package flux
