package behaviour_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/intstr"

	"istio.io/istio/pkg/config/analysis/analyzers"
	"istio.io/istio/pkg/config/analysis/diag"
	"istio.io/istio/pkg/config/analysis/local"
	"istio.io/istio/pkg/config/resource"

	"github.com/istio-render/istio-render/mesh"
)

// clusterObjects is what the API server would hold once the render is
// applied and the cluster runs it: the rendered objects with the server's
// defaults on Services (cluster IP, target port), the sample app, what
// istiod's controllers created, the admitted pods with their status, the
// credential Secrets, the routes and the node.
func clusterObjects(t testing.TB, w *world, pods []admitted) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	for _, n := range sortedKeys(w.namespaces) {
		if w.b.find("Namespace", "", n) == nil {
			out = append(out, toUnstructured(t, w.namespaces[n]))
		}
	}
	add := func(o *unstructured.Unstructured) {
		if o.GetKind() == "Service" && o.GroupVersionKind().Group == "" {
			svc := &corev1.Service{}
			fromUnstructured(t, o, svc)
			defaultService(svc)
			u := toUnstructured(t, svc)
			u.SetAPIVersion("v1")
			u.SetKind("Service")
			out = append(out, u)
			return
		}
		out = append(out, o)
	}
	for _, o := range w.b.objs {
		if isGatewayAPI(o) && o.GetKind() == "Gateway" {
			o = w.withStatus(o)
		}
		add(o)
	}
	for _, o := range w.generated {
		add(o)
	}
	for _, s := range w.samples {
		out = append(out, toUnstructured(t, s))
	}
	for _, s := range w.secrets {
		out = append(out, toUnstructured(t, s))
	}
	out = append(out, w.routes...)
	for _, a := range pods {
		if a.pod != nil {
			out = append(out, toUnstructured(t, a.pod))
		}
	}
	out = append(out, toUnstructured(t, w.node))
	return out
}

// withStatus is a Gateway API Gateway with the addresses istiod's status
// controller writes once the Service it deployed for the Gateway exists:
// the Service's host name. Waypoints are found by these addresses.
func (w *world) withStatus(gw *unstructured.Unstructured) *unstructured.Unstructured {
	for _, o := range w.generated {
		if o.GetKind() != "Service" || o.GetNamespace() != gw.GetNamespace() ||
			o.GetLabels()["gateway.networking.k8s.io/gateway-name"] != gw.GetName() {
			continue
		}
		c := gw.DeepCopy()
		c.Object["status"] = map[string]any{"addresses": []any{map[string]any{
			"type": "Hostname", "value": o.GetName() + "." + o.GetNamespace() + ".svc.cluster.local",
		}}}
		return c
	}
	return gw
}

// defaultService applies the API server's defaults the rendered Services
// rely on: a cluster IP, TCP, and targetPort equal to port.
func defaultService(svc *corev1.Service) {
	if svc.Spec.ClusterIP == "" && svc.Spec.Type != corev1.ServiceTypeExternalName {
		svc.Spec.ClusterIP = clusterIP(svc.Namespace + "/" + svc.Name)
		svc.Spec.ClusterIPs = []string{svc.Spec.ClusterIP}
	}
	for i := range svc.Spec.Ports {
		p := &svc.Spec.Ports[i]
		if p.Protocol == "" {
			p.Protocol = corev1.ProtocolTCP
		}
		if p.TargetPort.Type == intstr.Int && p.TargetPort.IntVal == 0 {
			p.TargetPort = intstr.FromInt32(p.Port)
		}
	}
}

