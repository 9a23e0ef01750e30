package upgrade

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
)

// Options say what to upgrade to.
type Options struct {
	// Version is the Istio version to upgrade to, such as 1.31.0: the same
	// minor version as the spec's or the next.
	Version string
	// Charts is the chart reference written as the new revision's charts
	// (spec.revisions[].charts), relative to where the specs are written.
	// Empty means the embedded charts, which must then be of Version's line.
	Charts string
	// FromCharts is written as the current revision's charts when the spec
	// names none and the embedded charts are of another line.
	FromCharts string
	// CanaryTag is the tag that selects the new revision first. Default:
	// canary.
	CanaryTag string
	// Rebase rewrites the chart references the spec already holds, for
	// specs written to another folder than the one they were read from;
	// nil keeps them.
	Rebase func(ref string) string
}

// Step is one edit of the spec.
type Step struct {
	// Name is short and fit for a file name, e.g. add-1-31-0.
	Name string
	// Title says what the step does, in one line.
	Title string
	// Notes say what moves when it is applied.
	Notes string
	// Spec is the whole spec after the step.
	Spec []byte
}

// Error is a spec or a target that cannot be planned for.
type Error struct {
	// Field is the field path at fault, if any.
	Field string
	// Message says why, and what to do.
	Message string
}

// Error returns "field: message".
func (e *Error) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

var versionRE = regexp.MustCompile(`^([0-9]+)\.([0-9]+)\.([0-9]+)(-[0-9A-Za-z.-]+)?$`)

