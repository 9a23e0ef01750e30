//go:build conformance

package conformance_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	k8sruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// istiodPod is istiod run as a kubelet would run the rendered istiod
// Deployment's container "discovery", in a pod network namespace of its
// own.
type istiodPod struct {
	deployment *liveObject
	name       string // the pod's name
	net        podNS
	template   corev1.PodTemplateSpec
	container  corev1.Container
	root       string // the container's "/": istiod's paths are all relative to its working directory
	proc       *liveProcess
	// env is the container's environment as the stand-in resolved it.
	env map[string]string
}

// isIstiod reports a rendered istiod Deployment: its pod runs the
// container discovery with the command discovery.
func isIstiod(o *liveObject) bool {
	if o.kind() != "Deployment" {
		return false
	}
	tmpl, err := podTemplate(o.obj)
	if err != nil {
		return false
	}
	for _, c := range tmpl.Spec.Containers {
		if c.Name == "discovery" && len(c.Args) > 0 && c.Args[0] == "discovery" {
			return true
		}
	}
	return false
}

// podTemplate returns a Deployment's pod template.
func podTemplate(deployment map[string]any) (corev1.PodTemplateSpec, error) {
	var t corev1.PodTemplateSpec
	spec, _ := deployment["spec"].(map[string]any)
	tmpl, ok := spec["template"].(map[string]any)
	if !ok {
		return t, fmt.Errorf("%s: no spec.template", objectID(deployment))
	}
	if err := k8sruntime.DefaultUnstructuredConverter.FromUnstructured(tmpl, &t); err != nil {
		return t, fmt.Errorf("%s: spec.template: %w", objectID(deployment), err)
	}
	return t, nil
}

// newIstiodPod prepares the kubelet stand-in for one istiod Deployment.
func newIstiodPod(d *liveObject, net podNS, root string) (*istiodPod, error) {
	tmpl, err := podTemplate(d.obj)
	if err != nil {
		return nil, err
	}
	p := &istiodPod{deployment: d, name: d.name() + "-live-0", net: net, template: tmpl, root: root}
	for _, c := range tmpl.Spec.Containers {
		if c.Name == "discovery" {
			p.container = c
		}
	}
	return p, nil
}

