package behaviour_test

import (
	"fmt"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/istio-render/istio-render/mesh"
)

// The sample application: what a user deploys into a mesh namespace. Its
// name, port and image are the proof's own.
const (
	sampleName  = "sample"
	samplePort  = 8080
	sampleImage = "registry.k8s.io/e2e-test-images/agnhost:2.53"
	nodeName    = "node-1"
	// probeNamespace is a namespace the proof adds, labelled for
	// injection by the default control plane the way a user enables it,
	// so the mesh-wide settings are proven on a sidecar even when the
	// spec lists no namespace.
	probeNamespace = "istio-proof"
)

// world is the cluster a render would produce once Kubernetes ran it:
// the rendered objects, plus what controllers and users add (pods of the
// rendered Deployments and DaemonSets, a sample app per namespace, the
// gateways' credential Secrets and routes, the tracing collector's
// Service, a node). istiod's own additions (Gateway API workloads and
// classes) join it when the proof runs istiod's controllers.
type world struct {
	b          *bundle
	namespaces map[string]*corev1.Namespace
	// workloads are the pod owners: rendered Deployments and DaemonSets,
	// the sample Deployments, then what istiod's deployment controller
	// applies for Gateway API gateways and waypoints.
	workloads []workload
	// samples are the synthesized objects a user adds (Deployments,
	// Services, ServiceAccounts), typed.
	samples []runtime.Object
	secrets []*corev1.Secret
	// routes are the VirtualServices, ServiceEntries and Gateway API
	// routes an application binds to the gateways: a gateway alone routes
	// nothing.
	routes []*unstructured.Unstructured
	// routed marks gateway servers and Gateway API listeners that got a
	// route, by routeKey.
	routed map[string]string
	// generated are the objects istiod's controllers create: GatewayClasses,
	// and the Deployments, Services, autoscalers and budgets of Gateway API
	// gateways and waypoints.
	generated []*unstructured.Unstructured
	node      *corev1.Node
	// tally counts the properties the proof checks, and proxies the
	// proxies it checks them on.
	tally   tally
	proxies int
}

// tally counts the properties a proof checks, by name.
type tally map[string]int

// add counts one check of a property.
func (t tally) add(property string) { t[property]++ }

// total is the number of checks.
func (t tally) total() int {
	n := 0
	for _, c := range t {
		n += c
	}
	return n
}

// workload is one pod owner and the pod template it stamps out.
type workload struct {
	kind, namespace, name string
	template              corev1.PodTemplateSpec
	sample                bool
	// gateway is the classic gateway the workload runs, if any.
	gateway *mesh.Gateway
	// apiGateway or waypoint is what istiod deployed the workload for.
	apiGateway *mesh.APIGateway
	waypoint   *mesh.Waypoint
	// generatedBy is the revision of the istiod whose deployment
	// controller applied the workload.
	generatedBy string
}

func (w workload) id() string { return w.kind + "/" + w.namespace + "/" + w.name }

