package conformance_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/profiles"
)

// The spec generator builds random IstioMesh specs that validation should
// accept, over the whole spec: every field of the schema (a test fails
// when the schema gains a field the generator never sets, see
// specgen_coverage_test.go), every value of every enumerated field (read
// from the schema, so a new value is generated without a change here),
// names at their length limits, unicode where the spec takes free text,
// and the settings that interact: profiles merged under the spec, control
// planes and tags, gateways in many namespaces with several Gateway
// objects each, Gateway API gateways and waypoints, namespaces with every
// injection mode. It knows the rules validation enforces well enough to
// break few of them; a spec it gets wrong is discarded by mesh.Load and
// counted, never rendered.
//
// Each spec is generated from its own random source, seeded by the run's
// seed and the spec's index, so one spec can be generated again alone.

// genConfig says what the generator may use beyond the embedded charts.
type genConfig struct {
	// otherLineRef names the charts of a second Istio line in
	// spec.revisions[].charts, and otherLineVersion is that line's version
	// (testcharts.Istio130Ref and a 1.30 version); "" leaves them out.
	otherLineRef, otherLineVersion string
	// kubeMinors are the lowest and highest Kubernetes 1.x minor versions
	// spec.kubernetesVersion takes.
	kubeMinors [2]int
	// gatewayAPIPresent are the Gateway API releases a spec may declare
	// installed (gatewayAPI.crds: present), oldest first.
	gatewayAPIPresent []string
}

// gen is the generator of one run.
type gen struct {
	r        *rand.Rand
	schema   *specSchema
	cfg      genConfig
	profiles map[string]*mesh.Resolved
}

// newGen prepares a generator: the schema's enums and every profile,
// resolved, so that the generator knows what each merges under a spec.
func newGen(t testing.TB, cfg genConfig) *gen {
	t.Helper()
	g := &gen{schema: loadSpecSchema(t), cfg: cfg, profiles: map[string]*mesh.Resolved{}}
	for _, name := range profiles.Names() {
		doc := fmt.Sprintf("apiVersion: %s\nkind: %s\nmetadata: {name: base}\nspec: {profile: %s}\n", mesh.APIVersion, mesh.Kind, name)
		m, _, err := mesh.Load([]byte(doc))
		if err != nil {
			t.Fatalf("profile %s: %v", name, err)
		}
		g.profiles[name] = m
	}
	return g
}

// spec generates spec number i of the run with the given seed.
func (g *gen) spec(seed uint64, i int) *mesh.IstioMesh {
	g.r = rand.New(rand.NewPCG(seed, uint64(i)))
	d := &draft{gen: g, m: &mesh.IstioMesh{APIVersion: mesh.APIVersion, Kind: mesh.Kind}}
	d.s = &d.m.Spec
	d.build()
	return d.m
}

// chance is true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// intn is a number from 0 to n-1.
func (g *gen) intn(n int) int { return g.r.IntN(n) }

// pick returns one of the values.
func pick[T any](g *gen, values ...T) T { return values[g.intn(len(values))] }

// enum returns a value of the enumerated field at path, as the schema
// lists them.
func (g *gen) enum(path string) string { return pick(g, g.schema.enum(path)...) }

