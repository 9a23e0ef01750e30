package mesh

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// DefaultRevisionName names the default (unrevisioned) control plane in
// spec.revisions: its istiod is called istiod, and Istio labels it
// istio.io/rev=default.
const DefaultRevisionName = "default"

// Revision is one control plane of spec.revisions: an istiod of its own
// Istio version, rendered from its own charts, installed beside the others
// so that workloads move to it one namespace (or one tag) at a time.
type Revision struct {
	// Name of the revision, e.g. 1-31-0: its istiod is istiod-<name> and
	// namespaces select it with istio.io/rev=<name>. No dots. The name
	// "default" is the default, unrevisioned control plane (istiod), which
	// serves istio-injection=enabled itself.
	Name string `json:"name"`
	// Version is the revision's Istio version and image tag, e.g. 1.31.0.
	// Default: spec.version.
	Version string `json:"version,omitempty"`
	// Charts names where the revision's charts come from: empty for the
	// charts the render is given (the embedded ones unless --charts or
	// render.Options.Charts say otherwise), else a folder of chart folders
	// or of .tgz archives as `helm pull` downloads them. A relative folder
	// is relative to the spec file; the library resolves it only through
	// render.Options.RevisionCharts.
	Charts string `json:"charts,omitempty"`
	// Values are raw Helm values for this revision's istiod, merged over
	// spec.values.istiod.
	Values Values `json:"values,omitempty"`
}

// Istiod is one control plane a spec installs, however the spec names it:
// spec.revision and spec.canary, or an element of spec.revisions.
type Istiod struct {
	// Revision is the revision as charts and labels name it: "" for the
	// default (unrevisioned) control plane.
	Revision string
	// Version is the Istio version it runs.
	Version string
	// Charts is its chart reference (spec.revisions[].charts); "" for the
	// charts the render is given.
	Charts string
	// Tags are the revision tags that point at it, in the order the spec
	// gives them (spec.revisionTags) or sorted (spec.tags).
	Tags []string
	// At is the field path of the revision in the spec: spec.revision,
	// spec.canary or spec.revisions[i].
	At string
	// VersionAt is the field path its version comes from.
	VersionAt string
	// ValuesAt and Values are the raw values of its own, over
	// spec.values.istiod: spec.canary.values or spec.revisions[i].values.
	ValuesAt string
	Values   Values
}

// Label is the istio.io/rev value of the control plane: its revision, or
// "default".
func (i *Istiod) Label() string {
	if i.Revision == "" {
		return DefaultRevisionName
	}
	return i.Revision
}

// UsesRevisions reports whether the spec lists its control planes in
// spec.revisions rather than with spec.revision and spec.canary.
func (s *Spec) UsesRevisions() bool { return len(s.Revisions) > 0 }

// Istiods lists the control planes the spec installs, in the order the
// spec gives them. spec.revision with spec.revisionTags is the first,
// spec.canary with its tags the second; spec.revisions are taken as they
// are, spec.tags sorted by tag name. Each call returns new values.
func (s *Spec) Istiods() []Istiod {
	if !s.UsesRevisions() {
		out := []Istiod{{
			Revision: s.Revision, Version: s.Version, Tags: slices.Clone(s.RevisionTags),
			At: "spec.revision", VersionAt: "spec.version",
		}}
		if c := s.Canary; c != nil {
			out = append(out, Istiod{
				Revision: c.Revision, Version: c.Version, Tags: slices.Clone(c.RevisionTags),
				At: "spec.canary", VersionAt: "spec.canary.version",
				ValuesAt: "spec.canary.values", Values: c.Values,
			})
		}
		return out
	}
	out := make([]Istiod, len(s.Revisions))
	for i, r := range s.Revisions {
		at := fmt.Sprintf("spec.revisions[%d]", i)
		out[i] = Istiod{
			Revision: chartRevision(r.Name), Version: r.Version, Charts: r.Charts,
			At: at, VersionAt: at + ".version", ValuesAt: at + ".values", Values: r.Values,
		}
	}
	for _, tag := range slices.Sorted(maps.Keys(s.Tags)) {
		for i := range out {
			if out[i].Label() == s.Tags[tag] {
				out[i].Tags = append(out[i].Tags, tag)
			}
		}
	}
	return out
}

// chartRevision is the chart's revision value for a name of
// spec.revisions: "" for the default revision.
func chartRevision(name string) string {
	if name == DefaultRevisionName {
		return ""
	}
	return name
}

// TagTargets maps every revision tag of the spec to the istio.io/rev value
// of the control plane it points at. Each call returns a new map.
func (s *Spec) TagTargets() map[string]string {
	out := map[string]string{}
	for _, d := range s.Istiods() {
		for _, t := range d.Tags {
			out[t] = d.Label()
		}
	}
	return out
}

// DefaultIstiod is the index in Istiods of the control plane that serves
// the default: the one the tag "default" points at, else the default
// revision, else the first. Base's default validation webhook points at it
// (Helm value defaultRevision), and with spec.revisions the CNI agent,
// ztunnel and gateways that name no revision follow it.
func (s *Spec) DefaultIstiod() int {
	ds := s.Istiods()
	for i, d := range ds {
		if slices.Contains(d.Tags, DefaultRevisionName) {
			return i
		}
	}
	for i, d := range ds {
		if d.Revision == "" {
			return i
		}
	}
	return 0
}

// NewestIstiod is the index in Istiods of the control plane of the highest
// Istio version (the first of those, on a tie): with spec.revisions, the
// base chart (CRDs and the default validator) comes from its charts,
// because CRDs must be as new as the newest control plane that reads them.
func (s *Spec) NewestIstiod() int {
	ds := s.Istiods()
	best := 0
	for i := range ds {
		if compareVersions(ds[i].Version, ds[best].Version) > 0 {
			best = i
		}
	}
	return best
}

// ServingIstiod is the index in Istiods of the control plane that a
// revision or tag name (as namespaces and gateways give it) selects, or
// -1 when none of the spec does.
func (s *Spec) ServingIstiod(name string) int {
	if t, ok := s.TagTargets()[name]; ok {
		name = t
	}
	for i, d := range s.Istiods() {
		if d.Label() == name {
			return i
		}
	}
	return -1
}

// compareVersions orders two Istio versions such as 1.30.4 and 1.31.0 by
// major, minor and patch; text after the patch (a pre-release) is ignored.
func compareVersions(a, b string) int {
	pa, pb := versionParts(a), versionParts(b)
	for i := range pa {
		if pa[i] != pb[i] {
			if pa[i] < pb[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// versionParts parses major, minor and patch of a version such as 1.31.0
// or 1.31.0-beta.1; missing or unreadable parts are 0.
func versionParts(v string) [3]int {
	var out [3]int
	core, _, _ := strings.Cut(strings.TrimPrefix(v, "v"), "-")
	for i, p := range strings.SplitN(core, ".", 3) {
		n, err := strconv.Atoi(p)
		if err != nil {
			break
		}
		out[i] = n
	}
	return out
}
