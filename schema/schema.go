package schema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

	"github.com/invopop/jsonschema"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/profiles"
)

// JSON returns the JSON Schema (draft 2020-12) of an IstioMesh document,
// indented. The same build always returns the same bytes.
func JSON() ([]byte, error) {
	s, err := generate()
	if err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the IstioMesh schema: %w", err)
	}
	return append(out, '\n'), nil
}

// generate reflects the mesh types and refines the result.
func generate() (*jsonschema.Schema, error) {
	docs := comments()
	r := &jsonschema.Reflector{
		Anonymous:                  true,
		ExpandedStruct:             true,
		RequiredFromJSONSchemaTags: true,
		CommentMap:                 docs,
		Mapper:                     func(t reflect.Type) *jsonschema.Schema { return scalar(t, docs) },
	}
	s := r.Reflect(&mesh.IstioMesh{})
	s.Title = mesh.Kind
	if err := refine(s); err != nil {
		return nil, err
	}
	return s, nil
}

// quantityPattern is Kubernetes' resource quantity syntax, without the
// negative sign the spec rejects.
const quantityPattern = `^\+?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$`

// scalar maps the spec's own scalar types, which decode from more than one
// JSON type.
func scalar(t reflect.Type, docs map[string]string) *jsonschema.Schema {
	name := t.PkgPath() + "." + t.Name()
	switch t {
	case reflect.TypeFor[mesh.Quantity]():
		return &jsonschema.Schema{
			Description: docs[name],
			AnyOf: []*jsonschema.Schema{
				{Type: "string", Pattern: quantityPattern},
				{Type: "number", Minimum: "0"},
			},
		}
	case reflect.TypeFor[mesh.IntOrString]():
		return &jsonschema.Schema{
			Description: docs[name],
			AnyOf: []*jsonschema.Schema{
				{Type: "integer", Minimum: "0"},
				{Type: "string", Pattern: `^[0-9]+%$`},
			},
		}
	}
	return nil
}

// refine adds what the Go types cannot say: the fixed apiVersion and kind,
// the fields every document needs, and the accepted values of enumerated
// fields.
func refine(s *jsonschema.Schema) error {
	s.Required = []string{"apiVersion", "kind", "metadata", "spec"}
	if err := setProperty(s, "apiVersion", func(p *jsonschema.Schema) { p.Const = mesh.APIVersion }); err != nil {
		return err
	}
	if err := setProperty(s, "kind", func(p *jsonschema.Schema) { p.Const = mesh.Kind }); err != nil {
		return err
	}
	for def, fields := range requiredFields() {
		d, ok := s.Definitions[def]
		if !ok {
			return fmt.Errorf("schema: no definition %s", def)
		}
		d.Required = fields
	}
	for _, e := range enums() {
		d, ok := s.Definitions[e.def]
		if !ok {
			return fmt.Errorf("schema: no definition %s", e.def)
		}
		values := make([]any, len(e.values))
		for i, v := range e.values {
			values[i] = v
		}
		if err := setProperty(d, e.field, func(p *jsonschema.Schema) { p.Enum = values }); err != nil {
			return fmt.Errorf("schema: %s: %w", e.def, err)
		}
	}
	nullable(s)
	for _, d := range s.Definitions {
		nullable(d)
	}
	return nil
}

// nullable lets every optional property of an object be null, because a
// null in a spec removes what its profile sets there.
func nullable(s *jsonschema.Schema) {
	if s.Properties == nil {
		return
	}
	for name, p := range s.Properties.FromOldest() {
		if slices.Contains(s.Required, name) {
			continue
		}
		switch {
		case p.Ref != "":
			p.AnyOf = []*jsonschema.Schema{{Ref: p.Ref}, {Type: "null"}}
			p.Ref = ""
		case p.AnyOf != nil:
			p.AnyOf = append(p.AnyOf, &jsonschema.Schema{Type: "null"})
		case p.Type != "":
			if p.Extras == nil {
				p.Extras = map[string]any{}
			}
			p.Extras["type"] = []string{p.Type, "null"}
			p.Type = ""
			if p.Enum != nil {
				p.Enum = append(p.Enum, nil)
			}
		}
	}
}

// setProperty changes one property of an object schema.
func setProperty(s *jsonschema.Schema, name string, set func(*jsonschema.Schema)) error {
	if s.Properties == nil {
		return fmt.Errorf("no property %s", name)
	}
	p, ok := s.Properties.Get(name)
	if !ok {
		return fmt.Errorf("no property %s", name)
	}
	set(p)
	return nil
}