// Plan returns the steps that upgrade the control plane of spec, one
// IstioMesh document, to opts.Version. The spec must install exactly one
// control plane: an upgrade in progress is finished first.
func Plan(spec []byte, opts Options) ([]Step, error) {
	m, _, err := mesh.Load(spec)
	if err != nil {
		return nil, fmt.Errorf("the spec to upgrade: %w", err)
	}
	s := &m.Spec
	ds := s.Istiods()
	if len(ds) != 1 {
		return nil, &Error{Field: ds[1].At, Message: fmt.Sprintf("the spec runs %d control planes: an upgrade is under way; finish it (move every workload and remove the old revision) before planning another", len(ds))}
	}
	old := ds[0]
	if err := checkTarget(old, opts); err != nil {
		return nil, err
	}
	if opts.CanaryTag == "" {
		opts.CanaryTag = "canary"
	}
	if opts.CanaryTag == mesh.DefaultRevisionName {
		return nil, &Error{Message: "the canary tag cannot be default: the default moves in a later step"}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(spec, &doc); err != nil || len(doc.Content) == 0 {
		return nil, fmt.Errorf("the spec to upgrade: %v", err)
	}
	p := &planner{doc: &doc, spec: lookup(doc.Content[0], "spec"), old: old, opts: opts}
	if p.spec == nil || p.spec.Kind != yaml.MappingNode {
		return nil, &Error{Field: "spec", Message: "must be a mapping"}
	}
	p.newName = strings.ReplaceAll(opts.Version, ".", "-")
	if p.newName == old.Label() {
		return nil, &Error{Field: old.At, Message: fmt.Sprintf("the revision %s exists already", old.Label())}
	}
	if opts.Rebase != nil {
		for _, r := range items(lookup(p.spec, "revisions")) {
			if c := lookup(r, "charts"); c != nil && c.Value != "" {
				c.Value = opts.Rebase(c.Value)
			}
		}
	}
	return p.steps()
}

// checkTarget refuses a target that is not the next step up, or whose
// charts the plan cannot name.
func checkTarget(old mesh.Istiod, opts Options) error {
	to := versionRE.FindStringSubmatch(opts.Version)
	if to == nil {
		return &Error{Message: fmt.Sprintf("%s is not an Istio version such as %s", strconv.Quote(opts.Version), mesh.DefaultVersion)}
	}
	from := versionRE.FindStringSubmatch(old.Version)
	if from == nil {
		return &Error{Field: old.VersionAt, Message: fmt.Sprintf("%s is not an Istio version", strconv.Quote(old.Version))}
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	fromMinor, toMinor := n(from[2]), n(to[2])
	switch {
	case to[1] != from[1] || toMinor > fromMinor+1:
		return &Error{Message: fmt.Sprintf("%s is more than one minor version after %s: upgrade to %s.%d first, then plan again", opts.Version, old.Version, from[1], fromMinor+1)}
	case toMinor < fromMinor || toMinor == fromMinor && n(to[3]) <= n(from[3]):
		return &Error{Message: fmt.Sprintf("%s is not newer than %s, which the spec runs", opts.Version, old.Version)}
	}
	toLine := charts.MinorLine(opts.Version)
	if opts.Charts == "" && toLine != charts.EmbeddedLine {
		return &Error{Message: fmt.Sprintf("Istio %s needs its own charts (these embedded ones are Istio %s): give the folder `helm pull istio/<chart> --version %s` fills, with --charts DIR", opts.Version, charts.EmbeddedLine, opts.Version)}
	}
	if old.Charts == "" && opts.FromCharts == "" && charts.MinorLine(old.Version) != charts.EmbeddedLine {
		return &Error{Field: old.At, Message: fmt.Sprintf("Istio %s renders from charts given at render time; name them with --from-charts DIR, so that each revision keeps its own", old.Version)}
	}
	return nil
}

// planner edits the spec's document step by step.
type planner struct {
	doc, spec *yaml.Node
	old       mesh.Istiod
	newName   string
	opts      Options
	out       []Step
}

// steps runs the plan.
func (p *planner) steps() ([]Step, error) {
	if err := p.asRevisions(); err != nil {
		return nil, err
	}
	oldName, newName, tag := p.old.Label(), p.newName, p.opts.CanaryTag
	p.revisions().Content = append(p.revisions().Content, likeSiblings(p.revisions(), mapping("name", newName, "version", p.opts.Version, "charts", p.opts.Charts)))
	if err := p.emit("add-"+newName,
		fmt.Sprintf("Add revision %s (Istio %s) beside %s.", newName, p.opts.Version, oldName),
		"Its istiod starts, and the CRDs come from its base chart, the newest; no tag, namespace or gateway selects it yet, so no workload moves.",
	); err != nil {
		return nil, err
	}

	moved := p.tagsOn(tag)
	set(p.tags(), tag, newName)
	if err := p.emit("canary-"+newName,
		fmt.Sprintf("Point the tag %s at %s.", tag, newName),
		fmt.Sprintf("Namespaces and gateways on the tag %s%s move to %s; restart their workloads to inject the new proxies.", tag, moved, newName),
	); err != nil {
		return nil, err
	}

	var tags []string
	for i := 0; i+1 < len(p.tags().Content); i += 2 {
		if v := p.tags().Content[i+1]; v.Value == oldName {
			v.Value = newName
			tags = append(tags, p.tags().Content[i].Value)
		}
	}
	what := group(nil, "tag", tags)
	what = group(what, "namespace", p.retarget("namespaces", "injection", oldName, newName))
	what = group(what, "gateway", p.retarget("gateways", "revision", oldName, newName))
	removeOld := func() {
		rs := p.revisions()
		for i, r := range rs.Content {
			if stringAt(r, "name") == oldName {
				rs.Content = append(rs.Content[:i:i], rs.Content[i+1:]...)
				break
			}
		}
	}
	if p.old.Revision == "" {
		// The default revision and the tag default serve the same
		// namespaces: one replaces the other in a single step.
		set(p.tags(), mesh.DefaultRevisionName, newName)
		removeOld()
		return p.finish("default-"+newName,
			fmt.Sprintf("Tag %s default and remove the default revision.", newName),
			fmt.Sprintf("istio-injection=enabled, base's default validator%s move to %s with the default tag; the default istiod is removed. Restart workloads to inject the new proxies.", list(what), newName))
	}
	if len(what) > 0 {
		withDefault := ""
		if slices.Contains(tags, mesh.DefaultRevisionName) {
			withDefault = ", and with the tag default istio-injection=enabled, base's default validator and the node agents"
		}
		if err := p.emit("move-"+newName,
			fmt.Sprintf("Move %s to %s.", strings.Join(what, "; "), newName),
			fmt.Sprintf("Every workload on %s moves to %s%s; restart workloads to inject the new proxies. %s then serves nothing.", oldName, newName, withDefault, oldName),
		); err != nil {
			return nil, err
		}
	}
	removeOld()
	return p.finish("remove-"+oldName,
		fmt.Sprintf("Remove revision %s.", oldName),
		fmt.Sprintf("Its istiod and webhooks go; nothing selects it any more. Gateways and node agents that name no revision follow the tag default, or without one the first revision, now %s.", newName))
}

// finish emits the last step and returns the plan.
func (p *planner) finish(name, title, notes string) ([]Step, error) {
	if err := p.emit(name, title, notes); err != nil {
		return nil, err
	}
	return p.out, nil
}

// asRevisions writes a spec.revision (and spec.canary-less) spec as
// spec.revisions and spec.tags, and names the current revision's charts
// when asked: a step of its own that renders the same objects.
func (p *planner) asRevisions() error {
	name := p.old.Label()
	if lookup(p.spec, "revisions") != nil {
		if p.opts.FromCharts == "" || p.old.Charts != "" {
			return nil
		}
		set(p.revisions().Content[0], "charts", p.opts.FromCharts)
		return p.emit("charts-"+name,
			fmt.Sprintf("Name the charts of revision %s.", name),
			"It renders from the same charts as before; each revision now names its own.")
	}
	at := remove(p.spec, "revision")
	if i := remove(p.spec, "revisionTags"); at < 0 || i >= 0 && i < at {
		at = i
	}
	if i := remove(p.spec, "version"); at < 0 || i >= 0 && i < at {
		at = i
	}
	rev := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	rev.Content = []*yaml.Node{mapping("name", name, "version", p.old.Version, "charts", p.opts.FromCharts)}
	insert(p.spec, "revisions", rev, at)
	if len(p.old.Tags) > 0 {
		tags := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, t := range p.old.Tags {
			set(tags, t, name)
		}
		insert(p.spec, "tags", tags, at+2)
	}
	return p.emit("revisions",
		"Write the control plane as spec.revisions and spec.tags.",
		"The same control plane in the form that lists several: this step renders the same objects.")
}

// revisions returns spec.revisions.
func (p *planner) revisions() *yaml.Node { return lookup(p.spec, "revisions") }

// tags returns spec.tags, adding it after spec.revisions when absent.
func (p *planner) tags() *yaml.Node {
	if t := lookup(p.spec, "tags"); t != nil && t.Kind == yaml.MappingNode {
		return t
	}
	t := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	at := -1
	for i := 0; i+1 < len(p.spec.Content); i += 2 {
		if p.spec.Content[i].Value == "revisions" {
			at = i + 2
		}
	}
	insert(p.spec, "tags", t, at)
	return t
}

// tagsOn lists the namespaces that use a tag, for a note.
func (p *planner) tagsOn(tag string) string {
	var names []string
	for _, n := range items(lookup(p.spec, "namespaces")) {
		if stringAt(n, "injection") == tag {
			names = append(names, stringAt(n, "name"))
		}
	}
	if len(names) == 0 {
		return " (none yet)"
	}
	return " (" + strings.Join(names, ", ") + ")"
}

// retarget points the elements of a named list whose field names from at
// to, and returns their names.
func (p *planner) retarget(list, field, from, to string) []string {
	var moved []string
	for _, n := range items(lookup(p.spec, list)) {
		if v := lookup(n, field); v != nil && v.Value == from {
			v.Value = to
			moved = append(moved, stringAt(n, "name"))
		}
	}
	return moved
}

// group appends "what a" or "whats a, b" to a list of groups for a title.
func group(groups []string, what string, names []string) []string {
	switch len(names) {
	case 0:
		return groups
	case 1:
		return append(groups, what+" "+names[0])
	}
	return append(groups, what+"s "+strings.Join(names, ", "))
}

// list joins names for a note, after a comma.
func list(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return ", " + strings.Join(names, ", ")
}

// emit records the spec as it is now as a step, once it decodes and
// validates.
func (p *planner) emit(name, title, notes string) error {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(p.doc); err != nil {
		return fmt.Errorf("writing step %d: %w", len(p.out)+1, err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("writing step %d: %w", len(p.out)+1, err)
	}
	if _, _, err := mesh.Load(b.Bytes()); err != nil {
		var ve *mesh.ValidationError
		if errors.As(err, &ve) {
			return fmt.Errorf("step %d (%s) would be invalid; edit the spec by hand from here: %w", len(p.out)+1, title, err)
		}
		return err
	}
	p.out = append(p.out, Step{Name: name, Title: title, Notes: notes, Spec: b.Bytes()})
	return nil
}
