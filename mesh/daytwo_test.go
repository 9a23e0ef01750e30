package mesh_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

// TestDayTwoValidation loads specs with the day-two settings, valid and
// broken, and requires exactly the errors and warnings listed, each at its
// field path.
func TestDayTwoValidation(t *testing.T) {
	const mc = "  mesh: {meshID: mesh1, clusterName: c1, network: n1}\n"
	tests := []struct {
		name     string
		spec     string
		errs     []problem
		warnings []problem
	}{{
		name: "two allowed hosts",
		spec: "spec:\n  profile: production\n  mesh:\n    egress:\n    - host: api.stripe.com\n    - host: '*.googleapis.com'\n",
	}, {
		name: "a wildcard host resolved by DNS",
		spec: "spec:\n  mesh:\n    egress:\n    - {host: '*.googleapis.com', resolution: DNS}\n",
		errs: []problem{{"spec.mesh.egress[0].resolution", "DNS cannot resolve the wildcard host"}},
	}, {
		name: "a bad host, a duplicate, a star",
		spec: "spec:\n  mesh:\n    egress:\n    - host: api.example.com\n    - host: API.example.com\n    - host: 'not a host'\n    - host: '*'\n",
		errs: []problem{
			{"spec.mesh.egress[1].host", `duplicate host "api.example.com" (first at spec.mesh.egress[0])`},
			{"spec.mesh.egress[2].host", `"not a host" is not a host`},
			{"spec.mesh.egress[3].host", `"*" would allow every host`},
		},
	}, {
		name: "ports: a duplicate number, a bad protocol, a TCP port",
		spec: "spec:\n  mesh:\n    egress:\n    - host: db.example.com\n      ports: [{port: 5432}, {port: 5432, name: pg}, {port: 70000, protocol: UDP}]\n",
		errs: []problem{
			{"spec.mesh.egress[0].ports[1].port", "duplicate port 5432"},
			{"spec.mesh.egress[0].ports[2].port", "70000 is not a port number"},
			{"spec.mesh.egress[0].ports[2].protocol", `unsupported value "UDP"`},
		},
	}, {
		name: "routed through a gateway that is not an egress gateway",
		spec: "spec:\n  mesh:\n    egress:\n    - {host: api.example.com, gateway: istio-ingressgateway}\n    - {host: b.example.com, gateway: nope}\n",
		errs: []problem{
			{"spec.mesh.egress[0].gateway", `"istio-ingressgateway" is an ingress gateway`},
			{"spec.mesh.egress[1].gateway", `"nope" is not an enabled gateway`},
		},
	}, {
		name: "routed: a wildcard, a TCP port, a port the Service lacks",
		spec: "spec:\n  gateways:\n  - {name: eg, kind: egress, replicas: 2}\n  mesh:\n    egress:\n    - {host: '*.example.com', gateway: eg}\n    - {host: db.example.com, gateway: eg, ports: [{port: 5432}, {port: 8443, protocol: TLS}]}\n",
		errs: []problem{
			{"spec.mesh.egress[0].gateway", "a wildcard host cannot be routed"},
			{"spec.mesh.egress[1].ports[0].protocol", "TCP cannot be routed"},
			{"spec.mesh.egress[1].ports[1].port", `8443 is not a port of gateway "eg"'s Service`},
		},
	}, {
		name:     "routed through a gateway whose server takes the port",
		spec:     "spec:\n  gateways:\n  - name: eg\n    kind: egress\n    replicas: 2\n    servers: [{hosts: [x.example.com], port: 443, protocol: HTTPS, tls: {mode: SIMPLE, credentialName: c}}]\n  mesh:\n    egress:\n    - {host: api.example.com, gateway: eg}\n",
		errs:     []problem{{"spec.mesh.egress[0].ports[0].protocol", `port 443 is "HTTPS" in gateway "eg"`}},
		warnings: []problem{{"spec.gateways[1]", "gateway istio-ingressgateway runs 1 replica"}},
	}, {
		name:     "routed through a port of a gateway's other Gateway object, under a name one takes",
		spec:     "spec:\n  gateways:\n  - name: eg\n    kind: egress\n    replicas: 2\n    objects:\n    - {name: egress-api-example-com, servers: [{hosts: [x.example.com], port: 8443, protocol: TLS, tls: {mode: PASSTHROUGH}}]}\n  mesh:\n    egress:\n    - {host: api.example.com, gateway: eg, ports: [{port: 8443, protocol: TLS}]}\n",
		errs:     []problem{{"spec.mesh.egress[0].host", `spec.gateways[0] renders a Gateway object of the same name, "egress-api-example-com"`}},
		warnings: []problem{{"spec.gateways[1]", "gateway istio-ingressgateway runs 1 replica"}},
	}, {
		name:     "Gateway objects named with a dot, which istiod refuses",
		spec:     "spec:\n  gateways:\n  - name: gw\n    replicas: 2\n    resourceName: gw.public\n    objects:\n    - {name: api.example.com, servers: [{hosts: [x.example.com], port: 8443, protocol: TLS, tls: {mode: PASSTHROUGH}}]}\n",
		errs:     []problem{{"spec.gateways[0].resourceName", `"gw.public" is not a valid name`}, {"spec.gateways[0].objects[0].name", `"api.example.com" is not a valid name`}},
		warnings: []problem{{"spec.gateways[1]", "gateway istio-ingressgateway runs 1 replica"}},
	}, {
		name:     "routed through a gateway in ambient mode",
		spec:     "spec:\n  profile: ambient\n  controlPlane: {replicas: 2}\n  gateways:\n  - {name: eg, kind: egress, replicas: 2}\n  mesh:\n    egress:\n    - {host: api.example.com, gateway: eg}\n    - {host: b.example.com}\n",
		warnings: []problem{{"spec.mesh.egress[0].gateway", `in ambient mode only sidecars and waypoints apply the VirtualService that sends "api.example.com"'s calls to the gateway: ztunnel does not, so workloads in ambient namespaces call the host directly, past the gateway`}},
	}, {
		name: "a namespace scope with bad hosts",
		spec: "spec:\n  namespaces:\n  - name: shop\n    scope: {hosts: [payments, 'payments/*', 'BAD/x']}\n  - name: cart\n    scope: {hosts: []}\n",
		errs: []problem{
			{"spec.namespaces[0].scope.hosts[0]", `"payments" is not namespace/host`},
			{"spec.namespaces[0].scope.hosts[2]", `"BAD" is not a valid name`},
			{"spec.namespaces[1].scope.hosts", "required"},
		},
	}, {
		name: "discovery selectors and a namespace labelled otherwise",
		spec: "spec:\n  mesh: {scope: {discoverySelectors: true}}\n  namespaces:\n  - {name: shop, labels: {istio-render.dev/discovery: other}}\n",
		errs: []problem{{`spec.namespaces[0].labels["istio-render.dev/discovery"]`, `"other" hides the namespace from istiod`}},
	}, {
		name: "istio-csr with a plugin certificate",
		spec: "spec:\n  mesh:\n    ca:\n      type: istio-csr\n      plugin: {issuerRef: {name: root}}\n",
		errs: []problem{{"spec.mesh.ca.plugin", `only with type plugin, not "istio-csr"`}},
	}, {
		name: "plugin without an issuer, istio-csr settings without istio-csr",
		spec: "spec:\n  mesh:\n    ca:\n      type: plugin\n      istioCSR: {address: csr.example:443}\n",
		errs: []problem{
			{"spec.mesh.ca.plugin", "required for type plugin"},
			{"spec.mesh.ca.istioCSR", `only with type istio-csr, not "plugin"`},
		},
	}, {
		name: "a plugin CA and a gateway credential of the same Secret",
		spec: "spec:\n  gateways:\n  - name: istio-ingressgateway\n    servers: [{hosts: [a.example.com], tls: {mode: SIMPLE, credentialName: cacerts}}]\n  mesh:\n    ca: {type: plugin, plugin: {issuerRef: {name: root}}}\n",
		errs: []problem{{"spec.mesh.ca.plugin", "spec.gateways[0] serves TLS from the Secret cacerts in the root namespace"}},
	}, {
		name: "istio-csr at a bad address",
		spec: "spec:\n  mesh:\n    ca: {type: istio-csr, istioCSR: {address: csr}}\n",
		errs: []problem{{"spec.mesh.ca.istioCSR.address", `"csr" is not host:port`}},
	}, {
		name: "platform, compatibility version, pull secrets",
		spec: "spec:\n  platform: eks\n  compatibilityVersion: \"1.31\"\n  imagePullSecrets: [reg, reg, Bad_Name]\n",
		errs: []problem{
			{"spec.imagePullSecrets[1]", `duplicate Secret "reg"`},
			{"spec.imagePullSecrets[2]", `"Bad_Name" is not a valid name`},
			{"spec.platform", `unsupported value "eks"`},
			{"spec.compatibilityVersion", "1.31 is not older than spec.version 1.31.0"},
		},
	}, {
		name: "a compatibility version that is not one",
		spec: "spec:\n  compatibilityVersion: latest\n",
		errs: []problem{{"spec.compatibilityVersion", `"latest" is not an Istio minor version`}},
	}, {
		name: "openshift without CNI",
		spec: "spec:\n  profile: minimal\n  platform: openshift\n",
		warnings: []problem{
			{"spec.controlPlane", "istiod runs 1 replica"},
			{"spec.cni.enabled", "OpenShift refuses the privileged init container"},
		},
	}, {
		name: "Pod Security without the CNI agent",
		spec: "spec:\n  podSecurity: {enabled: true}\n",
		errs: []problem{{"spec.podSecurity.enabled", "needs the CNI agent"}},
	}, {
		name: "scheduling: bad tolerations and affinity",
		spec: "spec:\n  controlPlane:\n    nodeSelector: {'bad key!': x}\n    priorityClassName: Critical\n    tolerations:\n    - {operator: Equal}\n    - {key: a, operator: Exists, value: b, tolerationSeconds: 5}\n    affinity:\n      nodeAffinity:\n        requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{}]}\n      podAntiAffinity:\n        preferredDuringSchedulingIgnoredDuringExecution:\n        - weight: 0\n          podAffinityTerm: {labelSelector: {matchExpressions: [{key: app, operator: In}]}}\n",
		errs: []problem{
			{"spec.controlPlane.nodeSelector", `label key "bad key!"`},
			{"spec.controlPlane.tolerations[0].operator", "an empty key matches every taint only with operator Exists"},
			{"spec.controlPlane.tolerations[1].value", "must be empty with operator Exists"},
			{"spec.controlPlane.tolerations[1].tolerationSeconds", "only applies to effect NoExecute"},
			{"spec.controlPlane.priorityClassName", `"Critical" is not a valid name`},
			{"spec.controlPlane.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]", "empty"},
			{"spec.controlPlane.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight", "0: must be from 1 to 100"},
			{"spec.controlPlane.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchExpressions[0].values", "required for operator In"},
			{"spec.controlPlane.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey", "required"},
		},
	}, {
		name: "an unknown affinity field is named",
		spec: "spec:\n  controlPlane:\n    affinity: {nodeAfinity: {}}\n",
		errs: []problem{{"spec.controlPlane.affinity.nodeAfinity", `unknown field (did you mean "nodeAffinity"?)`}},
	}, {
		name: "node agents: tolerations replace the chart's, ztunnel without ambient",
		spec: "spec:\n  profile: minimal\n  cni: {enabled: true, tolerations: [{key: a, operator: Exists}]}\n  ambient: {ztunnel: {tolerations: [{operator: Exists}]}}\n",
		errs: []problem{{"spec.ambient.ztunnel", "ztunnel runs only in ambient mode"}},
		warnings: []problem{
			{"spec.controlPlane", "istiod runs 1 replica"},
			{"spec.cni.tolerations", "these replace the chart's tolerations"},
			{"spec.ambient.ztunnel.tolerations", "these replace the chart's tolerations"},
		},
	}, {
		name: "multicluster without identity",
		spec: "spec:\n  multicluster: {eastWestGateway: {}}\n",
		errs: []problem{
			{"spec.mesh.meshID", "required with spec.multicluster"},
			{"spec.mesh.clusterName", "required with spec.multicluster"},
			{"spec.mesh.network", "required with an east-west gateway"},
		},
	}, {
		name: "primary-remote needs the east-west gateway",
		spec: "spec:\n  multicluster: {model: primary-remote}\n" + mc,
		errs: []problem{{"spec.multicluster.eastWestGateway", "required with model primary-remote"}},
	}, {
		name: "a remote install with a canary control plane",
		spec: "spec:\n  profile: minimal\n  canary: {revision: next}\n  multicluster: {model: remote, discoveryAddress: 203.0.113.7}\n" + mc,
		errs: []problem{{"spec.canary", "a remote cluster runs no istiod"}},
	}, {
		name: "a remote install with two control planes",
		spec: "spec:\n  profile: minimal\n  revisions: [{name: a}, {name: b}]\n  tags: {default: a}\n  multicluster: {model: remote, discoveryAddress: 203.0.113.7}\n" + mc,
		errs: []problem{{"spec.revisions", "a remote cluster runs no istiod, so no second control plane"}},
	}, {
		name: "a compatibility version as new as a revision's",
		spec: "spec:\n  profile: minimal\n  compatibilityVersion: \"1.30\"\n  revisions: [{name: old, version: 1.30.4, charts: charts-1.30}, {name: new}]\n  tags: {default: old}\n",
		errs: []problem{{"spec.compatibilityVersion", "1.30 is not older than spec.revisions[0].version 1.30.4"}},
	}, {
		name: "a remote install without a discovery address, with a plugin CA",
		spec: "spec:\n  profile: minimal\n  multicluster: {model: remote}\n  mesh: {meshID: mesh1, clusterName: c1, ca: {type: plugin, plugin: {issuerRef: {name: root}}}}\n",
		errs: []problem{
			{"spec.mesh.ca.type", `"plugin" on a remote cluster`},
			{"spec.multicluster.discoveryAddress", "required with model remote"},
		},
	}, {
		name: "a remote install warns about configuration nothing reads",
		spec: "spec:\n  profile: production\n  multicluster: {model: remote, discoveryAddress: istiod.primary.example.com}\n" + mc,
		warnings: []problem{
			{"spec.multicluster.model", "a remote cluster's workloads are configured by the primary's istiod, which reads Istio configuration and the mesh config from the primary cluster only: nothing reads what these render here: spec.mesh.mtls, spec.mesh.outboundTrafficPolicy;"},
			{"spec.controlPlane", "unused: a remote cluster runs no istiod"},
		},
	}, {
		name: "a discovery address on a primary, an east-west gateway named like a gateway",
		spec: "spec:\n  multicluster:\n    discoveryAddress: 203.0.113.7\n    eastWestGateway: {name: istio-ingressgateway, service: {ports: [{name: tcp, port: 1}]}}\n" + mc,
		errs: []problem{
			{"spec.multicluster.eastWestGateway.name", `"istio-ingressgateway" is also the name of spec.gateways[0]`},
			{"spec.multicluster.eastWestGateway.service.ports", "the east-west gateway's ports are the chart's network ports"},
			{"spec.multicluster.discoveryAddress", "only with model remote"},
		},
		warnings: []problem{{"spec.gateways[0]", ""}, {"spec.multicluster.eastWestGateway", "gateway istio-ingressgateway runs 1 replica"}},
	}, {
		name: "multicluster in ambient mode",
		spec: "spec:\n  profile: ambient\n  multicluster: {}\n" + mc,
		errs: []problem{{"spec.multicluster", "not supported in ambient mode"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, warnings, err := mesh.Load([]byte(header + tt.spec))
			var got []problem
			var ve *mesh.ValidationError
			switch {
			case errors.As(err, &ve):
				for _, fe := range ve.Errors {
					got = append(got, problem{fe.Field, fe.Message})
				}
			case err != nil:
				t.Fatalf("Load: %v", err)
			}
			matchProblems(t, "errors", tt.errs, got)
			if err == nil {
				var gotW []problem
				for _, w := range warnings {
					gotW = append(gotW, problem{w.Field, w.Message})
				}
				matchProblems(t, "warnings", tt.warnings, gotW)
			}
		})
	}
}

// matchProblems requires got to hold exactly want's fields, in order, each
// message holding want's text.
func matchProblems(t *testing.T, what string, want, got []problem) {
	t.Helper()
	var wantFields, gotFields []string
	for _, p := range want {
		wantFields = append(wantFields, p.field)
	}
	for _, p := range got {
		gotFields = append(gotFields, p.field)
	}
	if diff := cmp.Diff(wantFields, gotFields); diff != "" {
		t.Fatalf("%s at fields (-want +got):\n%s\ngot: %q", what, diff, got)
	}
	for i, p := range want {
		if !strings.HasPrefix(got[i].text, p.text) && !strings.Contains(got[i].text, p.text) {
			t.Errorf("%s[%d] at %s = %q, want it to contain %q", what, i, p.field, got[i].text, p.text)
		}
	}
}
