package mesh_test

import "testing"

// TestDuplicateTLSHosts: istiod keeps one server per host and port among a
// gateway's servers with TLS settings, across all its Gateway objects, and
// skips the other with its credential; a spec that asks for both is
// refused at the second, naming the first.
func TestDuplicateTLSHosts(t *testing.T) {
	const gw = "spec:\n  profile: minimal\n  controlPlane: {replicas: 2}\n  gateways:\n  - name: gw\n    namespace: edge\n    replicas: 2\n"
	server := func(hosts, cred string) string {
		return "    - {hosts: " + hosts + ", tls: {mode: SIMPLE, credentialName: " + cred + "}}\n"
	}
	const also = "is also served with TLS settings on port 443 by "
	tests := []struct {
		name string
		spec string
		errs []problem
	}{{
		name: "two servers of one Gateway object",
		spec: gw + "    servers:\n" + server("[a.example.com]", "a1") + server("[a.example.com]", "a2"),
		errs: []problem{{"spec.gateways[0].servers[1].hosts[0]", `"a.example.com" ` + also + "spec.gateways[0].servers[0].hosts[0]: istiod keeps one of the two servers"}},
	}, {
		name: "a server and an object's server",
		spec: gw + "    servers:\n" + server("[a.example.com, b.example.com]", "a1") + "    objects:\n    - name: more\n      servers:\n" + "  " + server("[c.example.com]", "c") + "  " + server("[b.example.com]", "b2"),
		errs: []problem{{"spec.gateways[0].objects[0].servers[1].hosts[0]", `"b.example.com" ` + also + "spec.gateways[0].servers[0].hosts[1]"}},
	}, {
		name: "two objects, the namespace spelled three ways",
		spec: gw + "    objects:\n    - name: one\n      servers:\n" + "  " + server("['./a.example.com']", "a1") + "    - name: two\n      servers:\n" + "  " + server("['edge/a.example.com']", "a2") + "  " + server("['*/x.example.com']", "x1") + "  " + server("[x.example.com]", "x2"),
		errs: []problem{
			{"spec.gateways[0].objects[1].servers[0].hosts[0]", `"edge/a.example.com" ` + also + "spec.gateways[0].objects[0].servers[0].hosts[0]"},
			{"spec.gateways[0].objects[1].servers[2].hosts[0]", `"x.example.com" ` + also + "spec.gateways[0].objects[1].servers[1].hosts[0]"},
		},
	}, {
		name: "any namespace's every host is the host \"*\"",
		spec: gw + "    servers:\n" + server("['*/*']", "all") + server("['*']", "star"),
		errs: []problem{{"spec.gateways[0].servers[1].hosts[0]", `"*" ` + also + "spec.gateways[0].servers[0].hosts[0]"}},
	}, {
		name: "two HTTPS redirects of one host",
		spec: gw + "    servers:\n    - {hosts: [a.example.com], httpsRedirect: true}\n    - {hosts: [a.example.com], httpsRedirect: true, name: http-again}\n",
		errs: []problem{{"spec.gateways[0].servers[1].hosts[0]", `"a.example.com" is also served with TLS settings on port 80 by spec.gateways[0].servers[0].hosts[0]`}},
	}, {
		name: "an egress route beside a server of its host",
		spec: "spec:\n  profile: minimal\n  controlPlane: {replicas: 2}\n  gateways:\n  - name: eg\n    kind: egress\n    replicas: 2\n    servers:\n    - {hosts: [api.example.com], tls: {mode: PASSTHROUGH}}\n  mesh:\n    egress:\n    - {host: api.example.com, gateway: eg}\n",
		errs: []problem{{"spec.mesh.egress[0].ports[0].port", `"api.example.com" is also served with TLS settings on port 443 by spec.gateways[0].servers[0].hosts[0]`}},
	}, {
		name: "what istiod keeps apart: other hosts, other ports, other namespaces, plain HTTP, other gateways",
		spec: gw + "    servers:\n" + server("[a.example.com]", "a1") + server("[b.example.com]", "b") + "    - {hosts: [a.example.com], port: 8443, protocol: HTTPS, tls: {mode: SIMPLE, credentialName: a2}}\n    - {hosts: ['other/a.example.com'], port: 9443, protocol: HTTPS, tls: {mode: SIMPLE, credentialName: a3}}\n    - {hosts: ['edge/a.example.com'], port: 9443, protocol: HTTPS, tls: {mode: SIMPLE, credentialName: a4}}\n    - {hosts: [a.example.com], port: 80}\n    - {hosts: [a.example.com], port: 80, name: http-2}\n  - name: gw2\n    namespace: edge\n    replicas: 2\n    servers:\n" + server("[a.example.com]", "a5"),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs, _ := loadProblems(t, tt.spec)
			matchProblems(t, "errors", tt.errs, errs)
		})
	}
}
