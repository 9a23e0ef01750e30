package behaviour_test

import (
	"maps"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	metadatafake "k8s.io/client-go/metadata/fake"
	clienttesting "k8s.io/client-go/testing"
	"sigs.k8s.io/gateway-api/pkg/consts"

	"istio.io/istio/pkg/config/schema/gatewayapi"
	"istio.io/istio/pkg/kube"

	"github.com/istio-render/istio-render/mesh"
)

// gatewayAPICRDAnnotations are the annotations of the Gateway API CRDs
// the cluster holds, by CRD name: the rendered CRDs' own, or, with
// spec.gatewayAPI.crds present, the release and channel the spec says are
// installed, on every CRD istiod requires a minimum release of. istiod
// ignores a Gateway API kind whose CRD does not say a release it supports
// (TLSRoute, GRPCRoute, ...), so these decide which routes it reads.
func gatewayAPICRDAnnotations(b *bundle) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, o := range b.ofKind("CustomResourceDefinition") {
		if group, _, _ := unstructured.NestedString(o.Object, "spec", "group"); group == gatewayAPIGroup {
			out[o.GetName()] = o.GetAnnotations()
		}
	}
	if g := b.spec.GatewayAPI; g.CRDs == mesh.GatewayAPICRDsPresent {
		for name := range gatewayapi.MinimumCRDVersions {
			out[name] = map[string]string{consts.BundleVersionAnnotation: g.Version, consts.ChannelAnnotation: g.Channel}
		}
	}
	return out
}

// withCRDAnnotations makes a fake client's CustomResourceDefinitions carry
// the annotations the cluster's CRDs have: the fake registers the CRDs
// istiod watches without any, and the reactor adds them to every create
// and update.
func withCRDAnnotations(annotations map[string]map[string]string) func(kube.Client) {
	return func(c kube.Client) {
		fmc, ok := c.Metadata().(*metadatafake.FakeMetadataClient)
		if !ok {
			return
		}
		fmc.PrependReactor("*", "customresourcedefinitions", func(a clienttesting.Action) (bool, runtime.Object, error) {
			oa, ok := a.(interface{ GetObject() runtime.Object })
			if !ok {
				return false, nil, nil
			}
			pm, ok := oa.GetObject().(*metav1.PartialObjectMetadata)
			if !ok || annotations[pm.Name] == nil {
				return false, nil, nil
			}
			if pm.Annotations == nil {
				pm.Annotations = map[string]string{}
			}
			maps.Copy(pm.Annotations, annotations[pm.Name])
			return false, nil, nil
		})
	}
}
