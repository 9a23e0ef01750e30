package render

import (
	"fmt"
	"slices"

	"github.com/istio-render/istio-render/mesh"
)

// Labels and annotations Istio's injector reads on pods.
const (
	labelSidecarInject = "sidecar.istio.io/inject"
	labelRevision      = "istio.io/rev"
	labelInjection     = "istio-injection"
)

// gatewaySelectors checks that every Gateway object selects the pods of a
// rendered gateway workload, after raw values: a Gateway whose selector
// matches no pod configures nothing.
func (v *view) gatewaySelectors() []finding {
	var out []finding
	for _, g := range v.gateways {
		if len(g.selector) == 0 || slices.ContainsFunc(v.workloads, func(w workload) bool { return carries(w.labels, g.selector) }) {
			continue
		}
		f := finding{component: g.component, object: g.object}
		differ := "no gateway workload is rendered with it"
		for _, w := range v.workloads {
			if w.component != g.component {
				continue
			}
			for _, k := range sortedKeys(g.selector) {
				if got, ok := w.labels[k]; !ok || got != g.selector[k] {
					f.valuesKeys = []any{"labels", k}
					differ = fmt.Sprintf("the pods of %s have %s=%s", w.object, k, mesh.Quote(got))
					if !ok {
						differ = fmt.Sprintf("the pods of %s have no %s label", w.object, k)
					}
					break
				}
			}
		}
		f.message = fmt.Sprintf("selects %s, but no rendered gateway pods carry these labels (%s): the Gateway configures no gateway", joinLabels(g.selector), differ)
		out = append(out, f)
	}
	return out
}

// carries reports whether labels hold every pair of a selector.
func carries(labels, selector map[string]string) bool {
	for k, want := range selector {
		if got, ok := labels[k]; !ok || got != want {
			return false
		}
	}
	return true
}

// gatewayInjection checks that Istio's injector gives every gateway's pods
// their proxy: they run the image "auto" until it does. The namespace must
// not be one the injector skips, the pods must not refuse injection (by
// label, or by annotation where no label is set, as the injector reads
// them) nor run on the host network, and an injection webhook of the
// pods' own control plane must select them (through its revision or any
// of its tags), not one of another control plane. A revision no injector
// of this render serves belongs to a control plane elsewhere, and is not
// checked.
func (v *view) gatewayInjection(b *blamer) []finding {
	var out []finding
	const stuck = `they keep the image "auto" and never start`
	for _, w := range v.workloads {
		f := finding{component: w.component, object: w.object}
		inject, labelled := w.labels[labelSidecarInject]
		switch {
		case slices.Contains(mesh.InjectorSkippedNamespaces(), w.namespace):
			f.text = w.namespace
			f.message = fmt.Sprintf("namespace %s is one Istio's sidecar injector never injects: the pods keep the image \"auto\" and never start", mesh.Quote(w.namespace))
		case w.hostNetwork:
			f.valuesKeys = []any{"hostNetwork"}
			f.message = "the pods run on the host network, where Istio's injector never injects: " + stuck
		case labelled && inject == "false":
			f.valuesKeys, f.text = []any{"labels", labelSidecarInject}, labelSidecarInject
			f.message = `the pods are labelled sidecar.istio.io/inject="false", so Istio's injector never gives them their proxy: ` + stuck
		case !labelled && w.annotations[labelSidecarInject] == "false":
			f.valuesKeys, f.text = []any{"podAnnotations", labelSidecarInject}, labelSidecarInject
			f.message = `the pods are annotated sidecar.istio.io/inject="false", so Istio's injector never gives them their proxy: ` + stuck
		default:
			rev := w.labels[labelRevision]
			if rev == "" {
				rev = "default"
			}
			if !v.serves(rev) {
				continue
			}
			// A tag and the revision it points at are one control plane.
			plane := v.controlPlane(rev)
			found := v.injections(v.namespaceLabels(w.namespace), w.labels)
			if slices.ContainsFunc(found, func(in injection) bool { return in.controlPlane == plane }) {
				continue
			}
			nsLabels := v.namespaces[w.namespace]
			if nsLabels[labelInjection] != "" || nsLabels[labelRevision] != "" {
				f.field = b.namespaceField(w.namespace, "injection")
			} else {
				f.field = b.gatewayRevision(w.component)
			}
			if len(found) == 0 {
				f.message = fmt.Sprintf("no sidecar injector webhook of revision %s selects these pods in namespace %s (labels %s): %s",
					mesh.Quote(rev), mesh.Quote(w.namespace), joinLabels(nsLabels), stuck)
			} else {
				f.message = fmt.Sprintf("the pods are injected by revision %s (webhook %s of %s), not by their own, %s: the gateway would run on another control plane than it names; inject the namespace with the gateway's revision, or move the gateway",
					mesh.Quote(found[0].revision), found[0].webhook, found[0].config, mesh.Quote(rev))
			}
		}
		out = append(out, f)
	}
	return out
}

// portProtocols checks every port of a gateway's Service in front of a
// server of its Gateway object: the protocol its name (or appProtocol)
// declares to Istio must be one the server takes.
func (v *view) portProtocols() []finding {
	servers := map[string]map[int64]string{}
	for _, g := range v.gateways {
		if servers[g.component] == nil {
			servers[g.component] = map[int64]string{}
		}
		for port, proto := range g.servers {
			if _, ok := servers[g.component][port]; !ok {
				servers[g.component][port] = proto
			}
		}
	}
	var out []finding
	for _, svc := range v.services {
		for i, p := range svc.ports {
			proto, ok := servers[svc.component][p.target]
			if !ok {
				continue
			}
			var app *string
			if p.hasAppProtocol {
				app = &p.appProtocol
			}
			declared := mesh.DeclaredProtocol(p.name, app)
			if mesh.ProtocolFits(proto, declared) {
				continue
			}
			f := finding{component: svc.component, object: svc.object, text: p.name, valuesKeys: []any{"service", "ports", i, "name"}}
			what := ""
			if app != nil {
				f.text, f.valuesKeys[3] = *app, "appProtocol"
				what = ", appProtocol " + mesh.Quote(*app)
			}
			f.message = fmt.Sprintf("port %s (%d%s) tells clients in the mesh it speaks %s, but the gateway's server on port %d speaks %s",
				mesh.Quote(p.name), p.port, what, declared, p.target, proto)
			out = append(out, f)
		}
	}
	return out
}