// newWorld synthesizes the cluster state around a render.
func newWorld(t testing.TB, b *bundle) *world {
	t.Helper()
	s := b.spec
	w := &world{b: b, namespaces: map[string]*corev1.Namespace{}, routed: map[string]string{}, tally: tally{}}
	for _, n := range []string{"default", "kube-system"} {
		w.addNamespace(n, nil)
	}
	for _, o := range b.ofKind("Namespace") {
		ns := &corev1.Namespace{}
		fromUnstructured(t, o, ns)
		if ns.Labels == nil {
			ns.Labels = map[string]string{}
		}
		// The API server sets this label on every namespace.
		ns.Labels[corev1.LabelMetadataName] = ns.Name
		w.namespaces[ns.Name] = ns
	}
	gateways := map[string]*mesh.Gateway{}
	for i := range s.Gateways {
		if g := &s.Gateways[i]; g.IsEnabled() {
			gateways[g.Namespace+"/"+g.Name] = g
		}
	}
	// The east-west gateway is a gateway of the main control plane, with
	// the workload settings of spec.multicluster.eastWestGateway.
	if mc := s.Multicluster; mc != nil && mc.EastWestGateway != nil && mc.Model != mesh.ModelRemote {
		ew := mc.EastWestGateway
		gateways[ew.Namespace+"/"+ew.Name] = &mesh.Gateway{Name: ew.Name, Namespace: ew.Namespace, Workload: ew.Workload}
	}
	for _, o := range b.objs {
		switch o.GetKind() {
		case "Deployment":
			d := &appsv1.Deployment{}
			fromUnstructured(t, o, d)
			w.workloads = append(w.workloads, workload{kind: "Deployment", namespace: d.Namespace, name: d.Name,
				template: d.Spec.Template, gateway: gateways[d.Namespace+"/"+d.Name]})
		case "DaemonSet":
			d := &appsv1.DaemonSet{}
			fromUnstructured(t, o, d)
			w.workloads = append(w.workloads, workload{kind: "DaemonSet", namespace: d.Namespace, name: d.Name, template: d.Spec.Template})
		}
	}
	for _, n := range s.Namespaces {
		w.addSample(n.Name)
	}
	probe := map[string]string{"istio-injection": "enabled"}
	if defaultPlane(s) == nil {
		probe = map[string]string{"istio.io/rev": mainPlane(s).label}
	}
	w.addNamespace(probeNamespace, probe)
	w.addSample(probeNamespace)
	w.secrets = credentialSecrets(t, s)
	w.addCollector()
	w.addRoutes()
	w.addAPIRoutes()
	w.node = &corev1.Node{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Node"},
		ObjectMeta: metav1.ObjectMeta{Name: nodeName, Labels: map[string]string{
			corev1.LabelHostname: nodeName, corev1.LabelTopologyZone: "zone-a", corev1.LabelTopologyRegion: "region-a",
		}},
		Status: corev1.NodeStatus{NodeInfo: corev1.NodeSystemInfo{KubeletVersion: "v" + s.KubernetesVersion}},
	}
	return w
}

// addNamespace adds a namespace the render does not, with the label the
// API server sets.
func (w *world) addNamespace(name string, labels map[string]string) {
	if w.namespaces[name] != nil {
		return
	}
	l := map[string]string{corev1.LabelMetadataName: name}
	for k, v := range labels {
		l[k] = v
	}
	w.namespaces[name] = &corev1.Namespace{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: l},
	}
}

// hasSample reports whether a namespace runs the sample app.
func (w *world) hasSample(ns string) bool {
	for _, wl := range w.workloads {
		if wl.sample && wl.namespace == ns {
			return true
		}
	}
	return false
}

// sampleNamespaces lists the namespaces that run the sample app, in the
// order they got it.
func (w *world) sampleNamespaces() []string {
	var out []string
	for _, wl := range w.workloads {
		if wl.sample {
			out = append(out, wl.namespace)
		}
	}
	return out
}

// addSample adds a Deployment, Service and ServiceAccount named sample.
func (w *world) addSample(ns string) {
	if w.hasSample(ns) {
		return
	}
	labels := map[string]string{"app": sampleName, "version": "v1"}
	tmpl := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labels},
		Spec: corev1.PodSpec{
			ServiceAccountName: sampleName,
			Containers: []corev1.Container{{
				Name:  "app",
				Image: sampleImage,
				Args:  []string{"netexec", fmt.Sprintf("--http-port=%d", samplePort)},
				Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: samplePort, Protocol: corev1.ProtocolTCP}},
			}},
		},
	}
	w.workloads = append(w.workloads, workload{kind: "Deployment", namespace: ns, name: sampleName, template: tmpl, sample: true})
	w.samples = append(w.samples,
		&appsv1.Deployment{
			TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
			ObjectMeta: metav1.ObjectMeta{Name: sampleName, Namespace: ns, Labels: labels},
			Spec: appsv1.DeploymentSpec{
				Selector: &metav1.LabelSelector{MatchLabels: labels},
				Template: tmpl,
			},
		},
		&corev1.Service{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
			ObjectMeta: metav1.ObjectMeta{Name: sampleName, Namespace: ns, Labels: map[string]string{"app": sampleName}},
			Spec: corev1.ServiceSpec{
				Selector:   map[string]string{"app": sampleName},
				ClusterIP:  clusterIP(ns + "/" + sampleName),
				ClusterIPs: []string{clusterIP(ns + "/" + sampleName)},
				Ports: []corev1.ServicePort{{
					Name: "http", Port: samplePort, TargetPort: intstr.FromInt32(samplePort), Protocol: corev1.ProtocolTCP,
				}},
			},
		},
		&corev1.ServiceAccount{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
			ObjectMeta: metav1.ObjectMeta{Name: sampleName, Namespace: ns},
		},
	)
}

