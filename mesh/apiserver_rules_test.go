package mesh_test

import "testing"

// TestRulesOfTheAPIServer: values validation once let through that the API
// server refuses, or warns about, in the rendered objects.
func TestRulesOfTheAPIServer(t *testing.T) {
	const remote = "  multicluster: {model: remote, discoveryAddress: 203.0.113.7}\n"
	tests := []struct {
		name string
		spec string
		errs []problem
	}{{
		// The webhooks' service path is /inject/cluster/<name>/net/<network>,
		// each segment a lowercase DNS-1123 subdomain.
		name: "a remote cluster's name and network in the injection path",
		spec: "spec:\n  profile: minimal\n  mesh: {meshID: m, clusterName: Cluster_1, network: Net1}\n" + remote,
		errs: []problem{
			{"spec.mesh.clusterName", `"Cluster_1" is not a valid name`},
			{"spec.mesh.network", `"Net1" is not a valid name`},
		},
	}, {
		// A null labelSelector matches no pod: the API server warns.
		name: "a pod affinity term without a label selector",
		spec: "spec:\n  controlPlane:\n    affinity:\n      podAffinity:\n        requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: kubernetes.io/hostname}]\n" +
			"      podAntiAffinity:\n        preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, podAffinityTerm: {topologyKey: kubernetes.io/hostname}}]\n",
		errs: []problem{
			{"spec.controlPlane.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector", "matches no pod"},
			{"spec.controlPlane.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector", "matches no pod"},
		},
	}, {
		// The gateway chart writes priorityClassName unquoted: 2 would be
		// a number, which the API server cannot decode as the name.
		name: "a gateway's priority class YAML reads as a number",
		spec: "spec:\n  gateways:\n  - {name: istio-ingressgateway, priorityClassName: \"2\"}\n",
		errs: []problem{{"spec.gateways[0].priorityClassName", `"2" is a number`}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErrors(t, tt.spec, tt.errs...)
		})
	}
	wantValid(t, "spec:\n  profile: minimal\n  mesh: {meshID: m, clusterName: cluster-1, network: net1.example}\n"+remote)
}
