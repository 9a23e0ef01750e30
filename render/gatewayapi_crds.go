package render

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/istio-render/istio-render/mesh"
)

// The Kubernetes Gateway API CRDs are data, not code: the objects of the
// upstream install bundle of one channel (every gateway*.yaml file of
// config/crd/<channel> in the sigs.k8s.io/gateway-api module, as its
// release's <channel>-install.yaml holds them), written once in render's
// canonical form. Nothing of the module is compiled in, so importers of
// this library get no new module; TestGatewayAPIBundle regenerates the
// files from the module of the version the embedded Istio requires and
// requires them unchanged (`go test ./render -run TestGatewayAPIBundle
// -update` rewrites them).

// The embedded bundles: a header line "gateway-api <version> <channel>",
// then for each object a line "object <apiVersion> <kind> <name> <length>"
// followed by exactly length bytes of YAML. They are sliced, never parsed
// as YAML, and only by a render that asks for them.
var (
	//go:embed gatewayapi-standard.gen.txt
	gatewayAPIStandardText string
	//go:embed gatewayapi-experimental.gen.txt
	gatewayAPIExperimentalText string
)

// gatewayAPIBundle is one channel's objects.
type gatewayAPIBundle struct {
	Version, Channel string
	Objects          []bundledObject
}

// bundledObject is one object of a bundle, serialized as render writes it.
type bundledObject struct {
	APIVersion, Kind, Name string
	YAML                   string
}

// The bundles are read on first use; reading one slices its text.
var (
	gatewayAPIStandard     = sync.OnceValues(func() (*gatewayAPIBundle, error) { return parseGatewayAPIBundle(gatewayAPIStandardText) })
	gatewayAPIExperimental = sync.OnceValues(func() (*gatewayAPIBundle, error) { return parseGatewayAPIBundle(gatewayAPIExperimentalText) })
)

// parseGatewayAPIBundle reads the text form of a bundle.
func parseGatewayAPIBundle(text string) (*gatewayAPIBundle, error) {
	header, rest, ok := strings.Cut(text, "\n")
	f := strings.Fields(header)
	if !ok || len(f) != 3 || f[0] != "gateway-api" {
		return nil, fmt.Errorf("the Gateway API bundle has no header line")
	}
	b := &gatewayAPIBundle{Version: f[1], Channel: f[2]}
	for rest != "" {
		line, tail, ok := strings.Cut(rest, "\n")
		f := strings.Fields(line)
		if !ok || len(f) != 5 || f[0] != "object" {
			return nil, fmt.Errorf("the Gateway API bundle has a bad entry line %q", truncateLine(line))
		}
		n, err := strconv.Atoi(f[4])
		if err != nil || n < 0 || n > len(tail) {
			return nil, fmt.Errorf("the Gateway API bundle has a bad length in %q", truncateLine(line))
		}
		b.Objects = append(b.Objects, bundledObject{APIVersion: f[1], Kind: f[2], Name: f[3], YAML: tail[:n]})
		rest = tail[n:]
	}
	return b, nil
}

// formatGatewayAPIBundle writes the text form of a bundle.
func formatGatewayAPIBundle(b *gatewayAPIBundle) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "gateway-api %s %s\n", b.Version, b.Channel)
	for _, o := range b.Objects {
		fmt.Fprintf(&sb, "object %s %s %s %d\n%s", o.APIVersion, o.Kind, o.Name, len(o.YAML), o.YAML)
	}
	return sb.String()
}

// gatewayAPIChannel returns the embedded bundle of a channel.
func gatewayAPIChannel(channel string) (*gatewayAPIBundle, error) {
	switch channel {
	case mesh.GatewayAPIStandard:
		return gatewayAPIStandard()
	case mesh.GatewayAPIExperimental:
		return gatewayAPIExperimental()
	}
	return nil, fmt.Errorf("no embedded Gateway API bundle for channel %q", channel)
}

// gatewayAPICRDs renders the Gateway API CRDs and the bundle's
// ValidatingAdmissionPolicy that guards them against downgrades, when the
// spec asks for them; validation has made sure the version is the
// embedded one.
func gatewayAPICRDs(s *mesh.Spec) ([]Resource, error) {
	g := &s.GatewayAPI
	if g.CRDs != mesh.GatewayAPICRDsRender {
		return nil, nil
	}
	b, err := gatewayAPIChannel(g.Channel)
	if err != nil {
		return nil, err
	}
	if b.Version != g.Version {
		return nil, fmt.Errorf("the embedded Gateway API %s bundle is %s, not %s", b.Channel, b.Version, g.Version)
	}
	out := make([]Resource, len(b.Objects))
	for i, o := range b.Objects {
		out[i] = Resource{
			Component:  ComponentGatewayAPI,
			APIVersion: o.APIVersion,
			Kind:       o.Kind,
			Name:       o.Name,
			YAML:       []byte(o.YAML),
		}
	}
	return out, nil
}