// start runs istiod: the rendered args; the rendered env with fieldRefs
// and resourceFieldRefs resolved as the kubelet resolves them; emptyDir
// volumes as folders and projected ServiceAccount tokens minted with
// TokenRequest, under root; optional Secrets and ConfigMaps that do not
// exist left out, as the kubelet leaves them. One thing differs from the
// render: KUBECONFIG. The render points it at the optional
// istio-kubeconfig Secret's mount, which is absent, so that istiod uses its
// in-cluster config; here it names a kubeconfig with a token of the
// Deployment's ServiceAccount, the in-cluster config's equivalent.
func (p *istiodPod) start(ctx context.Context, c *liveCluster, pilot, logPath string) error {
	ns := p.deployment.namespace()
	sa := p.template.Spec.ServiceAccountName
	if err := os.MkdirAll(p.root, 0o755); err != nil {
		return err
	}
	p.env = map[string]string{}
	for _, e := range p.container.Env {
		v, err := p.resolve(e)
		if err != nil {
			return err
		}
		p.env[e.Name] = v
	}
	token, err := c.token(ctx, ns, sa, nil, 24*3600)
	if err != nil {
		return err
	}
	ca, err := filepath.Abs(c.caFile)
	if err != nil {
		return err
	}
	kubeconfig := filepath.Join(p.root, "..", p.name+".kubeconfig")
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: live
  cluster: {server: %q, certificate-authority: %q}
users:
- name: %s
  user: {token: %q}
contexts:
- name: live
  context: {cluster: live, user: %s, namespace: %s}
current-context: live
`, c.url, ca, sa, token, sa, ns)
	if err := os.WriteFile(kubeconfig, []byte(cfg), 0o600); err != nil {
		return err
	}
	p.env["KUBECONFIG"] = kubeconfig

	volumes := map[string]corev1.Volume{}
	for _, v := range p.template.Spec.Volumes {
		volumes[v.Name] = v
	}
	for _, m := range p.container.VolumeMounts {
		v := volumes[m.Name]
		dir := filepath.Join(p.root, m.MountPath)
		switch {
		case v.EmptyDir != nil:
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
		case v.Projected != nil:
			for _, src := range v.Projected.Sources {
				st := src.ServiceAccountToken
				if st == nil {
					continue
				}
				var audiences []string
				if st.Audience != "" {
					audiences = []string{st.Audience}
				}
				seconds := int64(3600)
				if st.ExpirationSeconds != nil {
					seconds = *st.ExpirationSeconds
				}
				tok, err := c.token(ctx, ns, sa, audiences, seconds)
				if err != nil {
					return fmt.Errorf("volume %s: %w", m.Name, err)
				}
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(filepath.Join(dir, st.Path), []byte(tok), 0o600); err != nil {
					return err
				}
			}
		}
	}
	// The image's entrypoint is pilot-discovery; a command in the
	// container replaces it, and its first word is then the binary.
	argv := []string{pilot}
	if len(p.container.Command) > 0 {
		argv = append(argv, p.container.Command[1:]...)
	}
	argv = append(argv, p.container.Args...)
	env := []string{"PATH=/usr/local/bin:/usr/bin:/bin"}
	for _, k := range sortedKeys(p.env) {
		env = append(env, k+"="+p.env[k])
	}
	p.proc, err = startIn(p.net.netns, p.deployment.name(), p.root, logPath, env, argv...)
	return err
}

// resolve gives an env var the value the kubelet would.
func (p *istiodPod) resolve(e corev1.EnvVar) (string, error) {
	if e.ValueFrom == nil {
		return e.Value, nil
	}
	switch {
	case e.ValueFrom.FieldRef != nil:
		switch e.ValueFrom.FieldRef.FieldPath {
		case "metadata.name":
			return p.name, nil
		case "metadata.namespace":
			return p.deployment.namespace(), nil
		case "spec.serviceAccountName":
			return p.template.Spec.ServiceAccountName, nil
		case "status.podIP", "status.hostIP":
			return p.net.ip, nil
		case "spec.nodeName":
			return "live-node", nil
		}
		return "", fmt.Errorf("env %s: fieldRef %s: the stand-in does not resolve it", e.Name, e.ValueFrom.FieldRef.FieldPath)
	case e.ValueFrom.ResourceFieldRef != nil:
		r := e.ValueFrom.ResourceFieldRef
		switch r.Resource {
		case "limits.cpu", "requests.cpu":
			q, ok := p.container.Resources.Limits[corev1.ResourceCPU]
			if r.Resource == "requests.cpu" {
				q, ok = p.container.Resources.Requests[corev1.ResourceCPU]
			}
			if !ok {
				// Without a limit the kubelet gives the node's CPUs.
				return strconv.Itoa(runtime.NumCPU()), nil
			}
			return strconv.FormatInt((q.MilliValue()+999)/1000, 10), nil
		case "limits.memory":
			if q, ok := p.container.Resources.Limits[corev1.ResourceMemory]; ok {
				return strconv.FormatInt(q.Value(), 10), nil
			}
			return "", nil
		}
		return "", fmt.Errorf("env %s: resourceFieldRef %s: the stand-in does not resolve it", e.Name, r.Resource)
	}
	return "", fmt.Errorf("env %s: valueFrom: the stand-in does not resolve it", e.Name)
}

// waitReady polls the rendered readinessProbe until it answers 200.
func (p *istiodPod) waitReady(ctx context.Context) (time.Duration, error) {
	port, path := 8080, "/ready"
	if rp := p.container.ReadinessProbe; rp != nil && rp.HTTPGet != nil {
		port, path = rp.HTTPGet.Port.IntValue(), rp.HTTPGet.Path
	}
	url := fmt.Sprintf("http://%s:%d%s", p.net.ip, port, path)
	client := &http.Client{Timeout: 5 * time.Second}
	err := until(ctx, 200*time.Millisecond, func() error {
		if !p.proc.running() {
			return permanent(p.proc.exitError())
		}
		resp, err := client.Get(url)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %s", url, resp.Status)
		}
		return nil
	})
	return time.Since(p.proc.started), err
}

// labels are the pod's labels.
func (p *istiodPod) labels() map[string]string { return p.template.Labels }

// targetPort resolves a Service port's target port against the
// container's ports.
func (p *istiodPod) targetPort(sp corev1.ServicePort) (int32, error) {
	switch {
	case sp.TargetPort.Type == intstr.Int && sp.TargetPort.IntVal != 0:
		return sp.TargetPort.IntVal, nil
	case sp.TargetPort.Type == intstr.String && sp.TargetPort.StrVal != "":
		for _, cp := range p.container.Ports {
			if cp.Name == sp.TargetPort.StrVal {
				return cp.ContainerPort, nil
			}
		}
		return 0, fmt.Errorf("service port %s: no container port named %q", sp.Name, sp.TargetPort.StrVal)
	}
	return sp.Port, nil
}

// endpointSlice is what the EndpointSlice controller would publish for the
// rendered Service svc once the pods serving it are ready; nil when its
// selector matches none of them. kube-apiserver, started with
// --enable-aggregator-routing, calls a webhook at the address of a ready
// endpoint whose port name matches the Service port's.
func endpointSlice(svc *liveObject, pods []*istiodPod) (map[string]any, error) {
	var s corev1.Service
	if err := k8sruntime.DefaultUnstructuredConverter.FromUnstructured(svc.obj, &s); err != nil {
		return nil, err
	}
	if len(s.Spec.Selector) == 0 {
		return nil, nil
	}
	var serving []*istiodPod
	for _, p := range pods {
		if p.deployment.namespace() == s.Namespace && matches(s.Spec.Selector, p.labels()) {
			serving = append(serving, p)
		}
	}
	if len(serving) == 0 {
		return nil, nil
	}
	var endpoints, ports []any
	for _, p := range serving {
		endpoints = append(endpoints, map[string]any{
			"addresses":  []any{p.net.ip},
			"conditions": map[string]any{"ready": true},
			"targetRef":  map[string]any{"kind": "Pod", "namespace": s.Namespace, "name": p.name},
		})
	}
	for _, sp := range s.Spec.Ports {
		port, err := serving[0].targetPort(sp)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", svc.id(), err)
		}
		proto := string(sp.Protocol)
		if proto == "" {
			proto = "TCP"
		}
		ports = append(ports, map[string]any{"name": sp.Name, "port": int64(port), "protocol": proto})
	}
	return map[string]any{
		"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
		"metadata": map[string]any{
			"name": s.Name + "-live", "namespace": s.Namespace,
			"labels": map[string]any{
				"kubernetes.io/service-name":             s.Name,
				"endpointslice.kubernetes.io/managed-by": liveManager,
			},
		},
		"addressType": "IPv4",
		"endpoints":   endpoints,
		"ports":       ports,
	}, nil
}

// matches reports whether labels satisfy a Service's selector.
func matches(selector, labels map[string]string) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// envList writes the resolved env for a log line.
func (p *istiodPod) envList() string {
	var out []string
	for _, k := range sortedKeys(p.env) {
		if k == "KUBECONFIG" {
			continue
		}
		out = append(out, k+"="+p.env[k])
	}
	return strings.Join(out, " ")
}
