// Package iop imports IstioOperator files, the install.istio.io/v1alpha1
// API that `istioctl install -f` and `istioctl manifest generate -f` take,
// as IstioMesh specs.
//
// [Import] maps what the spec has a field for: the profile, hub and tag,
// revision and revision tags, meshConfig settings the spec names, and the
// pilot, gateway, CNI and ztunnel components with their Kubernetes
// settings (replicas, autoscaling, resources, disruption budget, service
// type, annotations and address). Settings the charts take but the spec
// does not name become raw values of the chart that reads them
// (spec.values), as istioctl would pass them. Everything else, such as
// k8s.overlays patches or a component's own image, is left out, and
// [Result.Unmapped] names each such field with what to do about it.
//
// A spec is not a copy of istioctl's output: istio-render renders gateways
// with Istio's gateway chart, as Helm users do, where istioctl uses its own
// legacy gateway charts, and its profiles add mesh policy istioctl does
// not. The conformance module renders every IstioOperator profile of the
// embedded istio.io/istio module through both and lists each difference
// in workloads, images, replicas, resources and mesh settings with its
// reason.
package iop
