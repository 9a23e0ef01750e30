package iop

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/internal/merge"
	"github.com/istio-render/istio-render/mesh"
)

// APIVersion and Kind identify an IstioOperator.
const (
	APIVersion = "install.istio.io/v1alpha1"
	Kind       = "IstioOperator"
)

// Note is one IstioOperator field, located by its path, with what the
// import did with it or what to do about it.
type Note struct {
	// Field is the path in the IstioOperator, e.g.
	// spec.components.pilot.k8s.overlays.
	Field string
	// Message says why and what to do.
	Message string
}

// String returns "field: message".
func (n Note) String() string {
	if n.Field == "" {
		return n.Message
	}
	return n.Field + ": " + n.Message
}

// Result is an IstioOperator imported as an IstioMesh.
type Result struct {
	// Mesh is the spec as it should be written: its profile named, not
	// merged; defaults left to istio-render.
	Mesh mesh.IstioMesh
	// Unmapped names every field not carried over, with what to do.
	Unmapped []Note
	// Notes say how fields that have no exact counterpart were carried
	// over.
	Notes []Note
}

// Error is an IstioOperator that cannot be imported at all.
type Error struct {
	Field, Message string
}

// Error returns "field: message".
func (e *Error) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// Import reads one IstioOperator document and returns the equivalent
// IstioMesh spec. A document that holds only the fields of an
// IstioOperator's spec (profile, components, values, ...) is read as that
// spec, with a note. The result is a valid spec: mesh.Resolve accepts it.
func Import(data []byte) (*Result, error) {
	if len(data) > mesh.MaxSpecBytes {
		return nil, &Error{Message: fmt.Sprintf("the file is %d bytes; the limit is %d", len(data), mesh.MaxSpecBytes)}
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{Message: fmt.Sprintf("not YAML: %v", err)}
	}
	if doc == nil {
		return nil, &Error{Message: "empty: expected one IstioOperator"}
	}
	imp := &importer{res: &Result{Mesh: mesh.IstioMesh{APIVersion: mesh.APIVersion, Kind: mesh.Kind}}, listed: map[string]bool{}, replaced: map[string]bool{}, altEnabled: map[string]bool{}}
	root := newObj("", doc)
	av, kind := root.str("apiVersion"), root.str("kind")
	var spec *obj
	switch {
	case av == "" && kind == "" && !root.has("spec"):
		imp.note("", "read as the spec of an IstioOperator: the file has no apiVersion and kind")
		spec = root
		spec.path = "spec"
		imp.res.Mesh.Metadata.Name = "imported"
	case kind != Kind:
		return nil, &Error{Field: "kind", Message: fmt.Sprintf("%s is not %s", strconv.Quote(kind), Kind)}
	case av != APIVersion:
		return nil, &Error{Field: "apiVersion", Message: fmt.Sprintf("%s is not %s", strconv.Quote(av), APIVersion)}
	default:
		md := root.sub("metadata")
		imp.res.Mesh.Metadata.Name = or(md.str("name"), "imported")
		imp.namespace = md.str("namespace")
		md.raw(nil) // labels, annotations: nothing renders them
		spec = root.sub("spec")
		imp.rest(root)
	}
	if err := imp.spec(spec); err != nil {
		var ve *mesh.ValidationError
		if errors.As(err, &ve) {
			return nil, &Error{Message: fmt.Sprintf("the imported spec is not valid, because the IstioOperator sets values the spec checks: %v", err)}
		}
		return nil, err
	}
	for _, notes := range [][]Note{imp.res.Unmapped, imp.res.Notes} {
		slices.SortStableFunc(notes, func(a, b Note) int { return strings.Compare(a.Field, b.Field) })
	}
	if _, _, err := mesh.Resolve(&imp.res.Mesh); err != nil {
		var ve *mesh.ValidationError
		if errors.As(err, &ve) {
			return nil, &Error{Message: fmt.Sprintf("the imported spec is not valid, because the IstioOperator sets values the spec checks: %v", err)}
		}
		return nil, err
	}
	return imp.res, nil
}

// importer carries an import under way.
type importer struct {
	res *Result
	// namespace is metadata.namespace, the default control plane
	// namespace.
	namespace string
	// chartProfile is the charts' own profile (values.profile) istioctl
	// gives every chart.
	chartProfile string
	// legacy are the values.gateways settings, laid under the gateways'
	// own once the components are read.
	legacy []legacyDefaults
	// listed are the gateways the components lists name.
	listed map[string]bool
	// replaced are the kinds of gateway whose list the IstioOperator gives.
	replaced map[string]bool
	// altEnabled are the kinds of gateway values.gateways enables.
	altEnabled map[string]bool
	// shared are values set on each chart the spec renders.
	shared []sharedValue
}

// unmapped records a field not carried over.
func (imp *importer) unmapped(field, format string, args ...any) {
	imp.res.Unmapped = append(imp.res.Unmapped, Note{Field: field, Message: fmt.Sprintf(format, args...)})
}

// note records how a field was carried over.
func (imp *importer) note(field, format string, args ...any) {
	imp.res.Notes = append(imp.res.Notes, Note{Field: field, Message: fmt.Sprintf(format, args...)})
}

// rest reports every key of o not read as unmapped.
func (imp *importer) rest(o *obj) {
	for _, k := range o.rest() {
		imp.unmapped(o.at(k), "not an IstioOperator field istio-render knows; nothing was carried over")
	}
}