// requiredFields lists, per definition, the fields a document must set whatever
// its profile: the names lists are merged by, and what validation requires
// of every item of a list a profile cannot supply.
func requiredFields() map[string][]string {
	return map[string][]string{
		"Metadata":       {"name"},
		"Gateway":        {"name"},
		"Namespace":      {"name"},
		"Canary":         {"revision"},
		"Server":         {"hosts"},
		"ServerTLS":      {"mode"},
		"IssuerRef":      {"name"},
		"TopologySpread": {"topologyKey"},
		"GatewayObject":  {"name"},
		"APIGateway":     {"name"},
		"CertificateRef": {"name"},
		"EgressHost":     {"host"},
		"EgressPort":     {"port"},
		"PluginCA":       {"issuerRef"},
		"NamespaceScope": {"hosts"},
	}
}

// enum is the list of values a field accepts.
type enum struct {
	def, field string
	values     []string
}

// enums lists the enumerated fields. Workload fields appear under both
// definitions that inline a Workload.
func enums() []enum {
	return []enum{
		{"Spec", "profile", profiles.Names()},
		{"Spec", "variant", []string{"", "debug", "distroless"}},
		{"ControlPlane", "logLevel", []string{"debug", "info", "warn", "error"}},
		{"ControlPlane", "antiAffinity", []string{"preferred", "required"}},
		{"Gateway", "antiAffinity", []string{"preferred", "required"}},
		{"Gateway", "kind", []string{"ingress", "egress"}},
		{"TopologySpread", "whenUnsatisfiable", []string{"ScheduleAnyway", "DoNotSchedule"}},
		{"Proxy", "logLevel", []string{"trace", "debug", "info", "warning", "error", "critical", "off"}},
		{"MeshConfig", "mtls", []string{"STRICT", "PERMISSIVE"}},
		{"MeshConfig", "outboundTrafficPolicy", []string{"ALLOW_ANY", "REGISTRY_ONLY"}},
		{"Tracing", "provider", []string{"zipkin", "opentelemetry"}},
		{"GatewayService", "type", []string{"LoadBalancer", "ClusterIP", "NodePort"}},
		{"GatewayService", "externalTrafficPolicy", []string{"Cluster", "Local"}},
		{"ServerTLS", "mode", []string{"SIMPLE", "MUTUAL", "PASSTHROUGH"}},
		{"ServerTLS", "minProtocolVersion", []string{"TLSV1_2", "TLSV1_3"}},
		{"Namespace", "mtls", []string{"STRICT", "PERMISSIVE", "DISABLE"}},
		{"IssuerRef", "kind", []string{"Issuer", "ClusterIssuer"}},
		{"GitOps", "tool", []string{mesh.ToolPlain, mesh.ToolArgoCD, mesh.ToolFlux}},
		{"FluxSourceRef", "kind", []string{"GitRepository", "OCIRepository", "Bucket"}},
		{"GatewayAPI", "crds", []string{"render", "present"}},
		{"GatewayAPI", "channel", []string{"standard", "experimental"}},
		{"ClassService", "type", []string{"LoadBalancer", "ClusterIP", "NodePort"}},
		{"ClassService", "externalTrafficPolicy", []string{"Cluster", "Local"}},
		{"APIGateway", "serviceType", []string{"LoadBalancer", "ClusterIP", "NodePort"}},
		{"Listener", "protocol", []string{"HTTP", "HTTPS", "TLS", "TCP"}},
		{"ListenerTLS", "mode", []string{"Terminate", "Passthrough"}},
		{"AllowedRoutes", "from", []string{"Same", "All", "Selector"}},
		{"Waypoint", "for", []string{"service", "workload", "all", "none"}},
		{"Spec", "platform", mesh.Platforms()},
		{"Toleration", "operator", []string{"Equal", "Exists"}},
		{"Toleration", "effect", []string{"NoSchedule", "PreferNoSchedule", "NoExecute"}},
		{"EgressHost", "resolution", []string{"DNS", "DNS_ROUND_ROBIN", "NONE"}},
		{"EgressPort", "protocol", []string{"TLS", "HTTPS", "HTTP", "HTTP2", "GRPC", "TCP"}},
		{"CA", "type", []string{mesh.CAIstiod, mesh.CAPlugin, mesh.CAIstioCSR}},
		{"Multicluster", "model", []string{mesh.ModelMultiPrimary, mesh.ModelPrimaryRemote, mesh.ModelRemote}},
		{"EastWestGateway", "antiAffinity", []string{"preferred", "required"}},
	}
}
