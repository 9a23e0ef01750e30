package render

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"
)

// view holds what the checks across objects need of a render, parsed from
// the few objects that carry it: Namespaces, the gateways' workloads and
// Services, the injection webhooks, Gateway objects, DestinationRules and
// istiod's mesh config. The rest (CRDs, the injector's templates) is not
// parsed again.
type view struct {
	namespaces map[string]map[string]string
	workloads  []workload
	injectors  []injector
	gateways   []gatewayObject
	services   []serviceObject
	rules      []destinationRule
	meshes     []meshConfigMap
}

// workload is a gateway's Deployment (or DaemonSet, StatefulSet): its pod
// template.
type workload struct {
	component, object, namespace string
	labels, annotations          map[string]string
	hostNetwork                  bool
}

// injector is a MutatingWebhookConfiguration of Istio's sidecar injector.
type injector struct {
	name string
	// revision is what it serves: its istio.io/tag, else its istio.io/rev.
	revision string
	webhooks []admissionv1.MutatingWebhook
}

// gatewayObject is a networking.istio.io Gateway.
type gatewayObject struct {
	component, object string
	selector          map[string]string
	servers           []gatewayServer
}

// gatewayServer is the port of one server of a Gateway object.
type gatewayServer struct {
	Port struct {
		Number   int64  `json:"number"`
		Name     string `json:"name"`
		Protocol string `json:"protocol"`
	} `json:"port"`
}

// serviceObject is a gateway's Service.
type serviceObject struct {
	component, object string
	ports             []corev1.ServicePort
}

// destinationRule is a DestinationRule's host and TLS mode.
type destinationRule struct {
	component, object, namespace, host, mode string
}

// meshConfigMap is a ConfigMap with istiod's mesh config.
type meshConfigMap struct {
	component, object, mesh string
}

// meshKey marks a ConfigMap whose data holds a mesh config.
var meshKey = []byte("\n  mesh: ")

// newView parses the objects the checks need.
func newView(rs []Resource) (*view, error) {
	v := &view{namespaces: map[string]map[string]string{}}
	for _, r := range rs {
		gw := strings.HasPrefix(r.Component, ComponentGatewayPrefix)
		g := group(r.APIVersion)
		var err error
		switch {
		case g == "" && r.Kind == "Namespace":
			err = v.addNamespace(r)
		case g == "apps" && gw && (r.Kind == "Deployment" || r.Kind == "DaemonSet" || r.Kind == "StatefulSet"):
			err = v.addWorkload(r)
		case g == "admissionregistration.k8s.io" && r.Kind == "MutatingWebhookConfiguration":
			err = v.addInjector(r)
		case g == "networking.istio.io" && r.Kind == "Gateway":
			err = v.addGateway(r)
		case g == "" && gw && r.Kind == "Service":
			err = v.addService(r)
		case g == "networking.istio.io" && r.Kind == "DestinationRule":
			err = v.addDestinationRule(r)
		case g == "" && r.Kind == "ConfigMap" && strings.HasPrefix(r.Component, ComponentIstiod) && bytes.Contains(r.YAML, meshKey):
			err = v.addMeshConfig(r)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: reading %s for its checks: %w", r.Component, r.ID(), err)
		}
	}
	return v, nil
}

func (v *view) addNamespace(r Resource) error {
	var ns metav1.PartialObjectMetadata
	if err := yaml.Unmarshal(r.YAML, &ns); err != nil {
		return err
	}
	v.namespaces[r.Name] = ns.Labels
	return nil
}

