package behaviour_test

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/simulation"
	"istio.io/istio/pilot/test/xds"
	"istio.io/istio/pilot/test/xdstest"
	"istio.io/istio/pkg/bootstrap"
	"istio.io/istio/pkg/cluster"
	"istio.io/istio/pkg/config"
	istiomesh "istio.io/istio/pkg/config/mesh"
)

// istioGroups are the API groups istiod reads Istio custom resources from.
var istioGroups = map[string]bool{
	"networking.istio.io": true, "security.istio.io": true, "telemetry.istio.io": true, "extensions.istio.io": true,
}

// istioConfigs converts the Istio custom resources among objs into
// istiod's config.Config with Istio's own CRD conversion
// (crd.ParseInputs), with a fixed creation time so that conflicts resolve
// the same way on every run.
func istioConfigs(t testing.TB, objs []*unstructured.Unstructured) []config.Config {
	t.Helper()
	var buf bytes.Buffer
	for _, o := range objs {
		if !istioGroups[o.GroupVersionKind().Group] {
			continue
		}
		data, err := yaml.Marshal(o.Object)
		if err != nil {
			t.Fatal(err)
		}
		buf.WriteString("---\n")
		buf.Write(data)
	}
	if buf.Len() == 0 {
		return nil
	}
	cfgs, _, err := crd.ParseInputs(buf.String())
	if err != nil {
		t.Fatalf("Istio resources: %v", err)
	}
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range cfgs {
		cfgs[i].CreationTimestamp = created
	}
	return cfgs
}

// kubeObjects are the cluster objects istiod's Kubernetes registry and
// Gateway API controller read: Namespaces, Services, Secrets, Pods, the
// node and the Gateway API objects, typed.
func kubeObjects(t testing.TB, w *world, objs []*unstructured.Unstructured) []runtime.Object {
	t.Helper()
	var out []runtime.Object
	for _, o := range objs {
		gvk := o.GroupVersionKind()
		switch {
		case gvk.Group == "" && (gvk.Kind == "Namespace" || gvk.Kind == "Service" || gvk.Kind == "Secret" || gvk.Kind == "Pod" || gvk.Kind == "Node"):
			out = append(out, typed(t, o))
		case gvk.Group == gatewayAPIGroup:
			out = append(out, typed(t, o))
		}
	}
	return out
}

// newDiscovery starts Istio's in-memory istiod (pilot/test/xds, the
// harness of istiod's own unit tests) for one rendered control plane: its
// mesh config and cluster ID, the Istio resources, and the cluster
// objects in a fake Kubernetes client.
func newDiscovery(t *testing.T, w *world, d *istiod, kube []runtime.Object, cfgs []config.Config) *xds.FakeDiscoveryServer {
	t.Helper()
	return xds.NewFakeDiscoveryServer(t, xds.FakeOptions{
		DefaultClusterName: cluster.ID(d.clusterID),
		KubernetesVersion:  kubeMinor(w.b.spec.KubernetesVersion),
		KubernetesObjects:  kube,
		Configs:            cfgs,
		MeshConfig:         d.mesh,
		KubeClientModifier: withCRDAnnotations(gatewayAPICRDAnnotations(w.b)),
	})
}