// collector is the Service of the tracing collector a spec names, read
// from spec.mesh.tracing.address: its name and namespace are the first two
// labels of the host.
func collector(s *mesh.Spec) (name, namespace string, port int32, ok bool) {
	t := s.Mesh.Tracing
	if t == nil || t.Address == "" {
		return "", "", 0, false
	}
	host, portText, _ := strings.Cut(t.Address, ":")
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return "", "", 0, false
	}
	if _, err := fmt.Sscan(portText, &port); err != nil {
		return "", "", 0, false
	}
	return labels[0], labels[1], port, true
}

// addCollector adds the Service of the tracing collector the spec names:
// it runs outside the render, and istiod configures no tracer for a
// provider whose service is not in its registry.
func (w *world) addCollector() {
	name, ns, port, ok := collector(w.b.spec)
	if !ok {
		return
	}
	portName := "http-zipkin"
	if w.b.spec.Mesh.Tracing.Provider == "opentelemetry" {
		portName = "grpc-otlp"
	}
	w.addNamespace(ns, nil)
	w.samples = append(w.samples, &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: corev1.ServiceSpec{
			Selector:   map[string]string{"app": name},
			ClusterIP:  clusterIP(ns + "/" + name),
			ClusterIPs: []string{clusterIP(ns + "/" + name)},
			Ports:      []corev1.ServicePort{{Name: portName, Port: port, TargetPort: intstr.FromInt32(port), Protocol: corev1.ProtocolTCP}},
		},
	})
}

// gatewayObject is one networking.istio.io Gateway object of a classic
// gateway: the one its servers render, or one of its objects.
type gatewayObject struct {
	name    string
	servers []mesh.Server
}

// gatewayObjects lists a classic gateway's Gateway objects.
func gatewayObjects(g *mesh.Gateway) []gatewayObject {
	var out []gatewayObject
	if len(g.Servers) > 0 {
		out = append(out, gatewayObject{name: g.ResourceName, servers: g.Servers})
	}
	for _, o := range g.Objects {
		out = append(out, gatewayObject{name: o.Name, servers: o.Servers})
	}
	return out
}

// routeKey names a gateway server or listener for world.routed.
func routeKey(namespace, object, server string) string {
	return namespace + "/" + object + "/" + server
}

