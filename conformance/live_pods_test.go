//go:build conformance

package conformance_test

import (
	"context"
	"encoding/json"
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"
)

// podFrom makes the Pod a ReplicaSet makes from a Deployment's template.
func podFrom(deployment map[string]any) (map[string]any, error) {
	spec, _ := deployment["spec"].(map[string]any)
	tmpl, ok := spec["template"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: no spec.template", objectID(deployment))
	}
	tmpl = runtime.DeepCopyJSON(tmpl)
	md, _ := tmpl["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
	}
	md["generateName"] = nestedString(deployment, "metadata", "name") + "-live-"
	md["namespace"] = nestedString(deployment, "metadata", "namespace")
	return map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": md, "spec": tmpl["spec"]}, nil
}

// appPod is a plain workload pod in a namespace.
func appPod(namespace string) map[string]any {
	return map[string]any{
		"apiVersion": "v1", "kind": "Pod",
		"metadata": map[string]any{"generateName": "app-live-", "namespace": namespace, "labels": map[string]any{"app": "live"}},
		"spec": map[string]any{"containers": []any{map[string]any{
			"name": "app", "image": "registry.invalid/app:1",
			"ports": []any{map[string]any{"containerPort": int64(8080), "name": "http"}},
		}}},
	}
}

// injection is what the API server made of a pod.
type injection struct {
	outcome, webhook, message string
	// image is istio-proxy's image; revision the one in the
	// sidecar.istio.io/status annotation.
	image, revision string
	// native: istio-proxy is an init container with restartPolicy Always.
	native bool
	pod    map[string]any
}

func (i injection) String() string {
	if i.message != "" {
		return fmt.Sprintf("%s: %s", i.outcome, i.message)
	}
	return fmt.Sprintf("%s (istio-proxy image %q, revision %q, native sidecar %v)", i.outcome, i.image, i.revision, i.native)
}

// createPod creates a pod and reads what the mutating webhooks made of it:
// injected when istio-proxy runs a real image (not the template's "auto")
// and the injector recorded its status.
func (c *cluster) createPod(ctx context.Context, pod map[string]any, dryRun bool) injection {
	got, err := c.create(ctx, pod, dryRun)
	c.warnings.take()
	if err != nil {
		out, hook := outcome(err)
		return injection{outcome: out, webhook: hook, message: err.Error()}
	}
	in := injection{outcome: outcomeNotInjected, pod: got}
	spec, _ := got["spec"].(map[string]any)
	containers, _ := spec["containers"].([]any)
	for _, c := range containers {
		m, _ := c.(map[string]any)
		if m["name"] == "istio-proxy" {
			in.image, _ = m["image"].(string)
		}
	}
	inits, _ := spec["initContainers"].([]any)
	for _, c := range inits {
		m, _ := c.(map[string]any)
		if m["name"] == "istio-proxy" && m["restartPolicy"] == "Always" {
			in.image, _ = m["image"].(string)
			in.native = true
		}
	}
	status := nestedString(got, "metadata", "annotations", "sidecar.istio.io/status")
	var st struct {
		Revision string `json:"revision"`
	}
	if status != "" && json.Unmarshal([]byte(status), &st) == nil {
		in.revision = st.Revision
	}
	if in.image != "" && in.image != "auto" && status != "" {
		in.outcome = outcomeInjected
	}
	return in
}
