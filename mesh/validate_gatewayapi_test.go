package mesh_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/mesh"
)

// TestGatewayAPIDefaults fills in what a Gateway API spec leaves out.
func TestGatewayAPIDefaults(t *testing.T) {
	m, _ := load(t, `spec:
  profile: ambient
  revision: blue
  gatewayAPI:
    crds: present
    gateways:
    - name: public
      listeners:
      - {}
      - hostname: shop.example.com
        tls:
          certificateRefs:
          - name: shop-tls
            certificate: {issuerRef: {name: le}}
      - tls: {mode: Passthrough}
        hostname: db.example.com
        allowedRoutes: {}
  namespaces:
  - name: shop
    injection: ambient
    waypoint: {}
`)
	g := m.Spec.GatewayAPI
	gw := g.Gateways[0]
	type listener struct {
		Name, Protocol, Mode, From string
		Port                       int32
	}
	var got []listener
	for _, l := range gw.Listeners {
		x := listener{Name: l.Name, Protocol: l.Protocol, Port: l.Port}
		if l.TLS != nil {
			x.Mode = l.TLS.Mode
		}
		if l.AllowedRoutes != nil {
			x.From = l.AllowedRoutes.From
		}
		got = append(got, x)
	}
	want := []listener{
		{Name: "http-80", Protocol: "HTTP", Port: 80},
		{Name: "https-443", Protocol: "HTTPS", Mode: "Terminate", Port: 443},
		{Name: "tls-443", Protocol: "TLS", Mode: "Passthrough", From: "Same", Port: 443},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("listeners (-want +got):\n%s", diff)
	}
	ref := gw.Listeners[1].TLS.CertificateRefs[0]
	gotRef := []string{g.Channel, g.Version, gw.Namespace, gw.Revision, ref.Namespace, ref.Certificate.Name, ref.Certificate.IssuerRef.Kind, strings.Join(ref.Certificate.DNSNames, ",")}
	wantRef := []string{"standard", mesh.DefaultGatewayAPIVersion, "istio-system", "blue", "istio-system", "shop-tls", "ClusterIssuer", "shop.example.com"}
	if diff := cmp.Diff(wantRef, gotRef); diff != "" {
		t.Errorf("channel, version, namespace, revision and certificate (-want +got):\n%s", diff)
	}
	w := m.Spec.Namespaces[0].Waypoint
	if diff := cmp.Diff(mesh.Waypoint{Name: "waypoint", For: "service", Revision: "blue"}, *w); diff != "" {
		t.Errorf("waypoint (-want +got):\n%s", diff)
	}
}