// addRoutes binds a route to every classic gateway server, as an
// application would: HTTP(S) servers route their hosts to the sample app
// of the hosts' namespace (the probe namespace when the hosts name none);
// a passthrough server forwards its SNI hosts to an external ServiceEntry.
func (w *world) addRoutes() {
	s := w.b.spec
	for i := range s.Gateways {
		g := &s.Gateways[i]
		if !g.IsEnabled() {
			continue
		}
		for _, obj := range gatewayObjects(g) {
			gwRef := g.Namespace + "/" + obj.name
			for _, sv := range obj.servers {
				var hosts []any
				ns := ""
				for _, h := range sv.Hosts {
					if p, hh, ok := strings.Cut(h, "/"); ok {
						if p != "*" && p != "." {
							ns = p
						}
						h = hh
					}
					hosts = append(hosts, h)
				}
				name := "route-" + obj.name + "-" + sv.Name
				key := routeKey(g.Namespace, obj.name, sv.Name)
				if sv.TLS != nil && sv.TLS.Mode == "PASSTHROUGH" {
					ns = or(ns, g.Namespace)
					var routes []any
					for j, h := range hosts {
						w.routes = append(w.routes, istioObject("ServiceEntry", ns, fmt.Sprintf("%s-%d", name, j), map[string]any{
							"hosts":      []any{h},
							"location":   "MESH_EXTERNAL",
							"resolution": "DNS",
							"ports":      []any{map[string]any{"number": int64(sv.Port), "name": fmt.Sprintf("tls-%d", sv.Port), "protocol": "TLS"}},
						}))
						routes = append(routes, map[string]any{
							"match": []any{map[string]any{"port": int64(sv.Port), "sniHosts": []any{h}}},
							"route": []any{map[string]any{"destination": map[string]any{"host": h, "port": map[string]any{"number": int64(sv.Port)}}}},
						})
					}
					w.routes = append(w.routes, istioObject("VirtualService", ns, name, map[string]any{
						"hosts": hosts, "gateways": []any{gwRef}, "tls": routes,
					}))
					w.routed[key] = ns
					continue
				}
				ns = or(ns, probeNamespace)
				if !w.hasSample(ns) {
					continue
				}
				w.routes = append(w.routes, istioObject("VirtualService", ns, name, map[string]any{
					"hosts":    hosts,
					"gateways": []any{gwRef},
					"http": []any{map[string]any{"route": []any{map[string]any{"destination": map[string]any{
						"host": fmt.Sprintf("%s.%s.svc.cluster.local", sampleName, ns),
						"port": map[string]any{"number": int64(samplePort)},
					}}}}},
				}))
				w.routed[key] = ns
			}
		}
	}
}

// istioObject is a networking.istio.io object.
func istioObject(kind, ns, name string, spec map[string]any) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "networking.istio.io/v1",
		"kind":       kind,
		"metadata":   map[string]any{"name": name, "namespace": ns},
		"spec":       spec,
	}}
}

// credentialSecrets are the Secrets the gateways' servers and listeners
// name: the ones cert-manager issues for a rendered Certificate, and the
// ones the spec says the user provides. Each holds a valid certificate,
// because Istio's analyzers parse it.
func credentialSecrets(t testing.TB, s *mesh.Spec) []*corev1.Secret {
	t.Helper()
	cert, key := selfSigned(t)
	seen := map[string]bool{}
	var out []*corev1.Secret
	add := func(ns, name string, mutual bool) {
		if seen[ns+"/"+name] {
			return
		}
		seen[ns+"/"+name] = true
		data := map[string][]byte{corev1.TLSCertKey: cert, corev1.TLSPrivateKeyKey: key}
		if mutual {
			data["ca.crt"] = cert
		}
		out = append(out, &corev1.Secret{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"},
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
			Type:       corev1.SecretTypeTLS,
			Data:       data,
		})
	}
	for i := range s.Gateways {
		g := &s.Gateways[i]
		if !g.IsEnabled() {
			continue
		}
		for _, sv := range g.AllServers() {
			if sv.TLS != nil && sv.TLS.CredentialName != "" {
				add(g.Namespace, sv.TLS.CredentialName, sv.TLS.Mode == "MUTUAL")
			}
		}
	}
	for _, gw := range s.GatewayAPI.Gateways {
		for _, l := range gw.Listeners {
			if l.TLS == nil {
				continue
			}
			for _, ref := range l.TLS.CertificateRefs {
				add(ref.Namespace, ref.Name, false)
			}
		}
	}
	return out
}

func fromUnstructured(t testing.TB, u *unstructured.Unstructured, into any) {
	t.Helper()
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, into); err != nil {
		t.Fatalf("%s %s/%s: %v", u.GetKind(), u.GetNamespace(), u.GetName(), err)
	}
}

func toUnstructured(t testing.TB, obj runtime.Object) *unstructured.Unstructured {
	t.Helper()
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		t.Fatal(err)
	}
	return &unstructured.Unstructured{Object: m}
}