// enumOrEmpty is enum, or empty (the field's default) a third of the time.
func (g *gen) enumOrEmpty(path string) string {
	if g.chance(0.33) {
		return ""
	}
	return g.enum(path)
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// draft is one spec being generated, with what the generator has decided
// so far that later choices must agree with.
type draft struct {
	*gen
	m    *mesh.IstioMesh
	s    *mesh.Spec
	base *mesh.Resolved // the profile merged under the spec
	root string         // the root namespace

	usesRevisions bool
	revs          []string // istio.io/rev values of the control planes, "" excluded
	tags          []string // revision tags
	defaultServed bool     // an installed control plane serves istio-injection=enabled
	// servedBy maps what a gateway's revision or a namespace's injection
	// may say (a revision, a tag, "" for a gateway naming none, enabled)
	// to the istio.io/rev value of the control plane that injects it.
	servedBy map[string]string
	ambient  bool
	meshMTLS string

	gateways    []*gatewayInfo  // the enabled gateways of spec.gateways, profile's included
	deployments map[string]bool // namespace/name of every gateway Deployment
	certs       map[string]bool // namespace/secret and "name namespace/name" of Certificates
	istioObjs   map[string]bool // namespace/name of networking.istio.io Gateway objects
	gatewayNS   map[string]bool // namespaces that run gateway pods: injection never disabled
	otherNS     map[string]bool // other namespaces the spec uses (certificates, API gateways)
	waypointFor map[string]*mesh.Namespace
	// eastWestNS is the namespace of the east-west gateway, whose pods
	// the control plane serving a gateway without revision injects; "" when
	// there is none.
	eastWestNS string
}

// gatewayInfo is what later choices need of an enabled gateway.
type gatewayInfo struct {
	name, namespace, istio string
	labels                 map[string]string
	// controlPlane injects its pods: the istio.io/rev value of one of the
	// spec's control planes, or "" for one elsewhere.
	controlPlane string
}

// build generates the whole spec.
func (d *draft) build() {
	d.deployments = map[string]bool{}
	d.certs = map[string]bool{}
	d.istioObjs = map[string]bool{}
	d.gatewayNS = map[string]bool{}
	d.otherNS = map[string]bool{}
	profile := d.enumOrEmpty("spec.profile")
	d.s.Profile = profile
	if profile == "" {
		profile = profiles.Default
	}
	d.base = d.profiles[profile]
	d.metadata()
	d.images()
	d.controlPlanes()
	d.cluster()
	d.meshConfig()
	d.classicGateways()
	d.multicluster()
	d.dayTwoMesh()
	d.platform()
	d.gatewayAPI()
	d.namespaces()
	d.rawValues()
	d.gitops()
}

// metadata names the mesh; the namespace, labels and annotations are
// accepted and ignored.
func (d *draft) metadata() {
	md := &d.m.Metadata
	md.Name = d.dnsSubdomain(253)
	if d.chance(0.2) {
		md.Namespace = d.dnsLabel(63, false)
	}
	if d.chance(0.2) {
		md.Labels = d.labelMap(3)
	}
	if d.chance(0.2) {
		md.Annotations = d.annotationMap(3)
	}
}

// line is the embedded charts' Istio release line, e.g. 1.31.
func line(version string) string {
	parts := strings.SplitN(version, ".", 3)
	return parts[0] + "." + parts[1]
}

// embeddedVersion returns a version of the embedded charts' line.
func (d *draft) embeddedVersion() string {
	l := line(mesh.DefaultVersion)
	return pick(d.gen, mesh.DefaultVersion, l+".0", l+".7", l+".12", l+".0-rc.1", l+".1-beta.0")
}

// images sets the version, hub and variant.
func (d *draft) images() {
	if d.chance(0.4) {
		d.s.Version = d.embeddedVersion()
	}
	if d.chance(0.3) {
		d.s.Hub = pick(d.gen, mesh.DefaultHub, "gcr.io/istio-release", "registry.example.com:5000/mirror/istio", "localhost:5000/istio", "quay.io/a.b/c_d/e-f")
	}
	d.s.Variant = d.enumOrEmpty("spec.variant")
}

// cluster sets the root namespace, the Kubernetes version, the CNI agent
// and ambient mode.
func (d *draft) cluster() {
	switch d.intn(6) {
	case 0, 1, 2:
		d.root = mesh.DefaultRootNamespace
	case 3:
		d.root = pick(d.gen, "istio-control", "mesh", "default")
		d.s.RootNamespace = d.root
	default:
		d.root = d.dnsLabel(63, false)
		d.s.RootNamespace = d.root
	}
	if d.root == mesh.DefaultRootNamespace && d.chance(0.3) {
		d.s.RootNamespace = d.root
	}
	if d.chance(0.6) {
		minor := d.cfg.kubeMinors[0] + d.intn(d.cfg.kubeMinors[1]-d.cfg.kubeMinors[0]+1)
		d.s.KubernetesVersion = fmt.Sprintf(pick(d.gen, "1.%d.0", "v1.%d.3", "1.%d", "v1.%d", "1.%d.12"), minor)
	}
	d.ambient = d.base.Spec.Ambient.Enabled
	if !d.ambient && d.chance(0.3) {
		d.s.Ambient.Enabled = true
		d.ambient = true
	}
	if d.chance(0.3) {
		d.s.CNI.Enabled = true
	}
	if (d.ambient || d.s.CNI.Enabled) && d.chance(0.4) {
		d.s.CNI.Namespace = pick(d.gen, "kube-system", d.root, "istio-cni", d.dnsLabel(63, false))
	}
	d.s.Proxy.LogLevel = d.enumOrEmpty("spec.proxy.logLevel")
	if d.chance(0.3) {
		d.s.Proxy.Resources = d.resources(d.base.Spec.Proxy.Resources != nil)
	}
}
