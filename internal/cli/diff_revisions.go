package cli

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/istio-render/istio-render/compare"
)

// revisionSide is what one side of a diff says about control plane
// revisions, read from the objects themselves, so that streams and
// folders say it as well as specs.
type revisionSide struct {
	// versions maps each revision with an istiod Deployment to its Istio
	// version.
	versions map[string]string
	// tags maps revision tags to revisions (the tag webhooks' labels).
	tags map[string]string
	// namespaces maps each namespace with injection to the revision that
	// injects it.
	namespaces map[string]string
}

// readRevisions reads the revisions, tags and injected namespaces of a set
// of objects.
func readRevisions(objs []compare.Object) revisionSide {
	side := revisionSide{versions: map[string]string{}, tags: map[string]string{}, namespaces: map[string]string{}}
	for _, o := range objs {
		k := compare.KeyOf(o)
		labels := labelsOf(o)
		switch {
		case k.Kind == "Deployment" && labels["app"] == "istiod" && labels["istio.io/rev"] != "":
			side.versions[labels["istio.io/rev"]] = istioVersion(o, labels)
		case k.Kind == "MutatingWebhookConfiguration" && labels["istio.io/tag"] != "":
			side.tags[labels["istio.io/tag"]] = labels["istio.io/rev"]
		}
	}
	for _, o := range objs {
		if compare.KeyOf(o).Kind != "Namespace" {
			continue
		}
		labels := labelsOf(o)
		switch {
		case labels["istio.io/rev"] != "":
			side.namespaces[compare.KeyOf(o).Name] = side.revision(labels["istio.io/rev"])
		case labels["istio-injection"] == "enabled":
			side.namespaces[compare.KeyOf(o).Name] = side.revision("default")
		}
	}
	return side
}

// revision resolves a revision or tag name to the revision.
func (s revisionSide) revision(name string) string {
	if r, ok := s.tags[name]; ok {
		return r
	}
	return name
}

// revisionOf is the revision an object belongs to: its istio.io/rev label,
// through the tags, or else the istiod release that rendered it
// (app.kubernetes.io/instance istiod-<revision>); "" for none.
func (s revisionSide) revisionOf(o compare.Object) string {
	if o == nil {
		return ""
	}
	labels := labelsOf(o)
	if r := labels["istio.io/rev"]; r != "" {
		return s.revision(r)
	}
	// A gateway's workload says its revision on its pods.
	spec, _ := o["spec"].(map[string]any)
	if tmpl, ok := spec["template"].(map[string]any); ok {
		if r := labelsOf(tmpl)["istio.io/rev"]; r != "" {
			return s.revision(r)
		}
	}
	switch instance := labels["app.kubernetes.io/instance"]; {
	case instance == "istiod":
		return "default"
	case strings.HasPrefix(instance, "istiod-"):
		return strings.TrimPrefix(instance, "istiod-")
	}
	return ""
}

// labelsOf returns an object's labels as strings.
func labelsOf(o compare.Object) map[string]string {
	out := map[string]string{}
	md, _ := o["metadata"].(map[string]any)
	ls, _ := md["labels"].(map[string]any)
	for k, v := range ls {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// istioVersion is the version an istiod Deployment runs: its
// app.kubernetes.io/version label, else its first image's tag.
func istioVersion(o compare.Object, labels map[string]string) string {
	if v := labels["app.kubernetes.io/version"]; v != "" {
		return v
	}
	spec, _ := o["spec"].(map[string]any)
	tmpl, _ := spec["template"].(map[string]any)
	pod, _ := tmpl["spec"].(map[string]any)
	containers, _ := pod["containers"].([]any)
	if len(containers) > 0 {
		c, _ := containers[0].(map[string]any)
		if image, _ := c["image"].(string); strings.Contains(image, ":") {
			return image[strings.LastIndex(image, ":")+1:]
		}
	}
	return ""
}

// revisionLines says, per control plane revision, what a diff moves: the
// revision added, removed or upgraded, its objects that change, and the
// tags and namespaces that move to it or away from it. It says nothing
// when both sides run the same single revision.
func revisionLines(before, after []compare.Object, r *compare.Report) []string {
	old, cur := readRevisions(before), readRevisions(after)
	var names []string
	for _, m := range []map[string]string{old.versions, cur.versions} {
		for n := range m {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 || len(names) == 1 && old.versions[names[0]] == cur.versions[names[0]] {
		return nil
	}
	slices.SortFunc(names, func(a, b string) int {
		return strings.Compare(or(cur.versions[a], old.versions[a])+" "+a, or(cur.versions[b], old.versions[b])+" "+b)
	})
	counts := map[string]map[compare.Op]int{}
	for _, c := range r.Changes {
		rev := cur.revisionOf(c.New)
		if rev == "" {
			rev = old.revisionOf(c.Old)
		}
		if counts[rev] == nil {
			counts[rev] = map[compare.Op]int{}
		}
		counts[rev][c.Op]++
	}
	var lines []string
	for _, n := range names {
		ov, nv := old.versions[n], cur.versions[n]
		head := fmt.Sprintf("%s (Istio %s)", n, or(nv, ov))
		var parts []string
		switch {
		case ov == "":
			parts = append(parts, "added")
		case nv == "":
			parts = append(parts, "removed")
		case ov != nv:
			head = fmt.Sprintf("%s (Istio %s → %s)", n, ov, nv)
			parts = append(parts, "upgraded in place")
		}
		var objs []string
		for _, op := range []compare.Op{compare.Added, compare.Removed, compare.Changed} {
			if k := counts[n][op]; k > 0 {
				objs = append(objs, fmt.Sprintf("%d %s", k, op))
			}
		}
		if len(objs) == 0 {
			parts = append(parts, "no object changes")
		} else {
			parts = append(parts, "objects "+strings.Join(objs, ", "))
		}
		if m := moves(old.tags, cur.tags, n); m != "" {
			parts = append(parts, "tags "+m)
		}
		if m := moves(old.namespaces, cur.namespaces, n); m != "" {
			parts = append(parts, "namespaces "+m)
		}
		lines = append(lines, head+": "+strings.Join(parts, "; "))
	}
	return lines
}

// moves lists the names that point at rev after and not before (+name)
// and before and not after (-name).
func moves(before, after map[string]string, rev string) string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(after)) {
		if after[name] == rev && before[name] != rev {
			out = append(out, "+"+name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(before)) {
		if before[name] == rev && after[name] != rev {
			out = append(out, "-"+name)
		}
	}
	return strings.Join(out, " ")
}

// writeRevisionLines prints the per-revision summary of a diff, if any.
func writeRevisionLines(w io.Writer, lines []string, markdown bool) error {
	if len(lines) == 0 {
		return nil
	}
	var b strings.Builder
	if markdown {
		b.WriteString("**Revisions**\n\n")
		for _, l := range lines {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	} else {
		b.WriteString("Revisions:\n")
		for _, l := range lines {
			fmt.Fprintf(&b, "  %s\n", l)
		}
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
