package conformance_test

import (
	"slices"

	"github.com/istio-render/istio-render/mesh"
)

// controlPlanes generates the control planes: one istiod (perhaps a
// revision), one with a canary beside it, or spec.revisions with tags,
// some of another Istio line from its own charts. It records the revision
// labels and tags that injection, gateways and waypoints may name.
func (d *draft) controlPlanes() {
	taken := map[string]bool{}
	switch n := d.intn(10); {
	case n < 4:
		d.single(taken)
	case n < 6:
		d.single(taken)
		d.canary(taken)
	default:
		d.revisions(taken)
	}
	d.servedBy = map[string]string{}
	ds := d.s.Istiods()
	for _, x := range ds {
		d.servedBy[x.Label()] = x.Label()
	}
	for tag, target := range d.s.TagTargets() {
		d.servedBy[tag] = target
	}
	// A gateway that names no revision runs on the first control plane,
	// or with spec.revisions on the one serving the default.
	d.servedBy[""] = ds[0].Label()
	if d.usesRevisions {
		d.servedBy[""] = ds[d.s.DefaultIstiod()].Label()
	}
	// istio-injection=enabled selects the default revision, or the one
	// tagged default.
	if target, ok := d.servedBy[mesh.DefaultRevisionName]; ok {
		d.servedBy["enabled"] = target
	}
	d.s.ControlPlane.Workload = d.workload(&d.base.Spec.ControlPlane.Workload)
	d.s.ControlPlane.LogLevel = d.enumOrEmpty("spec.controlPlane.logLevel")
}

// revisionName returns a revision not yet taken: a version-like name, a
// word, or one of the longest length a revision may have.
func (d *draft) revisionName(taken map[string]bool) string {
	for {
		var v string
		switch d.intn(3) {
		case 0:
			v = pick(d.gen, "1-31-0", "1-30-4", "canary", "stable", "rev-a", "a")
		case 1:
			v = d.dnsLabel(mesh.MaxRevisionLength, false)
		default:
			v = d.runOf(mesh.MaxRevisionLength, lowerAlnum, lowerAlnum+"-")
		}
		if !taken[v] && v != mesh.DefaultRevisionName {
			taken[v] = true
			return v
		}
	}
}

// tagName returns a revision tag not yet taken.
func (d *draft) tagName(taken map[string]bool) string {
	for {
		var v string
		switch d.intn(3) {
		case 0:
			v = pick(d.gen, "prod-stable", "prod-canary", "stable", "canary", "t")
		case 1:
			v = d.dnsLabel(mesh.MaxRevisionTagLength, false)
		default:
			v = d.runOf(mesh.MaxRevisionTagLength, lowerAlnum, lowerAlnum+"-")
		}
		if !taken[v] && v != mesh.DefaultRevisionName {
			taken[v] = true
			return v
		}
	}
}

// single is spec.revision with spec.revisionTags.
func (d *draft) single(taken map[string]bool) {
	if d.chance(0.5) {
		d.s.Revision = d.revisionName(taken)
		d.revs = append(d.revs, d.s.Revision)
	}
	for range d.intn(3) {
		d.s.RevisionTags = append(d.s.RevisionTags, d.tagName(taken))
	}
	// The tag default makes a revision serve istio-injection=enabled; the
	// default revision does so itself and cannot have the tag too.
	if d.s.Revision != "" && d.chance(0.3) {
		d.s.RevisionTags = append(d.s.RevisionTags, mesh.DefaultRevisionName)
	}
	d.tags = append(d.tags, d.s.RevisionTags...)
	d.defaultServed = d.s.Revision == "" || slices.Contains(d.s.RevisionTags, mesh.DefaultRevisionName)
}

// canary adds spec.canary beside the main control plane.
func (d *draft) canary(taken map[string]bool) {
	c := &mesh.Canary{Revision: d.revisionName(taken)}
	if d.chance(0.5) {
		c.Version = d.embeddedVersion()
	}
	for range d.intn(3) {
		c.RevisionTags = append(c.RevisionTags, d.tagName(taken))
	}
	if d.s.Revision != "" && !d.defaultServed && d.chance(0.3) {
		c.RevisionTags = append(c.RevisionTags, mesh.DefaultRevisionName)
		d.defaultServed = true
	}
	if d.chance(0.3) {
		c.Values = d.istiodValues()
	}
	d.s.Canary = c
	d.revs = append(d.revs, c.Revision)
	d.tags = append(d.tags, c.RevisionTags...)
}

// revisions generates spec.revisions and spec.tags: one to three control
// planes of the embedded line or of the other line's charts, perhaps one
// named default, and tags pointing at them.
func (d *draft) revisions(taken map[string]bool) {
	d.usesRevisions = true
	n := 1 + d.intn(3)
	hasDefault := false
	for i := range n {
		r := mesh.Revision{}
		if !hasDefault && d.chance(0.25) {
			r.Name = mesh.DefaultRevisionName
			hasDefault = true
		} else {
			r.Name = d.revisionName(taken)
		}
		switch {
		case d.cfg.otherLineRef != "" && d.chance(0.35):
			r.Version, r.Charts = d.cfg.otherLineVersion, d.cfg.otherLineRef
		case i > 0 || d.chance(0.5):
			r.Version = d.embeddedVersion()
		}
		if d.chance(0.2) {
			r.Values = d.istiodValues()
		}
		d.s.Revisions = append(d.s.Revisions, r)
		d.revs = append(d.revs, r.Name)
	}
	targets := make([]string, len(d.s.Revisions))
	for i, r := range d.s.Revisions {
		targets[i] = r.Name
	}
	tags := map[string]string{}
	for range d.intn(3) {
		tags[d.tagName(taken)] = pick(d.gen, targets...)
	}
	if !hasDefault && d.chance(0.5) {
		tags[mesh.DefaultRevisionName] = pick(d.gen, targets...)
	}
	if len(tags) > 0 {
		d.s.Tags = tags
	}
	for t := range tags {
		d.tags = append(d.tags, t)
	}
	slices.Sort(d.tags)
	d.defaultServed = hasDefault || tags[mesh.DefaultRevisionName] != ""
}

// injectionTarget returns what a namespace, gateway or waypoint may name
// as its revision: an installed revision or tag, or (without
// spec.revisions, where it only draws a warning) one this spec does not
// install. "" when there is none to name.
func (d *draft) injectionTarget() string {
	var choices []string
	choices = append(choices, d.revs...)
	choices = append(choices, d.tags...)
	if !d.usesRevisions && d.chance(0.1) {
		return pick(d.gen, "elsewhere", "1-29-0")
	}
	if len(choices) == 0 {
		return ""
	}
	return pick(d.gen, choices...)
}
