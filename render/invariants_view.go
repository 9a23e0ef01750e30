package render

import (
	"maps"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// parsedObject is a rendered object the checks across objects read, kept
// as the tree it was parsed into (or built as) when it was rendered, so
// that nothing is parsed twice. Trees are never modified once rendered;
// a cached release shares them.
type parsedObject struct {
	component, apiVersion, kind, namespace, name string
	tree                                         map[string]any
}

// kept returns an object for the checks across objects when they read
// it, else false: Namespaces, gateways' workloads and Services, injection
// webhooks, Gateway objects, DestinationRules, the spec's
// AuthorizationPolicies and istiod's mesh config.
// The rest (CRDs, the injector's templates) they never read.
func kept(component string, tree map[string]any) (parsedObject, bool) {
	o := parsedObject{component: component, tree: tree}
	o.apiVersion, _ = tree["apiVersion"].(string)
	o.kind, _ = tree["kind"].(string)
	o.namespace = str(tree, "metadata", "namespace")
	o.name = str(tree, "metadata", "name")
	gw := strings.HasPrefix(component, ComponentGatewayPrefix)
	switch g := group(o.apiVersion); {
	case g == "" && o.kind == "Namespace",
		g == "apps" && gw && (o.kind == "Deployment" || o.kind == "DaemonSet" || o.kind == "StatefulSet"),
		g == "admissionregistration.k8s.io" && o.kind == "MutatingWebhookConfiguration",
		g == "networking.istio.io" && (o.kind == "Gateway" || o.kind == "DestinationRule"),
		g == "security.istio.io" && o.kind == "AuthorizationPolicy" && component == ComponentPolicy,
		g == "" && gw && o.kind == "Service":
		return o, true
	case g == "" && o.kind == "ConfigMap" && strings.HasPrefix(component, ComponentIstiod):
		_, ok := dig(tree, "data", "mesh").(string)
		return o, ok
	}
	return parsedObject{}, false
}

// view holds what the checks across objects need of a render.
type view struct {
	namespaces map[string]map[string]string
	workloads  []workload
	injectors  []injector
	gateways   []gatewayObject
	services   []serviceObject
	rules      []destinationRule
	meshes     []meshConfigMap
	policies   []authorizationPolicy
}

// workload is a gateway's Deployment (or DaemonSet, StatefulSet): its pod
// template.
type workload struct {
	component, object, namespace string
	labels, annotations          map[string]string
	hostNetwork                  bool
	// serviceAccount is the pods' ServiceAccount, "" for the default.
	serviceAccount string
}

// injector is a MutatingWebhookConfiguration of Istio's sidecar injector.
type injector struct {
	name string
	// revision is what it serves: its istio.io/tag, else its istio.io/rev.
	revision string
	// controlPlane is the revision of the istiod it calls, its
	// istio.io/rev: a tag's injector calls the revision the tag points at.
	controlPlane string
	webhooks     []webhook
}

// webhook is one injection webhook and its selectors; nil selects all.
type webhook struct {
	name           string
	namespace, pod *metav1.LabelSelector
}

// gatewayObject is a networking.istio.io Gateway.
type gatewayObject struct {
	component, object string
	selector          map[string]string
	// servers maps each server's port number to its protocol, the first
	// server's where several share a port.
	servers map[int64]string
}

// serviceObject is a gateway's Service.
type serviceObject struct {
	component, object string
	ports             []servicePort
}

// servicePort is a Service port, as Istio reads its protocol.
type servicePort struct {
	name, appProtocol string
	hasAppProtocol    bool
	port, target      int64
}

// destinationRule is a DestinationRule's host and TLS mode.
type destinationRule struct {
	component, object, namespace, host, mode string
}

// meshConfigMap is a ConfigMap with istiod's mesh config and mesh
// networks.
type meshConfigMap struct {
	component, object, mesh, networks string
}

// authorizationPolicy is an AuthorizationPolicy and the principals its
// rules name, in order.
type authorizationPolicy struct {
	object, namespace, name string
	principals              []string
}

// injectorWebhook ends the name of every webhook of Istio's sidecar
// injector.
const injectorWebhook = "sidecar-injector.istio.io"

// newView reads the kept objects.
func newView(objs []parsedObject) *view {
	v := &view{namespaces: map[string]map[string]string{}}
	for _, o := range objs {
		t, name := o.tree, objectName(o.kind, o.namespace, o.name)
		switch o.kind {
		case "Namespace":
			v.namespaces[o.name] = stringMap(dig(t, "metadata", "labels"))
		case "Deployment", "DaemonSet", "StatefulSet":
			hostNetwork, _ := dig(t, "spec", "template", "spec", "hostNetwork").(bool)
			v.workloads = append(v.workloads, workload{
				component: o.component, object: name, namespace: o.namespace,
				labels:         stringMap(dig(t, "spec", "template", "metadata", "labels")),
				annotations:    stringMap(dig(t, "spec", "template", "metadata", "annotations")),
				hostNetwork:    hostNetwork,
				serviceAccount: str(t, "spec", "template", "spec", "serviceAccountName"),
			})
		case "MutatingWebhookConfiguration":
			v.addInjector(o)
		case "Gateway":
			g := gatewayObject{component: o.component, object: name, selector: stringMap(dig(t, "spec", "selector")), servers: map[int64]string{}}
			for _, s := range list(dig(t, "spec", "servers")) {
				n, _ := wholeNumber(dig(s, "port", "number"))
				if _, seen := g.servers[n]; !seen {
					g.servers[n] = str(s, "port", "protocol")
				}
			}
			v.gateways = append(v.gateways, g)
		case "Service":
			s := serviceObject{component: o.component, object: name}
			for _, p := range list(dig(t, "spec", "ports")) {
				sp := servicePort{name: str(p, "name")}
				sp.appProtocol, sp.hasAppProtocol = dig(p, "appProtocol").(string)
				sp.port, _ = wholeNumber(dig(p, "port"))
				if sp.target, _ = wholeNumber(dig(p, "targetPort")); sp.target == 0 {
					// A named targetPort is the container port of that name,
					// which the gateway chart makes the same number.
					sp.target = sp.port
				}
				s.ports = append(s.ports, sp)
			}
			v.services = append(v.services, s)
		case "DestinationRule":
			v.rules = append(v.rules, destinationRule{
				component: o.component, object: name, namespace: o.namespace,
				host: str(t, "spec", "host"), mode: str(t, "spec", "trafficPolicy", "tls", "mode"),
			})
		case "AuthorizationPolicy":
			p := authorizationPolicy{object: name, namespace: o.namespace, name: o.name}
			for _, r := range list(dig(t, "spec", "rules")) {
				for _, from := range list(dig(r, "from")) {
					for _, pr := range list(dig(from, "source", "principals")) {
						s, _ := pr.(string)
						p.principals = append(p.principals, s)
					}
				}
			}
			v.policies = append(v.policies, p)
		case "ConfigMap":
			v.meshes = append(v.meshes, meshConfigMap{component: o.component, object: name, mesh: str(t, "data", "mesh"), networks: str(t, "data", "meshNetworks")})
		}
	}
	return v
}

func (v *view) addInjector(o parsedObject) {
	labels := stringMap(dig(o.tree, "metadata", "labels"))
	in := injector{name: o.name, revision: labels["istio.io/tag"], controlPlane: labels["istio.io/rev"]}
	if in.revision == "" {
		in.revision = in.controlPlane
	}
	for _, w := range list(o.tree["webhooks"]) {
		name := str(w, "name")
		if !strings.HasSuffix(name, injectorWebhook) {
			continue
		}
		in.webhooks = append(in.webhooks, webhook{name: name, namespace: selector(dig(w, "namespaceSelector")), pod: selector(dig(w, "objectSelector"))})
	}
	if len(in.webhooks) > 0 {
		v.injectors = append(v.injectors, in)
	}
}

// selector reads a label selector; nil when it is not set.
func selector(v any) *metav1.LabelSelector {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	s := &metav1.LabelSelector{MatchLabels: stringMap(m["matchLabels"])}
	for _, e := range list(m["matchExpressions"]) {
		r := metav1.LabelSelectorRequirement{Key: str(e, "key"), Operator: metav1.LabelSelectorOperator(str(e, "operator"))}
		for _, val := range list(dig(e, "values")) {
			s, _ := val.(string)
			r.Values = append(r.Values, s)
		}
		s.MatchExpressions = append(s.MatchExpressions, r)
	}
	return s
}

// namespaceLabels are the labels a namespace has once applied: those it
// is rendered with, and the name label the API server adds to every
// namespace.
func (v *view) namespaceLabels(ns string) map[string]string {
	out := maps.Clone(v.namespaces[ns])
	if out == nil {
		out = map[string]string{}
	}
	out["kubernetes.io/metadata.name"] = ns
	return out
}

// serves reports whether an injector of this render serves a revision or
// tag.
func (v *view) serves(revision string) bool {
	return slices.ContainsFunc(v.injectors, func(in injector) bool { return in.revision == revision })
}

// controlPlane is the revision of the istiod that serves a revision or
// tag of this render; "" when none does.
func (v *view) controlPlane(revision string) string {
	for _, in := range v.injectors {
		if in.revision == revision {
			return in.controlPlane
		}
	}
	return ""
}

// injection is an injector webhook that selects a pod.
type injection struct {
	config, webhook, revision, controlPlane string
}

// injections lists the injector webhooks that select a pod with these
// labels in a namespace with these labels, as the API server selects them:
// an unset selector selects everything.
func (v *view) injections(nsLabels, podLabels map[string]string) []injection {
	var out []injection
	for _, in := range v.injectors {
		for _, w := range in.webhooks {
			if selects(w.namespace, nsLabels) && selects(w.pod, podLabels) {
				out = append(out, injection{config: in.name, webhook: w.name, revision: in.revision, controlPlane: in.controlPlane})
			}
		}
	}
	return out
}

// selects applies a webhook's label selector with apimachinery's own
// selector semantics.
func selects(sel *metav1.LabelSelector, set map[string]string) bool {
	if sel == nil {
		return true
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	return err == nil && s.Matches(labels.Set(set))
}

// dig returns the value at keys in a parsed tree, or nil.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// str returns the string at keys, or "".
func str(v any, keys ...string) string {
	s, _ := dig(v, keys...).(string)
	return s
}

// list returns the list v, or nil.
func list(v any) []any {
	l, _ := v.([]any)
	return l
}

// stringMap returns the string entries of a mapping.
func stringMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, e := range m {
		if s, ok := e.(string); ok {
			out[k] = s
		}
	}
	return out
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
