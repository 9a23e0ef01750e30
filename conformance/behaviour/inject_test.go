package behaviour_test

import (
	"encoding/json"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	istiomesh "istio.io/istio/pkg/config/mesh"
	"istio.io/istio/pkg/kube/inject"

	"github.com/istio-render/istio-render/mesh"
)

// proxyContainer returns the istio-proxy container, a regular container
// or a native sidecar (an init container that always restarts).
func proxyContainer(p *corev1.Pod) *corev1.Container {
	for i := range p.Spec.Containers {
		if p.Spec.Containers[i].Name == "istio-proxy" {
			return &p.Spec.Containers[i]
		}
	}
	for i := range p.Spec.InitContainers {
		if p.Spec.InitContainers[i].Name == "istio-proxy" {
			return &p.Spec.InitContainers[i]
		}
	}
	return nil
}

// injectionStatus is the sidecar injector's record on a pod: what it
// added and the revision that added it; nil when it did not inject.
func injectionStatus(p *corev1.Pod) (*inject.SidecarInjectionStatus, error) {
	text, ok := p.Annotations["sidecar.istio.io/status"]
	if !ok {
		return nil, nil
	}
	st := &inject.SidecarInjectionStatus{}
	if err := json.Unmarshal([]byte(text), st); err != nil {
		return nil, fmt.Errorf("sidecar.istio.io/status: %w", err)
	}
	return st, nil
}

// wantProxy is what the spec asks of one workload's proxy.
type wantProxy struct {
	// plane is the control plane that must give the proxy; nil for none.
	plane     *plane
	resources *mesh.Resources
	// injected is true when the proxy comes from the injection webhook,
	// false when istiod's deployment controller writes it into the
	// Deployment of a Gateway API gateway or waypoint.
	injected bool
}

// wantProxyOf reads from the spec what proxy a workload must run.
func wantProxyOf(s *mesh.Spec, a admitted) wantProxy {
	switch {
	case a.sample && a.namespace == probeNamespace:
		if p := defaultPlane(s); p != nil {
			return wantProxy{plane: p, resources: s.Proxy.Resources, injected: true}
		}
		return wantProxy{plane: mainPlane(s), resources: s.Proxy.Resources, injected: true}
	case a.sample:
		return wantProxy{plane: sidecarPlane(s, a.namespace), resources: s.Proxy.Resources, injected: true}
	case a.gateway != nil:
		return wantProxy{plane: gatewayPlane(s, a.gateway), resources: a.gateway.Resources, injected: true}
	case a.apiGateway != nil:
		return wantProxy{plane: apiGatewayPlane(s, a.apiGateway.Revision), resources: classResources(s, mesh.GatewayClassIstio)}
	case a.waypoint != nil:
		return wantProxy{plane: apiGatewayPlane(s, a.waypoint.Revision), resources: classResources(s, mesh.GatewayClassWaypoint)}
	}
	return wantProxy{}
}

// classResources are the proxy resources the spec sets for every gateway
// of a Gateway API class.
func classResources(s *mesh.Spec, class string) *mesh.Resources {
	if c, ok := s.GatewayAPI.Classes[class]; ok {
		return c.Resources
	}
	return nil
}

// checkInjection compares every admitted pod with what the spec asks:
// gateways and pods of namespaces with injection get exactly one proxy
// from the intended control plane, with the spec's image, resources, log
// level and identity; nothing else gets a proxy.
func checkInjection(w *world, pods []admitted) []string {
	s := w.b.spec
	var problems []string
	for _, a := range pods {
		report := func(format string, args ...any) {
			problems = append(problems, a.id()+": "+fmt.Sprintf(format, args...))
		}
		if a.err != nil {
			report("admission failed: %v", a.err)
			continue
		}
		want := wantProxyOf(s, a)
		c := proxyContainer(a.pod)
		status, err := injectionStatus(a.pod)
		if err != nil {
			report("%v", err)
			continue
		}
		if want.plane == nil {
			w.tally.add("proxy: none where the spec asks for none")
			if status != nil {
				report("injected by revision %q (webhook calls %v), but the spec asks for no sidecar here", status.Revision, a.calls)
			}
			continue
		}
		if c == nil {
			report("no istio-proxy container after admission (the pod would run without a proxy)")
			continue
		}
		w.proxies++
		w.tally.add("proxy: control plane")
		if want.injected {
			switch {
			case len(a.calls) != 1:
				report("want exactly one injection webhook call, to istiod %q, got %v", want.plane.label, a.calls)
			case a.calls[0].revision != want.plane.label:
				report("injected through webhook %s by istiod %q, want %q", a.calls[0].hook, a.calls[0].revision, want.plane.label)
			}
			if status == nil {
				report("not injected (no sidecar.istio.io/status annotation): the pod would run its template's istio-proxy, image %q", c.Image)
				continue
			}
			if status.Revision != want.plane.label {
				report("injected by revision %q (sidecar.istio.io/status), want %q", status.Revision, want.plane.label)
			}
		} else {
			if len(a.calls) > 0 {
				report("istiod deploys this gateway with its proxy, but the injection webhook was called too: %v", a.calls)
			}
			if a.generatedBy != want.plane.label {
				report("deployed by istiod %q, want %q", a.generatedBy, want.plane.label)
			}
		}
		w.tally.add("proxy: image")
		if img := proxyImage(s, want.plane); c.Image != img {
			report("istio-proxy image %q, want %q", c.Image, img)
		}
		if want.resources != nil {
			w.tally.add("proxy: resources")
		}
		for _, p := range checkResources(c, want.resources) {
			report("%s", p)
		}
		if lvl := s.Proxy.LogLevel; lvl != "" {
			w.tally.add("proxy: log level")
			if got := argValue(c.Args, "--proxyLogLevel"); got != lvl {
				report("proxy log level %q, want %q", got, lvl)
			}
		}
		envs := map[string]string{}
		for _, e := range c.Env {
			envs[e.Name] = e.Value
		}
		w.tally.add("proxy: cluster, network and mesh IDs")
		if want := or(s.Mesh.ClusterName, "Kubernetes"); envs["ISTIO_META_CLUSTER_ID"] != want {
			report("ISTIO_META_CLUSTER_ID %q, want %q", envs["ISTIO_META_CLUSTER_ID"], want)
		}
		if s.Mesh.Network != "" && envs["ISTIO_META_NETWORK"] != s.Mesh.Network {
			report("ISTIO_META_NETWORK %q, want %q", envs["ISTIO_META_NETWORK"], s.Mesh.Network)
		}
		if s.Mesh.MeshID != "" && envs["ISTIO_META_MESH_ID"] != s.Mesh.MeshID {
			report("ISTIO_META_MESH_ID %q, want %q", envs["ISTIO_META_MESH_ID"], s.Mesh.MeshID)
		}
		w.tally.add("proxy: istiod address")
		if got, addr := discoveryAddress(envs["PROXY_CONFIG"]), istiodAddress(s, want.plane); got != addr {
			report("the proxy connects to istiod at %q, want %q", got, addr)
		}
	}
	return problems
}