// withoutSchemas copies the objects, CustomResourceDefinitions without
// their OpenAPI schemas. Parsing the 930 KB of Istio's CRD schemas is
// most of the analyzers' time, and no analyzer reads a schema: the two
// that read CRDs read their group, names, versions and annotations
// (TestStrippedSchemasKeepMessages holds that).
func withoutSchemas(objs []*unstructured.Unstructured) []*unstructured.Unstructured {
	out := make([]*unstructured.Unstructured, len(objs))
	for i, o := range objs {
		if o.GetKind() != "CustomResourceDefinition" {
			out[i] = o
			continue
		}
		c := o.DeepCopy()
		versions, _, _ := unstructured.NestedSlice(c.Object, "spec", "versions")
		for _, v := range versions {
			if m, ok := v.(map[string]any); ok {
				delete(m, "schema")
			}
		}
		if versions != nil {
			_ = unstructured.SetNestedSlice(c.Object, versions, "spec", "versions")
		}
		out[i] = c
	}
	return out
}

// analyzerInput says how the analyzers read the cluster.
type analyzerInput int

const (
	// inCluster gives the analyzers every kind, as `istioctl analyze`
	// against a cluster sees them: AddTestReaderKubeSource keeps
	// Namespaces, Services and Pods.
	inCluster analyzerInput = iota
	// offlineFiles reads the objects as `istioctl analyze -f` reads
	// files (AddDefaultResources and AddReaderKubeSource), which drops
	// the kinds a cluster runs.
	offlineFiles
)

// analyze runs every analyzer of `istioctl analyze` over the cluster
// objects and requires that none was skipped for want of its input.
func analyze(t testing.TB, w *world, objs []*unstructured.Unstructured, meshYAML string) diag.Messages {
	t.Helper()
	msgs, skipped := analyzeWith(t, w, withoutSchemas(objs), meshYAML, inCluster)
	if len(skipped) > 0 {
		t.Errorf("analyzers skipped for want of input kinds: %v", skipped)
	}
	return msgs
}

// analyzeWith runs the analyzers over objects read the given way, with
// the main istiod's mesh config, and returns the messages and the
// analyzers skipped.
func analyzeWith(t testing.TB, w *world, objs []*unstructured.Unstructured, meshYAML string, input analyzerInput) (diag.Messages, []string) {
	t.Helper()
	sa := local.NewSourceAnalyzer(analyzers.AllCombined(), "", resource.Namespace(w.b.spec.RootNamespace), nil)
	meshFile := filepath.Join(t.TempDir(), "mesh.yaml")
	if err := os.WriteFile(meshFile, []byte(meshYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := sa.AddFileKubeMeshConfig(meshFile); err != nil {
		t.Fatalf("analyzer mesh config: %v", err)
	}
	readers := []local.ReaderSource{{Name: w.b.name + ".yaml", Reader: bytes.NewReader(stream(t, objs))}}
	switch input {
	case offlineFiles:
		if err := sa.AddDefaultResources(); err != nil {
			t.Fatal(err)
		}
		if err := sa.AddReaderKubeSource(readers); err != nil {
			t.Fatalf("analyzer input: %v", err)
		}
	default:
		if err := sa.AddTestReaderKubeSource(readers); err != nil {
			t.Fatalf("analyzer input: %v", err)
		}
	}
	cancel := make(chan struct{})
	defer close(cancel)
	res, err := sa.Analyze(cancel)
	if err != nil {
		t.Fatalf("analyze: %v", err)
	}
	return res.Messages, res.SkippedAnalyzers
}

// analyzerErrors are the Error-level messages: what must be empty for a
// correct render.
func analyzerErrors(msgs diag.Messages) []string {
	var out []string
	for _, m := range msgs {
		if m.Type.Level() == diag.Error {
			out = append(out, m.String())
		}
	}
	return out
}

// messageLines is every message, one line each.
func messageLines(msgs diag.Messages) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, strings.TrimSpace(m.String()))
	}
	return out
}

// mainIstiod is the istiod of the spec's main control plane, whose mesh
// config the analyzers read.
func mainIstiod(ds []*istiod, s *mesh.Spec) *istiod {
	want := mainPlane(s).label
	for _, d := range ds {
		if d.revision == want {
			return d
		}
	}
	return ds[0]
}
