package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
)

// checkCompatibility requires every chart source the spec renders from to
// carry the compatibility profile spec.compatibilityVersion names
// (files/profile-compatibility-version-<minor>.yaml, which every chart's
// zzz_profile.yaml applies): the charts otherwise fail with "unknown
// compatibility version" and no field to blame. Only the istiod chart is
// looked at; the charts of one release carry the same profiles.
func checkCompatibility(s *mesh.Spec, srcs []*charts.Source) error {
	cv := s.CompatibilityVersion
	if cv == "" {
		return nil
	}
	seen := map[*charts.Source]bool{}
	for i, src := range srcs {
		if seen[src] {
			continue
		}
		seen[src] = true
		c, err := src.Chart(charts.Istiod)
		if err != nil {
			return err
		}
		if _, ok := c.File(compatibilityFile(cv)); ok {
			continue
		}
		d := s.Istiods()[i]
		of := ""
		if s.UsesRevisions() {
			of = " of " + d.At
		}
		return &mesh.ValidationError{Errors: []mesh.FieldError{{Field: "spec.compatibilityVersion", Message: fmt.Sprintf(
			"%s: the Istio %s charts%s carry no such profile; they keep the behaviour of %s",
			strconv.Quote(cv), charts.MinorLine(d.Version), of, compatibilityVersions(c, d.Version))}}}
	}
	return nil
}

// compatibilityFile is the chart file of a compatibility profile.
func compatibilityFile(minor string) string {
	return "files/profile-compatibility-version-" + minor + ".yaml"
}

// compatibilityVersions lists the compatibility profiles a chart carries
// among the twelve minors before version's.
func compatibilityVersions(c *charts.Chart, version string) string {
	parts := strings.SplitN(version, ".", 3)
	major, _ := strconv.Atoi(parts[0])
	minor := 0
	if len(parts) > 1 {
		minor, _ = strconv.Atoi(parts[1])
	}
	var found []string
	for m := max(minor-12, 0); m < minor; m++ {
		v := fmt.Sprintf("%d.%d", major, m)
		if _, ok := c.File(compatibilityFile(v)); ok {
			found = append(found, v)
		}
	}
	if len(found) == 0 {
		return "none"
	}
	return strings.Join(found, ", ")
}