// discoveryAddress is the istiod address a proxy connects to, as
// pilot-agent reads it: Istio's default proxy configuration with the
// container's PROXY_CONFIG over it.
func discoveryAddress(proxyConfig string) string {
	m, err := istiomesh.ApplyProxyConfig(proxyConfig, istiomesh.DefaultMeshConfig())
	if err != nil {
		return fmt.Sprintf("(PROXY_CONFIG: %v)", err)
	}
	return m.GetDefaultConfig().GetDiscoveryAddress()
}

// istiodAddress is the address of a control plane's istiod Service, on
// its xDS port: istiod[-<revision>].<root namespace>.svc:15012.
func istiodAddress(s *mesh.Spec, p *plane) string {
	name := "istiod"
	if p.label != "default" {
		name += "-" + p.label
	}
	return name + "." + s.RootNamespace + ".svc:15012"
}

// checkResources requires every request and limit the spec sets.
func checkResources(c *corev1.Container, r *mesh.Resources) []string {
	if r == nil {
		return nil
	}
	var problems []string
	cmp := func(what string, got corev1.ResourceList, name corev1.ResourceName, want mesh.Quantity) {
		if want == "" {
			return
		}
		g, ok := got[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("istio-proxy %s.%s unset, want %s", what, name, want))
			return
		}
		if g.Cmp(resource.MustParse(string(want))) != 0 {
			problems = append(problems, fmt.Sprintf("istio-proxy %s.%s %s, want %s", what, name, g.String(), want))
		}
	}
	if q := r.Requests; q != nil {
		cmp("requests", c.Resources.Requests, corev1.ResourceCPU, q.CPU)
		cmp("requests", c.Resources.Requests, corev1.ResourceMemory, q.Memory)
	}
	if q := r.Limits; q != nil {
		cmp("limits", c.Resources.Limits, corev1.ResourceCPU, q.CPU)
		cmp("limits", c.Resources.Limits, corev1.ResourceMemory, q.Memory)
	}
	return problems
}

// argValue returns the value of --name=value or --name value.
func argValue(args []string, name string) string {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// injectionSummary is one line per proxy for the test log.
func injectionSummary(pods []admitted) []string {
	var out []string
	for _, a := range pods {
		if a.pod == nil {
			continue
		}
		c := proxyContainer(a.pod)
		if c == nil {
			continue
		}
		where := "container"
		for _, ic := range a.pod.Spec.InitContainers {
			if ic.Name == "istio-proxy" {
				where = "native sidecar"
			}
		}
		by := fmt.Sprintf("via %v", a.calls)
		if a.generatedBy != "" {
			by = "deployed by istiod " + a.generatedBy
		}
		out = append(out, fmt.Sprintf("proxy %s: %s (%s) %s, requests %s limits %s, --proxyLogLevel=%s",
			a.id(), c.Image, where, by, quantities(c.Resources.Requests), quantities(c.Resources.Limits), argValue(c.Args, "--proxyLogLevel")))
	}
	return out
}

// quantities prints a resource list as cpu=…,memory=….
func quantities(l corev1.ResourceList) string {
	var parts []string
	for _, k := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		if q, ok := l[k]; ok {
			parts = append(parts, string(k)+"="+q.String())
		}
	}
	return strings.Join(parts, ",")
}
