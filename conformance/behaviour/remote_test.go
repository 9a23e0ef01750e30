package behaviour_test

import (
	"fmt"
	"slices"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"

	"testing"
)

// checkRemote proves what a remote cluster's render can show alone: it
// runs no istiod, so the primary's istiod injects its pods and configures
// their proxies (the primary's own case proves those). Every injection
// webhook must call the Service istiod in the root namespace on the path
// naming the spec's cluster and network, and that Service must lead, by
// the rendered EndpointSlice, to spec.multicluster.discoveryAddress on
// istiod's webhook port 15017.
func checkRemote(t *testing.T, w *world) []string {
	s := w.b.spec
	var problems []string
	report := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	root := s.RootNamespace
	wantPath := fmt.Sprintf("/inject/cluster/%s/net/%s", s.Mesh.ClusterName, s.Mesh.Network)
	hooks := 0
	for _, o := range w.b.ofKind("MutatingWebhookConfiguration") {
		c := &admissionv1.MutatingWebhookConfiguration{}
		fromUnstructured(t, o, c)
		for _, h := range c.Webhooks {
			hooks++
			w.tally.add("remote: injection webhook leads to the primary")
			svc := h.ClientConfig.Service
			switch {
			case svc == nil:
				report("webhook %s/%s: calls %v, not the Service istiod", c.Name, h.Name, h.ClientConfig.URL)
			case svc.Namespace != root || svc.Name != "istiod":
				report("webhook %s/%s: calls Service %s/%s, want %s/istiod", c.Name, h.Name, svc.Namespace, svc.Name, root)
			case svc.Path == nil || *svc.Path != wantPath:
				report("webhook %s/%s: path %v, want %s (spec.mesh.clusterName and network)", c.Name, h.Name, deref(svc.Path), wantPath)
			default:
				problems = append(problems, checkRemoteService(t, w, c.Name+"/"+h.Name, svc)...)
			}
		}
	}
	if hooks == 0 {
		report("no injection webhook rendered: pods of the remote cluster would get no proxy")
	}
	return problems
}

// checkRemoteService follows a webhook's Service to the EndpointSlice that
// leads to the primary's istiod.
func checkRemoteService(t *testing.T, w *world, hook string, ref *admissionv1.ServiceReference) []string {
	s := w.b.spec
	o := w.b.find("Service", ref.Namespace, ref.Name)
	if o == nil {
		return []string{fmt.Sprintf("webhook %s: no Service %s/%s rendered", hook, ref.Namespace, ref.Name)}
	}
	svc := &corev1.Service{}
	fromUnstructured(t, o, svc)
	port := int32(443)
	if ref.Port != nil {
		port = *ref.Port
	}
	target := int32(0)
	for _, p := range svc.Spec.Ports {
		if p.Port == port {
			target = p.Port
			if p.TargetPort.IntVal != 0 {
				target = p.TargetPort.IntVal
			}
		}
	}
	if target != 15017 {
		return []string{fmt.Sprintf("webhook %s: Service %s/%s port %d leads to %d, want istiod's webhook port 15017", hook, ref.Namespace, ref.Name, port, target)}
	}
	var problems []string
	found := false
	for _, eo := range w.b.ofKind("EndpointSlice") {
		es := &discoveryv1.EndpointSlice{}
		fromUnstructured(t, eo, es)
		if es.Namespace != ref.Namespace || es.Labels[discoveryv1.LabelServiceName] != ref.Name {
			continue
		}
		found = true
		var addrs []string
		for _, e := range es.Endpoints {
			addrs = append(addrs, e.Addresses...)
		}
		if !slices.Equal(addrs, []string{s.Multicluster.DiscoveryAddress}) {
			problems = append(problems, fmt.Sprintf("webhook %s: EndpointSlice %s/%s leads to %v, want spec.multicluster.discoveryAddress %s", hook, es.Namespace, es.Name, addrs, s.Multicluster.DiscoveryAddress))
		}
		hasPort := false
		for _, p := range es.Ports {
			hasPort = hasPort || (p.Port != nil && *p.Port == 15017)
		}
		if !hasPort {
			problems = append(problems, fmt.Sprintf("webhook %s: EndpointSlice %s/%s has no port 15017", hook, es.Namespace, es.Name))
		}
	}
	if !found {
		problems = append(problems, fmt.Sprintf("webhook %s: no EndpointSlice for Service %s/%s: nothing leads to the primary", hook, ref.Namespace, ref.Name))
	}
	return problems
}

func deref(p *string) string {
	if p == nil {
		return "<none>"
	}
	return *p
}
