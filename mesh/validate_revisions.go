package mesh

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// validateRevisions checks spec.revisions and spec.tags and records each
// tag's field path in tags.
func (s *Spec) validateRevisions(p *problems, tags map[string]string) {
	const instead = "cannot be set with spec.revisions: name every control plane in spec.revisions and every tag in spec.tags (see docs/upgrade.md)"
	if s.Revision != "" {
		p.errorf("spec.revision", "%s", instead)
	}
	if len(s.RevisionTags) > 0 {
		p.errorf("spec.revisionTags", "%s", instead)
	}
	if s.Canary != nil {
		p.errorf("spec.canary", "%s", instead)
	}
	names := map[string]string{}
	for i := range s.Revisions {
		r := &s.Revisions[i]
		at := fmt.Sprintf("spec.revisions[%d]", i)
		switch {
		case r.Name == "":
			p.errorf(at+".name", "required, e.g. %s: the revision's istiod is istiod-<name>", quote(strings.ReplaceAll(DefaultVersion, ".", "-")))
		case r.Name == DefaultRevisionName:
		default:
			revision(p, at+".name", r.Name)
		}
		if first, dup := names[r.Name]; dup && r.Name != "" {
			p.errorf(at+".name", "duplicate revision %s (first at %s)", quote(r.Name), first)
		} else if r.Name != "" {
			names[r.Name] = at
		}
		if !semverRE.MatchString(r.Version) {
			p.errorf(at+".version", "%s is not an Istio version such as %s", quote(r.Version), DefaultVersion)
		}
		if strings.ContainsFunc(r.Charts, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
			p.errorf(at+".charts", "%s is not a folder name", quote(r.Charts))
		}
		rawRevisionValues(p, at+".values", r.Values)
	}
	for _, tag := range slices.Sorted(maps.Keys(s.Tags)) {
		at := keyAt("spec.tags", tag)
		target := s.Tags[tag]
		dns1123Label(p, at, tag)
		chartText(p, at, tag, tagWriter)
		switch {
		case names[tag] != "" && tag != DefaultRevisionName:
			p.errorf(at, "%s is also a revision name (%s)", quote(tag), names[tag])
		case target == "":
			p.errorf(at, "required: the revision the tag %s points at", quote(tag))
		case names[target] == "":
			p.errorf(at, "%s points at no revision of spec.revisions (%s)", quote(target), listNames(names))
		}
		tags[tag] = at
	}
}

// listNames lists revision names for a message.
func listNames(names map[string]string) string {
	if len(names) == 0 {
		return "there are none"
	}
	quoted := make([]string, 0, len(names))
	for _, n := range slices.Sorted(maps.Keys(names)) {
		quoted = append(quoted, quote(n))
	}
	return "they are " + strings.Join(quoted, ", ")
}

// validateUpgrade checks what holds for every spec with more than one
// control plane or with tags: control planes at most one minor version
// apart, the default tag and the default revision not both installed, and
// raw values that would make the charts disagree with the spec about
// revisions and tags.
func (s *Spec) validateUpgrade(p *problems, tags map[string]string) {
	ds := s.Istiods()
	oldest, newest := 0, 0
	for i := range ds {
		if !semverRE.MatchString(ds[i].Version) {
			return
		}
		if compareVersions(ds[i].Version, ds[oldest].Version) < 0 {
			oldest = i
		}
		if compareVersions(ds[i].Version, ds[newest].Version) > 0 {
			newest = i
		}
	}
	lo, hi := versionParts(ds[oldest].Version), versionParts(ds[newest].Version)
	if lo[0] != hi[0] || hi[1]-lo[1] > 1 {
		p.errorf(ds[newest].VersionAt, "%s is %s after %s (%s): Istio upgrades one minor version at a time, so install %d.%d beside %s first, move every workload to it and remove %s",
			ds[newest].Version, minorsApart(lo, hi), ds[oldest].Version, ds[oldest].VersionAt, lo[0], lo[1]+1, ds[oldest].Version, ds[oldest].Version)
	}
	if at := tags[DefaultRevisionName]; at != "" {
		for _, d := range ds {
			if d.Revision == "" {
				p.errorf(at, "the tag \"default\" and the default revision (%s) would both serve istio-injection=enabled; remove the default revision, or do not tag another revision default", d.At)
			}
		}
	}
	rawRevisionValues(p, "spec.values.istiod", s.Values.Istiod)
	if c := s.Canary; c != nil {
		rawRevisionValues(p, "spec.canary.values", c.Values)
	}
	if v, ok := s.Values.Base["defaultRevision"]; ok {
		d := ds[s.DefaultIstiod()]
		if str, _ := v.(string); str != d.Label() {
			p.errorf("spec.values.base.defaultRevision", "%s disagrees with the spec, whose default revision is %s (%s): base's default validation webhook would call another istiod than the tag \"default\" and istio-injection=enabled select; remove it, the spec sets it", quote(fmt.Sprint(v)), quote(d.Label()), d.At)
		}
	}
}

// rawRevisionValues refuses raw istiod values that set what the spec's
// revisions and tags set, where they would disagree with base's
// defaultRevision unchecked.
func rawRevisionValues(p *problems, at string, v Values) {
	if _, ok := v["revisionTags"]; ok {
		p.errorf(at+".revisionTags", "set by the spec: name tags in spec.tags (or spec.revisionTags), where they are checked against base's default revision")
	}
	if _, ok := v["revision"]; ok {
		p.errorf(at+".revision", "set by the spec: name the revision in spec.revisions (or spec.revision)")
	}
}

// minorsApart says how far apart two versions are.
func minorsApart(lo, hi [3]int) string {
	if lo[0] != hi[0] {
		return "a major version"
	}
	return fmt.Sprintf("%d minor versions", hi[1]-lo[1])
}
