package mesh_test

import (
	"strings"
	"testing"
)

// TestKubernetesVendorVersions accepts the versions managed clusters
// report (kubectl version), renders the charts for their Kubernetes part,
// and points a GKE version at spec.platform: gke, which the node agents
// need there: as an error where one runs, a warning where none does.
func TestKubernetesVendorVersions(t *testing.T) {
	tests := []struct {
		name, spec, chart string
		errs, warnings    []problem
	}{{
		name:  "EKS",
		spec:  "spec:\n  profile: minimal\n  kubernetesVersion: v1.33.2-eks-2f008fe\n",
		chart: "v1.33.2",
	}, {
		name:  "k3s build metadata",
		spec:  "spec:\n  profile: minimal\n  kubernetesVersion: v1.33.2+k3s1\n",
		chart: "v1.33.2",
	}, {
		name:  "GKE with its platform",
		spec:  "spec:\n  profile: ambient\n  platform: gke\n  kubernetesVersion: 1.36.0-gke.100\n",
		chart: "1.36.0",
	}, {
		name:     "GKE without its platform, no node agent",
		spec:     "spec:\n  profile: minimal\n  kubernetesVersion: 1.36.0-gke.100\n",
		chart:    "1.36.0",
		warnings: []problem{{"spec.kubernetesVersion", `"1.36.0-gke.100" is a GKE version: set spec.platform: gke`}},
	}, {
		name: "GKE without its platform, with the CNI agent",
		spec: "spec:\n  profile: minimal\n  cni: {enabled: true}\n  kubernetesVersion: 1.36.0-gke.100\n",
		errs: []problem{{"spec.kubernetesVersion", `"1.36.0-gke.100" is a GKE version: set spec.platform: gke, which the CNI agent needs there`}},
	}, {
		name: "GKE on another platform, in ambient mode",
		spec: "spec:\n  profile: ambient\n  platform: k3s\n  kubernetesVersion: v1.36.0-gke.100\n",
		errs: []problem{{"spec.kubernetesVersion", `set spec.platform: gke instead of "k3s", which the CNI agent needs there`}},
	}, {
		name: "a suffix that is not a version's",
		spec: "spec:\n  profile: minimal\n  kubernetesVersion: 1.36.0-\n",
		errs: []problem{{"spec.kubernetesVersion", `"1.36.0-" is not a Kubernetes version`}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.errs) > 0 {
				wantErrors(t, tt.spec, tt.errs...)
				return
			}
			m, warnings := load(t, tt.spec)
			if got := m.Spec.ChartKubernetesVersion(); got != tt.chart {
				t.Errorf("ChartKubernetesVersion() = %q, want %q", got, tt.chart)
			}
			var got []string
			for _, w := range warnings {
				if w.Field == "spec.kubernetesVersion" {
					got = append(got, w.Message)
				}
			}
			if len(got) != len(tt.warnings) {
				t.Fatalf("warnings at spec.kubernetesVersion: %q, want %d", got, len(tt.warnings))
			}
			for i, w := range tt.warnings {
				if !strings.Contains(got[i], w.text) {
					t.Errorf("warning %q lacks %q", got[i], w.text)
				}
			}
		})
	}
}
