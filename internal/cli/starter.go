package cli

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"
	"unicode"

	k8svalidation "k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/profiles"
)

// starterTemplate is the spec init writes. Lines with {{.C}} after their
// indentation are example settings: commented out in the starter, active
// when the examples are enabled (which the tests do, to prove they load).
const starterTemplate = `{{with .Schema}}# yaml-language-server: $schema={{.}}
{{end}}# An IstioMesh spec: the one file istio-render renders into a complete
# Istio install. Only apiVersion, kind and metadata.name are required; a
# field left out takes its profile's value or its documented default.
# Commented lines are examples to start from.
#
#   istio-render validate -f mesh.yaml           check it, field by field
#   istio-render render -f mesh.yaml -o deploy   render a folder to commit
#   istio-render schema --help                   completion in your editor
apiVersion: {{.APIVersion}}
kind: {{.Kind}}
metadata:
  name: {{.Name}}
spec:
  # The preset merged under this spec: {{.Profiles}}.
  # istio-render profiles describes them.
  profile: {{.Profile}}

  # Istio image tag and registry. The embedded charts render the {{.Line}}
  # line; another release needs its charts (render --charts DIR).
  {{.C}}version: {{.Version}}
  {{.C}}hub: {{.Hub}}

  # Name this control plane (istiod-<revision>) for canary upgrades, and
  # give it tags that namespaces select it by.
  {{.C}}revision: blue
  {{.C}}revisionTags: [prod-stable]

  # istiod's size and placement: replicas: N or autoscale: {min, max} (a
  # PodDisruptionBudget comes with 2 or more), resources, topology spread.
  {{.C}}controlPlane:
    {{.C}}resources:
      {{.C}}requests: {cpu: 500m, memory: 2Gi}
    {{.C}}topologySpread:
    {{.C}}- topologyKey: topology.kubernetes.io/zone

  # Mesh-wide settings.
  {{.C}}mesh:
    # mTLS between workloads: STRICT (mTLS only) or PERMISSIVE (also accept
    # plain text, while workloads join the mesh). Left out, the profile's.
    {{.C}}mtls: STRICT
    # REGISTRY_ONLY: workloads reach only services the mesh knows.
    {{.C}}outboundTrafficPolicy: REGISTRY_ONLY
    {{.C}}accessLogFile: /dev/stdout

  # Gateways, merged by name with the profile's. Servers configure the
  # Gateway object: hosts, TLS, and a cert-manager Certificate if wanted.
  {{.C}}gateways:
  {{.C}}- name: istio-ingressgateway
    {{.C}}servers:
    {{.C}}- hosts: ["*"]
      {{.C}}httpsRedirect: true
    {{.C}}- hosts: [shop.example.com]
      {{.C}}tls: {mode: SIMPLE, credentialName: shop-tls}
      {{.C}}certificate:
        {{.C}}issuerRef: {name: letsencrypt}

  # Application namespaces to create: sidecar injection (enabled, ambient,
  # or a revision or tag), mTLS, and default-deny authorization.
  {{.C}}namespaces:
  {{.C}}- name: shop
    {{.C}}injection: prod-stable
    {{.C}}mtls: STRICT
    {{.C}}authorization:
      {{.C}}defaultDeny: true
      {{.C}}allowSameNamespace: true
      {{.C}}allowFromGateways: [istio-ingressgateway]
`

// starterOptions choose what init writes.
type starterOptions struct {
	name, profile, schema string
	// examples turns the commented example settings on.
	examples bool
}

// starter renders the starter spec.
func starter(o starterOptions) ([]byte, error) {
	if _, err := profiles.Get(o.profile); err != nil {
		return nil, usageError("%v", err)
	}
	if errs := k8svalidation.IsDNS1123Subdomain(o.name); len(errs) > 0 {
		return nil, usageError("--name %s: not a valid metadata.name: %s", mesh.Quote(o.name), strings.Join(errs, "; "))
	}
	if strings.ContainsFunc(o.schema, unicode.IsControl) {
		return nil, usageError("--schema %s: a file name or URL on one line", mesh.Quote(o.schema))
	}
	// A name such as yes or 1.10 is written quoted, as YAML then reads it
	// back as text.
	name, err := yaml.Marshal(o.name)
	if err != nil {
		return nil, fmt.Errorf("writing the name: %w", err)
	}
	t, err := template.New("starter").Parse(starterTemplate)
	if err != nil {
		return nil, fmt.Errorf("parsing the starter spec: %w", err)
	}
	c := "# "
	if o.examples {
		c = ""
	}
	var b bytes.Buffer
	err = t.Execute(&b, map[string]any{
		"Schema":     o.schema,
		"APIVersion": mesh.APIVersion,
		"Kind":       mesh.Kind,
		"Name":       strings.TrimSuffix(string(name), "\n"),
		"Profile":    o.profile,
		"Profiles":   strings.Join(profiles.Names(), ", "),
		"Line":       charts.EmbeddedLine,
		"Version":    mesh.DefaultVersion,
		"Hub":        mesh.DefaultHub,
		"C":          c,
	})
	if err != nil {
		return nil, fmt.Errorf("writing the starter spec: %w", err)
	}
	return b.Bytes(), nil
}