func (v *view) addWorkload(r Resource) error {
	var w struct {
		Spec struct {
			Template corev1.PodTemplateSpec `json:"template"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(r.YAML, &w); err != nil {
		return err
	}
	t := w.Spec.Template
	v.workloads = append(v.workloads, workload{
		component: r.Component, object: objectName(r.Kind, r.Namespace, r.Name), namespace: r.Namespace,
		labels: t.Labels, annotations: t.Annotations, hostNetwork: t.Spec.HostNetwork,
	})
	return nil
}

// injectorWebhook ends the name of every webhook of Istio's sidecar
// injector.
const injectorWebhook = "sidecar-injector.istio.io"

func (v *view) addInjector(r Resource) error {
	var c admissionv1.MutatingWebhookConfiguration
	if err := yaml.Unmarshal(r.YAML, &c); err != nil {
		return err
	}
	in := injector{name: r.Name, revision: c.Labels["istio.io/tag"]}
	if in.revision == "" {
		in.revision = c.Labels["istio.io/rev"]
	}
	for _, w := range c.Webhooks {
		if strings.HasSuffix(w.Name, injectorWebhook) {
			in.webhooks = append(in.webhooks, w)
		}
	}
	if len(in.webhooks) > 0 {
		v.injectors = append(v.injectors, in)
	}
	return nil
}

func (v *view) addGateway(r Resource) error {
	var g struct {
		Spec struct {
			Selector map[string]string `json:"selector"`
			Servers  []gatewayServer   `json:"servers"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(r.YAML, &g); err != nil {
		return err
	}
	v.gateways = append(v.gateways, gatewayObject{
		component: r.Component, object: objectName(r.Kind, r.Namespace, r.Name),
		selector: g.Spec.Selector, servers: g.Spec.Servers,
	})
	return nil
}

func (v *view) addService(r Resource) error {
	var s corev1.Service
	if err := yaml.Unmarshal(r.YAML, &s); err != nil {
		return err
	}
	v.services = append(v.services, serviceObject{component: r.Component, object: objectName(r.Kind, r.Namespace, r.Name), ports: s.Spec.Ports})
	return nil
}

func (v *view) addDestinationRule(r Resource) error {
	var d struct {
		Spec struct {
			Host          string `json:"host"`
			TrafficPolicy struct {
				TLS struct {
					Mode string `json:"mode"`
				} `json:"tls"`
			} `json:"trafficPolicy"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(r.YAML, &d); err != nil {
		return err
	}
	v.rules = append(v.rules, destinationRule{
		component: r.Component, object: objectName(r.Kind, r.Namespace, r.Name), namespace: r.Namespace,
		host: d.Spec.Host, mode: d.Spec.TrafficPolicy.TLS.Mode,
	})
	return nil
}

func (v *view) addMeshConfig(r Resource) error {
	var c corev1.ConfigMap
	if err := yaml.Unmarshal(r.YAML, &c); err != nil {
		return err
	}
	if m, ok := c.Data["mesh"]; ok {
		v.meshes = append(v.meshes, meshConfigMap{component: r.Component, object: objectName(r.Kind, r.Namespace, r.Name), mesh: m})
	}
	return nil
}

// namespaceLabels are the labels a namespace has once applied: those it
// is rendered with, and the name label the API server adds to every
// namespace.
func (v *view) namespaceLabels(ns string) map[string]string {
	out := maps.Clone(v.namespaces[ns])
	if out == nil {
		out = map[string]string{}
	}
	out[corev1.LabelMetadataName] = ns
	return out
}

// serves reports whether an injector of this render serves a revision or
// tag.
func (v *view) serves(revision string) bool {
	return slices.ContainsFunc(v.injectors, func(in injector) bool { return in.revision == revision })
}

// injection is an injector webhook that selects a pod.
type injection struct {
	config, webhook, revision string
}

// injections lists the injector webhooks that select a pod with these
// labels in a namespace with these labels, as the API server selects them:
// an unset selector selects everything.
func (v *view) injections(nsLabels, podLabels map[string]string) []injection {
	var out []injection
	for _, in := range v.injectors {
		for _, w := range in.webhooks {
			if selects(w.NamespaceSelector, nsLabels) && selects(w.ObjectSelector, podLabels) {
				out = append(out, injection{config: in.name, webhook: w.Name, revision: in.revision})
			}
		}
	}
	return out
}

// selects applies a webhook's label selector.
func selects(sel *metav1.LabelSelector, set map[string]string) bool {
	if sel == nil {
		return true
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	return err == nil && s.Matches(labels.Set(set))
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
