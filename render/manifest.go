package render

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"

	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/mesh"
)

// Component names group resources by what produced them.
const (
	ComponentNamespaces = "namespaces"
	ComponentBase       = "base"
	ComponentIstiod     = "istiod"
	ComponentCNI        = "cni"
	ComponentZtunnel    = "ztunnel"
	ComponentPolicy     = "mesh-policy"
	// ComponentGatewayPrefix is followed by the gateway's name.
	ComponentGatewayPrefix = "gateway/"
	// ComponentGatewayAPI is the Gateway API CRDs and the policy that
	// guards them.
	ComponentGatewayAPI = "gateway-api"
	// ComponentGatewayAPIPrefix is followed by the name of a Gateway API
	// gateway of spec.gatewayAPI.gateways (and, for its objects in another
	// namespace, /<namespace>), or by referencegrants/<namespace> for the
	// ReferenceGrants that let gateways read Secrets there.
	ComponentGatewayAPIPrefix = "gateway-api/"
	// ComponentWaypointPrefix is followed by the namespace of a waypoint.
	ComponentWaypointPrefix = "waypoint/"
)

// Resource is one rendered Kubernetes object. Its identity is kept beside
// its serialization, so streaming a render never re-parses large objects
// such as the CRDs.
type Resource struct {
	// Component is what produced the object: namespaces, base, istiod,
	// istiod-<canary revision>, gateway/<name>, cni, ztunnel, mesh-policy,
	// gateway-api, gateway-api/<name>[/<namespace>],
	// gateway-api/referencegrants/<namespace> or waypoint/<namespace>.
	Component string
	// APIVersion, Kind, Namespace and Name identify the object, as its
	// YAML says; Namespace is empty for a cluster-scoped object.
	APIVersion, Kind, Namespace, Name string
	// YAML is the object's serialization: sorted keys, no document
	// separator, ending in a newline. It belongs to the caller.
	YAML []byte
}

// Object parses the object into generic YAML: maps, lists and scalars. Each
// call returns a fresh tree the caller may modify.
func (r Resource) Object() map[string]any {
	var obj map[string]any
	if err := yaml.Unmarshal(r.YAML, &obj); err != nil {
		// YAML is written by this package from a parsed object; it always
		// parses back.
		return map[string]any{}
	}
	return obj
}

// ID names the object uniquely: group/kind/namespace/name.
func (r Resource) ID() string {
	return fmt.Sprintf("%s/%s/%s/%s", group(r.APIVersion), r.Kind, r.Namespace, r.Name)
}

// Manifest is the result of a render.
type Manifest struct {
	// Spec is the completed spec that was rendered: profile merged and
	// defaults filled in.
	Spec *mesh.Resolved
	// Resources in apply order.
	Resources []Resource
	// Warnings about risky but legal choices in the spec.
	Warnings []mesh.Warning
}

// WriteTo writes the resources as one YAML stream, each document preceded
// by a "---" line.
func (m *Manifest) WriteTo(w io.Writer) (int64, error) {
	// Objects are written as they are, through one buffer, rather than
	// formatted: the CRDs alone are a megabyte.
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 64<<10)
	for _, r := range m.Resources {
		_, _ = bw.WriteString("---\n")
		if _, err := bw.Write(r.YAML); err != nil {
			return cw.n, err
		}
	}
	err := bw.Flush()
	return cw.n, err
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Bytes returns the YAML stream WriteTo writes.
func (m *Manifest) Bytes() []byte {
	var b bytes.Buffer
	_, _ = m.WriteTo(&b)
	return b.Bytes()
}

// Counts returns how many objects of each kind the manifest holds.
func (m *Manifest) Counts() map[string]int {
	out := map[string]int{}
	for _, r := range m.Resources {
		out[r.Kind]++
	}
	return out
}

// newResource serializes an object.
func newResource(component string, obj map[string]any) (Resource, error) {
	data, err := yaml.Marshal(obj)
	if err != nil {
		return Resource{}, fmt.Errorf("%s: encoding %v: %w", component, obj["kind"], err)
	}
	return resourceOf(component, obj, data), nil
}

// resourceOf is the resource for an object and its serialization.
func resourceOf(component string, obj map[string]any, data []byte) Resource {
	r := Resource{Component: component, YAML: data}
	r.APIVersion, _ = obj["apiVersion"].(string)
	r.Kind, _ = obj["kind"].(string)
	md, _ := obj["metadata"].(map[string]any)
	r.Name, _ = md["name"].(string)
	r.Namespace, _ = md["namespace"].(string)
	return r
}

// sortResources puts resources in apply order and rejects an object
// rendered twice.
func sortResources(rs []Resource) error {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if ra, rb := position(a), position(b); ra != rb {
			return ra < rb
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.APIVersion < b.APIVersion
	})
	for i := 1; i < len(rs); i++ {
		if rs[i].ID() == rs[i-1].ID() {
			return fmt.Errorf("%s is rendered by both %s and %s; rename one of them", rs[i].ID(), rs[i-1].Component, rs[i].Component)
		}
	}
	return nil
}

// group returns the API group of an apiVersion; "" for the core group.
func group(apiVersion string) string {
	for i := 0; i < len(apiVersion); i++ {
		if apiVersion[i] == '/' {
			return apiVersion[:i]
		}
	}
	return ""
}
