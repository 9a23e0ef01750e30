package render

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/golang/protobuf/jsonpb"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	meshv1alpha1 "istio.io/api/mesh/v1alpha1"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/mesh"
)

// istiod reads the mesh config and the mesh networks of its ConfigMap with
// istio.io/istio's pkg/config/mesh (ApplyMeshConfig, ParseMeshNetworks),
// both through pkg/util/protomarshal.ApplyYAML: YAML to JSON with
// sigs.k8s.io/yaml, then golang/protobuf's jsonpb into the istio.io/api
// messages, and once more allowing unknown fields when that fails. When
// the mesh config does not decode, istiod logs a warning and runs with
// Istio's default mesh config (pkg/config/mesh/meshwatcher): the outbound
// traffic policy, trust domain, discovery selectors and extension
// providers are all gone. When the mesh networks do not, it keeps none.
// Unknown keys are no problem: istiod ignores them.
//
// The checks here decode both with the same libraries, and on failure
// find each part that does not decode (locate) to blame its spec field.
// ApplyMeshConfig goes on to check the decoded config with Istio's
// pkg/config/validation/agent, which is not repeated here: it would link
// gRPC, zap and Envoy's API into the binary.

// meshProto checks that istiod decodes a rendered mesh config and its mesh
// networks; s names the spec fields the extension providers come from.
func meshProto(s *mesh.Spec, m meshConfigMap) (found []finding, meshOK bool) {
	tracing := ""
	if t := s.Mesh.Tracing; t != nil && t.Provider != "" {
		tracing = "spec.mesh.tracing"
	}
	meshOK = true
	for _, p := range undecodable(m.mesh, &meshv1alpha1.MeshConfig{}) {
		meshOK = false
		f := finding{component: m.component, object: m.object, valuesKeys: append([]any{"meshConfig"}, p.keys...)}
		f.text, f.value = offender(p.value)
		if len(p.keys) >= 2 && p.keys[0] == "extensionProviders" {
			// The spec's extension providers come first, the tracing
			// provider last (meshConfig in values.go).
			i, _ := p.keys[1].(int)
			switch n := len(s.Mesh.ExtensionProviders); {
			case i < n:
				f.field = mesh.FieldPath(fmt.Sprintf("spec.mesh.extensionProviders[%d]", i), p.keys[2:]...)
			case i == n:
				f.field = tracing
			}
		}
		f.message = fmt.Sprintf("%s, which istiod cannot decode (%v): istiod would ignore the whole mesh config and run with Istio's default one, without its outbound traffic policy, trust domain, extension providers or any other setting",
			partName("the mesh config", p), p.err)
		found = append(found, f)
	}
	for _, p := range undecodable(m.networks, &meshv1alpha1.MeshNetworks{}) {
		f := finding{component: m.component, object: m.object}
		if len(p.keys) > 0 && p.keys[0] == "networks" {
			f.valuesKeys = append([]any{"global", "meshNetworks"}, p.keys[1:]...)
		}
		f.text, f.value = offender(p.value)
		f.message = fmt.Sprintf("%s, which istiod cannot decode (%v): istiod would ignore all mesh networks, and traffic across networks would fail",
			partName("the mesh networks", p), p.err)
		found = append(found, f)
	}
	return found, meshOK
}

// undecodable decodes text into m as istiod does, and returns the parts
// that do not decode; none when the whole does.
func undecodable(text string, m protoadapt.MessageV2) []located {
	if text == "" {
		return nil
	}
	js, err := yaml.YAMLToJSON([]byte(text))
	if err != nil {
		return []located{{err: err}}
	}
	err = applyJSON(js, protoadapt.MessageV1Of(m))
	if err == nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber() // numbers decode again from their own text
	var tree any
	if dec.Decode(&tree) != nil {
		return []located{{err: err}}
	}
	return locate(protoMessage{m.ProtoReflect().Descriptor()}, tree, err)
}

// applyJSON is istio.io/istio's protomarshal.ApplyJSON: jsonpb, strict,
// then once more into the same message allowing unknown fields.
func applyJSON(js []byte, m protoadapt.MessageV1) error {
	u := jsonpb.Unmarshaler{}
	if err := u.Unmarshal(bytes.NewReader(js), m); err != nil {
		u.AllowUnknownFields = true
		return u.Unmarshal(bytes.NewReader(js), m)
	}
	return nil
}

