package conformance_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// livePlan is one golden case prepared for a live install: its rendered
// objects in render order, each with its install phase from the render's
// own phase table, and the fields the project says the cluster owns at run
// time.
type livePlan struct {
	name    string
	spec    *mesh.Resolved
	objects []*liveObject
	owned   []ownedField
}

// liveObject is one rendered object of a live install.
type liveObject struct {
	resource render.Resource
	// obj is the object as Kubernetes clients parse it (parseObject); the
	// install sends it, and breaks may change it.
	obj   map[string]any
	phase render.Phase
}

// id names the object: group/kind/namespace/name.
func (o *liveObject) id() string { return objectID(o.obj) }

// kind is the object's kind.
func (o *liveObject) kind() string { k, _ := o.obj["kind"].(string); return k }

// name is the object's name.
func (o *liveObject) name() string { return nestedString(o.obj, "metadata", "name") }

// namespace is the object's namespace; "" for a cluster-scoped object.
func (o *liveObject) namespace() string { return nestedString(o.obj, "metadata", "namespace") }

// newLivePlan renders a golden case's spec the way the golden test does.
func newLivePlan(t *testing.T, gc goldenCase) *livePlan {
	t.Helper()
	m, err := render.Render(t.Context(), gc.spec(t), gc.options(t))
	if err != nil {
		t.Fatalf("%s: render: %v", gc.name, err)
	}
	p := &livePlan{name: gc.name, spec: m.Spec, owned: runtimeOwned(m.Resources)}
	for _, r := range m.Resources {
		obj, err := parseObject(r.YAML)
		if err != nil || obj == nil {
			t.Fatalf("%s: %s: parsing the rendered object: %v", gc.name, r.ID(), err)
		}
		p.objects = append(p.objects, &liveObject{resource: r, obj: obj, phase: render.PhaseOf(r)})
	}
	return p
}

// inPhase returns the plan's objects of one phase, in render order.
func (p *livePlan) inPhase(ph render.Phase) []*liveObject {
	var out []*liveObject
	for _, o := range p.objects {
		if o.phase == ph {
			out = append(out, o)
		}
	}
	return out
}

// ofKind returns the plan's objects of one kind, in render order.
func (p *livePlan) ofKind(kinds ...string) []*liveObject {
	var out []*liveObject
	for _, o := range p.objects {
		for _, k := range kinds {
			if o.kind() == k {
				out = append(out, o)
			}
		}
	}
	return out
}

// find returns the object with this id, or nil.
func (p *livePlan) find(id string) *liveObject {
	for _, o := range p.objects {
		if o.id() == id {
			return o
		}
	}
	return nil
}

// istioGroup reports an API group of Istio's custom resources, which
// istiod's validating webhook judges.
func istioGroup(apiVersion string) bool {
	group, _, found := strings.Cut(apiVersion, "/")
	return found && (group == "istio.io" || strings.HasSuffix(group, ".istio.io"))
}

// istioResources are the plan's Istio custom resources, in render order.
func (p *livePlan) istioResources() []*liveObject {
	var out []*liveObject
	for _, o := range p.objects {
		if istioGroup(o.resource.APIVersion) {
			out = append(out, o)
		}
	}
	return out
}

// proxyImage is the image the spec gives the proxies of a control plane,
// named by its istio.io/rev label: the hub's proxyv2 image tagged with the
// control plane's version and the spec's variant.
func proxyImage(s *mesh.Resolved, revision string) string {
	version := s.Spec.Version
	for _, i := range s.Spec.Istiods() {
		if i.Label() == revision && i.Version != "" {
			version = i.Version
		}
	}
	tag := version
	if s.Spec.Variant != "" {
		tag += "-" + s.Spec.Variant
	}
	return fmt.Sprintf("%s/proxyv2:%s", s.Spec.Hub, tag)
}

// revisionOf resolves what a pod or namespace names for injection, a
// revision or a revision tag, to the istio.io/rev label of the control
// plane that injects it. "" and "default" name the default: the
// unrevisioned control plane, or the one the tag default points at, or
// else the spec's first.
func revisionOf(s *mesh.Resolved, name string) string {
	if name == "" {
		name = mesh.DefaultRevisionName
	}
	istiods := s.Spec.Istiods()
	for _, i := range istiods {
		if i.Label() == name || slices.Contains(i.Tags, name) {
			return i.Label()
		}
	}
	if name == mesh.DefaultRevisionName && len(istiods) > 0 {
		return istiods[0].Label()
	}
	return name
}

// minor is the major.minor of a version such as 1.31.0.
func minor(version string) string {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return version
	}
	return parts[0] + "." + parts[1]
}

// nestedString returns the string at a path of maps; "" when absent.
func nestedString(obj map[string]any, path ...string) string {
	var v any = obj
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[k]
	}
	s, _ := v.(string)
	return s
}