// proxyOf builds the proxy of a pod the way pilot-agent and istiod do:
// node metadata from the istio-proxy container's environment
// (bootstrap.GetNodeMetaData), node ID type~ip~pod.ns~ns.svc.cluster.local
// with the type from the container's args, then istiod's connection setup
// (labels from the registry, service targets, sidecar scope, gateways).
func proxyOf(f *xds.FakeDiscoveryServer, d *istiod, a admitted) (*model.Proxy, error) {
	c := proxyContainer(a.pod)
	if c == nil {
		return nil, errors.New("no istio-proxy container")
	}
	if len(c.Args) < 2 || c.Args[0] != "proxy" {
		return nil, fmt.Errorf("istio-proxy args %q: want proxy sidecar|router|waypoint", c.Args)
	}
	envs := containerEnv(a.pod, c)
	// pilot-agent reports its own build's version; that is the image tag.
	if _, tag, ok := strings.Cut(c.Image, ":"); ok {
		envs = append(envs, "ISTIO_META_ISTIO_VERSION="+strings.SplitN(tag, "-", 2)[0])
	}
	pc := d.mesh.DefaultConfig
	for _, e := range envs {
		if v, ok := strings.CutPrefix(e, "PROXY_CONFIG="); ok && v != "" {
			m, err := istiomesh.ApplyProxyConfig(v, d.mesh)
			if err != nil {
				return nil, fmt.Errorf("PROXY_CONFIG: %w", err)
			}
			pc = m.DefaultConfig
		}
	}
	ip := a.pod.Status.PodIP
	node, err := bootstrap.GetNodeMetaData(bootstrap.MetadataOptions{Envs: envs, InstanceIPs: []string{ip}, ProxyConfig: pc})
	if err != nil {
		return nil, err
	}
	id := fmt.Sprintf("%s~%s~%s.%s~%s.svc.cluster.local", c.Args[1], ip, a.pod.Name, a.pod.Namespace, a.pod.Namespace)
	p, err := model.ParseServiceNodeWithMetadata(id, &node.Metadata.NodeMetadata)
	if err != nil {
		return nil, err
	}
	p.ConfigNamespace = model.GetProxyConfigNamespace(p)
	p.SetWorkloadLabels(f.Env())
	return f.SetupProxy(p), nil
}

// envRef is a $(VAR) reference in a container's environment.
var envRef = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// containerEnv resolves a container's environment as the kubelet does:
// literal values with $(VAR) references, and the downward API fields a
// proxy uses.
func containerEnv(p *corev1.Pod, c *corev1.Container) []string {
	seen := map[string]string{}
	var out []string
	for _, e := range c.Env {
		v := e.Value
		if e.ValueFrom != nil {
			fr := e.ValueFrom.FieldRef
			if fr == nil {
				continue
			}
			switch fp := fr.FieldPath; {
			case fp == "metadata.name":
				v = p.Name
			case fp == "metadata.namespace":
				v = p.Namespace
			case fp == "spec.serviceAccountName":
				v = p.Spec.ServiceAccountName
			case fp == "spec.nodeName":
				v = p.Spec.NodeName
			case fp == "status.podIP", fp == "status.podIPs":
				v = p.Status.PodIP
			case fp == "status.hostIP":
				v = p.Status.HostIP
			case strings.HasPrefix(fp, "metadata.labels['"):
				v = p.Labels[strings.TrimSuffix(strings.TrimPrefix(fp, "metadata.labels['"), "']")]
			case strings.HasPrefix(fp, "metadata.annotations['"):
				v = p.Annotations[strings.TrimSuffix(strings.TrimPrefix(fp, "metadata.annotations['"), "']")]
			default:
				continue
			}
		} else {
			v = envRef.ReplaceAllStringFunc(v, func(m string) string {
				if r, ok := seen[m[2:len(m)-1]]; ok {
					return r
				}
				return m
			})
		}
		seen[e.Name] = v
		out = append(out, e.Name+"="+v)
	}
	return out
}

// run simulates a call and also returns the filter chain that took it
// (gateway chains have no names, so the name alone does not find it).
func run(sim *simulation.Simulation, c simulation.Call) (simulation.Result, *listener.FilterChain) {
	var fc *listener.FilterChain
	c.CustomListenerValidations = append(c.CustomListenerValidations, func(chain *listener.FilterChain) error {
		fc = chain
		return nil
	})
	return sim.Run(c), fc
}

// listenerByName finds a listener.
func listenerByName(ll []*listener.Listener, name string) *listener.Listener {
	for _, l := range ll {
		if l.GetName() == name {
			return l
		}
	}
	return nil
}

// statsFilter is Istio's metrics filter.
const statsFilter = "istio.stats"

// metrics is hasStats, counted.
func (w *world) metrics(t *testing.T, fc *listener.FilterChain) bool {
	w.tally.add("metrics")
	return hasStats(t, fc)
}

// hasStats reports whether a filter chain carries Istio's metrics filter:
// as an HTTP filter of its connection manager, or as a network filter.
func hasStats(t *testing.T, fc *listener.FilterChain) bool {
	nw, http := xdstest.ExtractFilterNames(t, fc)
	for _, n := range append(nw, http...) {
		if n == statsFilter {
			return true
		}
	}
	return false
}

// prefix puts p before every line.
func prefix(p string, list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = p + s
	}
	return out
}