// protoMessage is a protobuf message as jsonpb decodes it from a JSON
// object.
type protoMessage struct {
	md protoreflect.MessageDescriptor
}

func (s protoMessage) decode(v any) error { return decodeProto(s.md, v) }

func (s protoMessage) child(k any) (shape, bool) {
	key, ok := k.(string)
	if !ok {
		return nil, false
	}
	fd := protoField(s.md, key)
	switch {
	case fd == nil:
		return nil, false // unknown: ignored
	case !fd.IsList() && !fd.IsMap() && wholeMessage(fd.Message()):
		return protoMessage{fd.Message()}, true
	}
	return protoPart{md: s.md, key: key, fd: fd}, true
}

// protoPart is a field of a message that is not a message itself (a
// scalar, a list, a map, a well-known type), or one item of a list or
// map field: jsonpb decodes it only within its message.
type protoPart struct {
	md  protoreflect.MessageDescriptor
	key string
	fd  protoreflect.FieldDescriptor
	// item is the index or map key of one item; nil for the field.
	item any
}

func (p protoPart) decode(v any) error {
	switch k := p.item.(type) {
	case int:
		v = []any{v}
	case string:
		v = map[string]any{k: v}
	}
	return decodeProto(p.md, map[string]any{p.key: v})
}

func (p protoPart) child(k any) (shape, bool) {
	if p.item != nil || !p.fd.IsList() && !p.fd.IsMap() {
		return nil, false
	}
	if _, isIndex := k.(int); isIndex != p.fd.IsList() {
		return nil, false
	}
	item := p.fd.Message()
	if p.fd.IsMap() {
		item = p.fd.MapValue().Message()
	}
	if wholeMessage(item) {
		return protoMessage{item}, true
	}
	return protoPart{md: p.md, key: p.key, fd: p.fd, item: k}, true
}

// wholeMessage reports whether a field's type is a message jsonpb decodes
// field by field from a JSON object: not a scalar, and none of the
// well-known types (durations, wrappers, Struct, Any) it reads whole.
func wholeMessage(md protoreflect.MessageDescriptor) bool {
	return md != nil && md.ParentFile().Package() != "google.protobuf"
}

// protoField is the field jsonpb decodes a key into: by its name or its
// JSON name; nil for a key it ignores.
func protoField(md protoreflect.MessageDescriptor, key string) protoreflect.FieldDescriptor {
	fields := md.Fields()
	if fd := fields.ByJSONName(key); fd != nil {
		return fd
	}
	return fields.ByName(protoreflect.Name(key))
}

// decodeProto decodes a part alone into a new message of type md.
func decodeProto(md protoreflect.MessageDescriptor, v any) error {
	mt, err := protoregistry.GlobalTypes.FindMessageByName(md.FullName())
	if err != nil {
		return err
	}
	js, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return applyJSON(js, protoadapt.MessageV1Of(mt.New().Interface()))
}

// partName names a part of a decoded document and its value for a
// message: defaultConfig.holdApplicationUntilProxyStarts in the mesh
// config is "yes please".
func partName(doc string, p located) string {
	if len(p.keys) == 0 {
		return doc + " as a whole"
	}
	return fmt.Sprintf("%s in %s is %s", keysPath(p.keys), doc, describeValue(p.value))
}

// keysPath prints keys as a path from a document's root.
func keysPath(keys []any) string {
	s := mesh.FieldPath("", keys...)
	if len(s) > 0 && s[0] == '.' {
		s = s[1:]
	}
	return s
}

// describeValue prints a parsed value for a message: scalars as written,
// strings quoted, collections by their kind.
func describeValue(v any) string {
	switch x := v.(type) {
	case string:
		return mesh.Quote(x)
	case map[string]any, []any, nil:
		return mesh.ValueKind(v)
	}
	return fmt.Sprint(v) // a number or a boolean

}

// offender is how the blamer finds the raw value at fault: by its text
// when it is a scalar, else by the value.
func offender(v any) (string, any) {
	switch v.(type) {
	case map[string]any, []any:
		return "", v
	case nil:
		return "", nil
	}
	return fmt.Sprint(v), nil
}
