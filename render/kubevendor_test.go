package render_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/render"
)

// TestKubernetesVendorSuffix renders a GKE cluster's version exactly as
// its Kubernetes version: the charts see 1.36.0, so spec.platform, not
// the "-gke" the CNI chart looks for, decides the CNI agent's folders.
func TestKubernetesVendorSuffix(t *testing.T) {
	const spec = "spec:\n  profile: ambient\n  platform: gke\n  kubernetesVersion: %s\n"
	plain := renderSpec(t, strings.Replace(spec, "%s", "1.36.0", 1))
	vendor := renderSpec(t, strings.Replace(spec, "%s", "1.36.0-gke.100", 1))
	if diff := cmp.Diff(string(plain.Bytes()), string(vendor.Bytes())); diff != "" {
		t.Errorf("1.36.0-gke.100 renders other objects than 1.36.0 (-1.36.0 +1.36.0-gke.100):\n%s", diff)
	}
	rels, err := render.Releases(load(t, strings.Replace(spec, "%s", "v1.36.0-gke.100", 1)), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rels {
		if r.KubeVersion != "v1.36.0" {
			t.Errorf("release %s: KubeVersion %q, want v1.36.0", r.Name, r.KubeVersion)
		}
	}
	if !strings.Contains(string(vendor.Bytes()), "path: /home/kubernetes/bin") {
		t.Error("the CNI agent does not mount GKE's /home/kubernetes/bin")
	}
}