// profiles maps istioctl's profiles to the IstioMesh profile that renders
// the same components, and the charts' own profile istioctl selects with
// it (values.profile).
var profiles = map[string]struct{ mesh, chart string }{
	"":                  {"default", ""},
	"default":           {"default", ""},
	"minimal":           {"minimal", ""},
	"demo":              {"demo", "demo"},
	"ambient":           {"ambient", ""},
	"preview":           {"default", "preview"},
	"stable":            {"default", "stable"},
	"empty":             {"minimal", ""},
	"remote":            {"minimal", "remote"},
	"openshift":         {"default", ""},
	"openshift-ambient": {"ambient", ""},
}

// spec maps an IstioOperator's spec.
func (imp *importer) spec(spec *obj) error {
	s := &imp.res.Mesh.Spec
	name := spec.str("profile")
	p, ok := profiles[name]
	if !ok {
		return &Error{Field: spec.at("profile"), Message: fmt.Sprintf("%s is not an istioctl profile", strconv.Quote(name))}
	}
	s.Profile = p.mesh
	imp.chartProfile = p.chart
	switch name {
	case "empty":
		imp.note(spec.at("profile"), "empty renders what the components enable; istio-render always renders base and istiod, so the minimal profile it is")
	case "openshift", "openshift-ambient":
		s.CNI.Enabled = true
		s.CNI.Namespace = "kube-system"
		imp.platform("openshift")
	}
	if hub := spec.str("hub"); hub != "" {
		s.Hub = hub
	}
	imp.tag(spec.at("tag"), spec.str("tag"))
	if ns := or(spec.str("namespace"), imp.namespace); ns != "" {
		s.RootNamespace = ns
	}
	if r := spec.str("revision"); r != "" {
		s.Revision = r
	}
	if v := spec.str("compatibilityVersion"); v != "" {
		imp.everyChart("compatibilityVersion", v)
	}
	if path := spec.str("installPackagePath"); path != "" {
		imp.unmapped(spec.at("installPackagePath"), "charts from %s: render with them using --charts, or name them per revision in spec.revisions[].charts", strconv.Quote(path))
	}
	// values before meshConfig and components: the later are more specific,
	// as istioctl lays them.
	vals := spec.sub("values")
	if uv, ok := spec.get("unvalidatedValues"); ok {
		imp.note(spec.at("unvalidatedValues"), "carried over as values")
		for k, v := range newObj("", uv).m {
			if _, set := vals.m[k]; !set {
				if vals.m == nil {
					vals.m = map[string]any{}
				}
				vals.m[k] = v
			}
		}
	}
	imp.values(vals)
	imp.meshConfig(spec.sub("meshConfig"))
	imp.components(spec.sub("components"))
	switch {
	case imp.chartProfile == "demo" && s.Profile != "ambient":
		// istio-render's demo profile sets what the charts' demo profile
		// sets for istiod, proxies and gateways.
		s.Profile = "demo"
	case s.Ambient.Enabled && s.Profile == "default":
		s.Profile = "ambient"
	}
	if s.Profile == "ambient" {
		// The ambient profile runs the CNI agent and ztunnel.
		s.Ambient.Enabled = false
		s.CNI.Enabled = s.CNI.Namespace != "" && s.CNI.Enabled
	}
	imp.reconcileGateways(name)
	imp.applyLegacy()
	imp.tidyGateways()
	if imp.chartProfile != "" {
		imp.everyChart("profile", imp.chartProfile)
	}
	imp.rest(spec)
	return imp.applyShared()
}

var (
	versionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)
	variants  = []string{"distroless", "debug"}
)

// tag maps an image tag to spec.version and spec.variant.
func (imp *importer) tag(field, tag string) {
	if tag == "" {
		return
	}
	s := &imp.res.Mesh.Spec
	for _, v := range variants {
		if base, ok := strings.CutSuffix(tag, "-"+v); ok {
			tag = base
			s.Variant = v
		}
	}
	if !versionRE.MatchString(tag) {
		imp.unmapped(field, "%s is not an Istio version; set spec.version to the version the images are of", strconv.Quote(tag))
		return
	}
	s.Version = tag
}

// platform selects the charts' platform profile, as values.global.platform
// does.
func (imp *importer) platform(name string) {
	for _, chart := range []string{"istiod", "cni", "ztunnel", "gateway"} {
		imp.shared = append(imp.shared, sharedValue{chart, []string{"global", "platform"}, name})
	}
}

// everyChart sets a top-level value on every chart, as istioctl gives all
// of its values to every chart.
func (imp *importer) everyChart(key string, v any) {
	for _, chart := range []string{"base", "istiod", "gateway", "cni", "ztunnel"} {
		imp.shared = append(imp.shared, sharedValue{chart, []string{key}, v})
	}
}

// sharedValue is a value istioctl gives several charts, set on those the
// spec renders.
type sharedValue struct {
	chart string
	path  []string
	value any
}

// applyShared sets the shared values on the charts the spec renders: base
// and istiod, a gateway's when it has one, the CNI agent's and ztunnel's
// when they run.
func (imp *importer) applyShared() error {
	r, _, err := mesh.Resolve(&imp.res.Mesh)
	if err != nil {
		return err
	}
	rendered := map[string]bool{"base": true, "istiod": true, "cni": r.Spec.CNI.Enabled, "ztunnel": r.Spec.Ambient.Enabled}
	for _, g := range r.Spec.Gateways {
		rendered["gateway"] = rendered["gateway"] || g.IsEnabled()
	}
	for _, sv := range imp.shared {
		if rendered[sv.chart] {
			setPath(imp.chartValues(sv.chart), sv.value, sv.path...)
		}
	}
	return nil
}

// setPath sets a value at a path of raw values, creating maps.
func setPath(vals *mesh.Values, v any, keys ...string) {
	if *vals == nil {
		*vals = mesh.Values{}
	}
	merge.Set(*vals, v, keys...)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