// TestGatewayAPIWarnings covers the legal but risky choices.
func TestGatewayAPIWarnings(t *testing.T) {
	tests := []struct {
		name, spec string
		want       []string // field: message fragments, in order
	}{{
		name: "a platform that manages the CRDs itself",
		spec: `spec:
  gatewayAPI: {crds: render}
  values:
    istiod: {global: {platform: gke}}
`,
		want: []string{"spec.gatewayAPI.crds: GKE installs and upgrades the standard channel's Gateway API CRDs itself"},
	}, {
		name: "OpenShift",
		spec: `spec:
  gatewayAPI: {crds: render, channel: experimental}
  values:
    istiod: {global: {platform: openshift}}
`,
		want: []string{"spec.gatewayAPI.crds: OpenShift 4.19 and later installs the standard channel's Gateway API CRDs"},
	}, {
		name: "present CRDs too old for kinds the spec does not use",
		spec: `spec:
  gatewayAPI: {crds: present, version: v1.4.1}
  kubernetesVersion: "1.30"
`,
		want: []string{"spec.gatewayAPI.version: with v1.4.1, Istio 1.31 ignores tcproutes (below v1.6.0), tlsroutes (below v1.5.0)"},
	}, {
		name: "another Istio line",
		spec: `spec:
  version: 1.30.2
  gatewayAPI: {crds: present}
`,
		want: []string{"spec.gatewayAPI.version: the Gateway API versions Istio needs are known here for Istio 1.31 only"},
	}, {
		name: "a waypoint for namespaces not in ambient mode",
		spec: `spec:
  profile: ambient
  gatewayAPI: {crds: present}
  namespaces:
  - name: shop
    waypoint: {}
`,
		want: []string{"spec.namespaces[0].waypoint: a waypoint serves ambient workloads"},
	}, {
		name: "a waypoint for nothing",
		spec: `spec:
  profile: ambient
  gatewayAPI: {crds: present}
  namespaces:
  - name: shop
    injection: ambient
    waypoint: {for: none}
`,
		want: []string{"spec.namespaces[0].waypoint.for: none: the waypoint handles no traffic"},
	}, {
		name: "class defaults of one replica",
		spec: `spec:
  gatewayAPI:
    crds: render
    classes:
      istio: {resources: {requests: {cpu: 100m}}}
`,
		want: []string{"spec.gatewayAPI.classes[istio]: every gateway of class istio runs 1 replica"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, warnings := load(t, tt.spec)
			var got []string
			for _, w := range warnings {
				if strings.HasPrefix(w.Field, "spec.gatewayAPI") || strings.Contains(w.Field, "waypoint") {
					got = append(got, w.String())
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("warnings %q, want %d matching %q", got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("warning %d = %q, want it to start with %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestGatewayAPIErrors shows each check failing on a broken input; the
// bad-input corpus in golden/testdata/invalid holds the whole messages of
// the most common ones.
func TestGatewayAPIErrors(t *testing.T) {
	gateway := func(listeners string) string {
		return "spec:\n  gatewayAPI:\n    crds: render\n    gateways:\n    - name: public\n      listeners:\n" + listeners
	}
	tests := []struct {
		name, spec, field, message string
	}{{
		name: "unknown crds", spec: "spec:\n  gatewayAPI: {crds: install}\n",
		field: "spec.gatewayAPI.crds", message: `unsupported value "install"`,
	}, {
		name: "channel without crds", spec: "spec:\n  gatewayAPI: {channel: experimental}\n",
		field: "spec.gatewayAPI.crds", message: "required with channel and version",
	}, {
		name: "unknown channel", spec: "spec:\n  gatewayAPI: {crds: render, channel: beta}\n",
		field: "spec.gatewayAPI.channel", message: `unsupported value "beta"`,
	}, {
		name: "not a version", spec: "spec:\n  gatewayAPI: {crds: present, version: \"1.6\"}\n",
		field: "spec.gatewayAPI.version", message: `"1.6" is not a Gateway API release`,
	}, {
		name: "a version past what a number holds", spec: "spec:\n  gatewayAPI: {crds: present, version: v99999999999999999999.0.0}\n",
		field: "spec.gatewayAPI.version", message: `"v99999999999999999999.0.0" is not a Gateway API release`,
	}, {
		name: "before the v1 API", spec: "spec:\n  gatewayAPI: {crds: present, version: v0.8.1}\n",
		field: "spec.gatewayAPI.version", message: "Istio reads the v1 API",
	}, {
		name:  "TLS listener, TLSRoute too old",
		spec:  "spec:\n  gatewayAPI:\n    crds: present\n    version: v1.4.0\n    gateways:\n    - name: public\n      listeners:\n      - tls: {mode: Passthrough}\n",
		field: "spec.gatewayAPI.version", message: "ignores tlsroutes below Gateway API v1.5.0, and spec.gatewayAPI.gateways[0].listeners[0] needs them",
	}, {
		name: "unknown class", spec: "spec:\n  gatewayAPI:\n    crds: render\n    classes:\n      istio-remote: {replicas: 2}\n",
		field: "spec.gatewayAPI.classes[istio-remote]", message: `unsupported value "istio-remote"`,
	}, {
		name: "class replicas and autoscale", spec: "spec:\n  gatewayAPI:\n    crds: render\n    classes:\n      istio: {replicas: 2, autoscale: {min: 2, max: 3}}\n",
		field: "spec.gatewayAPI.classes[istio].replicas", message: "set replicas or autoscale, not both",
	}, {
		name: "class externalTrafficPolicy on ClusterIP", spec: "spec:\n  gatewayAPI:\n    crds: render\n    classes:\n      istio-waypoint: {service: {type: ClusterIP, externalTrafficPolicy: Local}}\n",
		field: "spec.gatewayAPI.classes[istio-waypoint].service.externalTrafficPolicy", message: "only applies to types LoadBalancer and NodePort",
	}, {
		name: "gateway without a name", spec: "spec:\n  gatewayAPI:\n    crds: render\n    gateways:\n    - listeners: [{}]\n",
		field: "spec.gatewayAPI.gateways[0].name", message: "required",
	}, {
		name:  "gateway name too long for its Service",
		spec:  "spec:\n  gatewayAPI:\n    crds: render\n    gateways:\n    - name: " + strings.Repeat("a", 60) + "\n      listeners: [{}]\n",
		field: "spec.gatewayAPI.gateways[0].name", message: "Istio names the gateway's Service",
	}, {
		name: "duplicate gateway", spec: "spec:\n  gatewayAPI:\n    crds: render\n    gateways:\n    - {name: a, listeners: [{}]}\n    - {name: a, namespace: other, listeners: [{}]}\n",
		field: "spec.gatewayAPI.gateways[1].name", message: `duplicate gateway "a"`,
	}, {
		name: "no listener", spec: "spec:\n  gatewayAPI:\n    crds: render\n    gateways:\n    - name: a\n      listeners: []\n",
		field: "spec.gatewayAPI.gateways[0].listeners", message: "required: at least one listener",
	}, {
		name: "address on a ClusterIP Service", spec: "spec:\n  gatewayAPI:\n    crds: render\n    gateways:\n    - {name: a, serviceType: ClusterIP, address: 10.0.0.1, listeners: [{}]}\n",
		field: "spec.gatewayAPI.gateways[0].address", message: `only applies to a LoadBalancer Service, not "ClusterIP"`,
	}, {
		name: "not an address", spec: "spec:\n  gatewayAPI:\n    crds: render\n    gateways:\n    - {name: a, address: lb.example.com, listeners: [{}]}\n",
		field: "spec.gatewayAPI.gateways[0].address", message: `"lb.example.com" is not an IP address`,
	}, {
		name:  "nine labels",
		spec:  "spec:\n  gatewayAPI:\n    crds: render\n    gateways:\n    - name: a\n      listeners: [{}]\n      labels: {a: x, b: x, c: x, d: x, e: x, f: x, g: x, h: x, i: x}\n",
		field: "spec.gatewayAPI.gateways[0].labels", message: "9 labels: a Gateway's infrastructure takes at most 8",
	}, {
		name: "TCP without a port", spec: gateway("      - protocol: TCP\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].port", message: "required for TCP",
	}, {
		name: "TCP with a hostname", spec: gateway("      - {protocol: TCP, port: 5432, hostname: db.example.com}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].hostname", message: "a TCP listener has no hostname",
	}, {
		name: "upper-case hostname", spec: gateway("      - hostname: Shop.example.com\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].hostname", message: "not a lower-case host name",
	}, {
		name: "IP hostname", spec: gateway("      - hostname: 10.0.0.1\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].hostname", message: "is an IP address",
	}, {
		name: "unknown protocol", spec: gateway("      - {protocol: UDP, port: 53}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].protocol", message: `unsupported value "UDP"`,
	}, {
		name: "two protocols on a port", spec: gateway("      - {name: a, port: 8080}\n      - {name: b, port: 8080, protocol: TCP}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[1].protocol", message: `port 8080 is already "HTTP"`,
	}, {
		name: "same port, protocol and hostname", spec: gateway("      - {name: a, hostname: a.example.com}\n      - {name: b, hostname: a.example.com}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[1].hostname", message: `already listens on port 80 for "HTTP"`,
	}, {
		name: "duplicate listener name", spec: gateway("      - {name: web}\n      - {name: web, port: 8080}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[1].name", message: `duplicate listener name "web"`,
	}, {
		name: "HTTPS without TLS", spec: gateway("      - protocol: HTTPS\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].tls", message: "required for protocol HTTPS",
	}, {
		name: "TLS on HTTP", spec: gateway("      - protocol: HTTP\n        tls: {certificateRefs: [{name: a}]}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].tls", message: "protocol HTTP takes no TLS",
	}, {
		name: "Terminate without a certificate", spec: gateway("      - tls: {}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].tls.certificateRefs", message: "required for Terminate",
	}, {
		name: "Passthrough with a certificate", spec: gateway("      - tls: {mode: Passthrough, certificateRefs: [{name: a}]}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].tls.certificateRefs", message: "must be empty for Passthrough",
	}, {
		name: "unknown TLS mode", spec: gateway("      - protocol: TLS\n        tls: {mode: passthrough}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].tls.mode", message: `unsupported value "passthrough"`,
	}, {
		name: "certificate in a bad namespace", spec: gateway("      - tls: {certificateRefs: [{name: a, namespace: Certs}]}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].tls.certificateRefs[0].namespace", message: `"Certs" is not a valid name`,
	}, {
		name: "two Certificates for one Secret",
		spec: gateway("      - hostname: a.example.com\n        tls: {certificateRefs: [{name: s, certificate: {issuerRef: {name: le}}}]}\n" +
			"      - hostname: b.example.com\n        tls: {certificateRefs: [{name: s, certificate: {issuerRef: {name: le}}}]}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[1].tls.certificateRefs[0].certificate", message: `a Certificate for Secret "istio-system/s" is already rendered`,
	}, {
		name: "selector without from Selector", spec: gateway("      - allowedRoutes: {from: All, selector: {team: a}}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].allowedRoutes.selector", message: "only applies to from: Selector",
	}, {
		name: "from Selector without a selector", spec: gateway("      - allowedRoutes: {from: Selector}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].allowedRoutes.selector", message: "required for from: Selector",
	}, {
		name: "route kind the protocol does not take", spec: gateway("      - allowedRoutes: {kinds: [TCPRoute]}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].allowedRoutes.kinds[0]", message: `"TCPRoute": a HTTP listener takes HTTPRoute or GRPCRoute`,
	}, {
		name:  "redirect from HTTPS",
		spec:  gateway("      - hostname: a.example.com\n        httpsRedirect: true\n        tls: {certificateRefs: [{name: a}]}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].httpsRedirect", message: `a redirecting listener answers plain HTTP; it is "HTTPS"`,
	}, {
		name:  "redirect to HTTPS on two ports",
		spec:  gateway("      - httpsRedirect: true\n      - {port: 443, tls: {certificateRefs: [{name: a}]}}\n      - {port: 8443, tls: {certificateRefs: [{name: b}]}}\n"),
		field: "spec.gatewayAPI.gateways[0].listeners[0].httpsRedirect", message: "HTTPS listeners are on 2 ports",
	}, {
		name:  "waypoint label set by hand",
		spec:  "spec:\n  profile: ambient\n  gatewayAPI: {crds: present}\n  namespaces:\n  - name: shop\n    injection: ambient\n    labels: {istio.io/use-waypoint: other}\n    waypoint: {}\n",
		field: `spec.namespaces[0].labels["istio.io/use-waypoint"]`, message: "set by waypoint",
	}, {
		name:  "waypoint for what",
		spec:  "spec:\n  profile: ambient\n  gatewayAPI: {crds: present}\n  namespaces:\n  - name: shop\n    injection: ambient\n    waypoint: {for: pods}\n",
		field: "spec.namespaces[0].waypoint.for", message: `unsupported value "pods"`,
	}, {
		name:  "waypoint deploys a gateway's name",
		spec:  "spec:\n  profile: ambient\n  gateways:\n  - {name: edge, namespace: shop}\n  gatewayAPI: {crds: present}\n  namespaces:\n  - name: shop\n    injection: ambient\n    waypoint: {name: edge}\n",
		field: "spec.namespaces[0].waypoint.name", message: `deploys "shop/edge", as spec.gateways[0] does`,
	}, {
		name:  "waypoint without CRDs",
		spec:  "spec:\n  profile: ambient\n  namespaces:\n  - name: shop\n    injection: ambient\n    waypoint: {}\n",
		field: "spec.gatewayAPI.crds", message: "required: spec.namespaces[0].waypoint renders Gateway API objects",
	}, {
		name:  "certificate name not a name",
		spec:  "spec:\n  gateways:\n  - name: istio-ingressgateway\n    servers:\n    - hosts: [a.example.com]\n      tls: {mode: SIMPLE, credentialName: a}\n      certificate: {name: A_cert, issuerRef: {name: le}}\n",
		field: "spec.gateways[0].servers[0].certificate.name", message: `"A_cert" is not a valid name`,
	}, {
		name:  "object without servers",
		spec:  "spec:\n  gateways:\n  - name: istio-ingressgateway\n    objects:\n    - name: more\n      servers: []\n",
		field: "spec.gateways[0].objects[0].servers", message: "required: at least one server",
	}, {
		name:  "object without a name",
		spec:  "spec:\n  gateways:\n  - name: istio-ingressgateway\n    objects:\n    - servers: [{hosts: [a.example.com]}]\n",
		field: "spec.gateways[0].objects[0].name", message: "required",
	}, {
		name:  "object server with a duplicate port name",
		spec:  "spec:\n  gateways:\n  - name: istio-ingressgateway\n    objects:\n    - name: more\n      servers: [{name: web, hosts: [a.example.com]}, {name: web, port: 8080, hosts: [b.example.com]}]\n",
		field: "spec.gateways[0].objects[0].servers[1].name", message: `duplicate port name "web"`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := mesh.Load([]byte(header + tt.spec))
			var ve *mesh.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Load = %v, want a validation error at %s", err, tt.field)
			}
			for _, fe := range ve.Errors {
				if fe.Field == tt.field && strings.Contains(fe.Message, tt.message) {
					return
				}
			}
			t.Errorf("no error at %s containing %q; got:\n%v", tt.field, tt.message, err)
		})
	}
}

// TestGatewayAPIMessagesQuoteUserText: a value a message repeats is
// quoted, so an escape sequence in it prints escaped.
func TestGatewayAPIMessagesQuoteUserText(t *testing.T) {
	specs := []string{
		"spec:\n  gatewayAPI:\n    crds: render\n    classes:\n      istio: {service: {type: \"\\e[2J\"}}\n    gateways:\n    - {name: a, serviceType: ClusterIP, listeners: [{}]}\n",
		"spec:\n  gatewayAPI:\n    crds: render\n    gateways:\n    - {name: a, serviceType: \"\\e[2J\", address: 10.0.0.1, listeners: [{}]}\n",
		"spec:\n  gatewayAPI:\n    crds: render\n    gateways:\n    - {name: a, listeners: [{name: one, port: 8080, protocol: \"\\e[2J\"}, {name: two, port: 8080, protocol: \"\\e[2J\"}]}\n",
	}
	for _, spec := range specs {
		_, _, err := mesh.Load([]byte(header + spec))
		if err == nil {
			t.Fatalf("Load accepted %q", spec)
		}
		if strings.ContainsRune(err.Error(), '\x1b') {
			t.Errorf("an error message holds a raw escape:\n%q", err.Error())
		}
	}
}
