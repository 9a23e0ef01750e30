package argocd

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/istio-render/istio-render/render"
)

// Rule is one entry of an Application's spec.ignoreDifferences.
type Rule struct {
	// Group of the object.
	Group string `yaml:"group"`
	// Kind of the object.
	Kind string `yaml:"kind"`
	// Name of the object.
	Name string `yaml:"name"`
	// Namespace of the object; empty for a cluster-scoped one.
	Namespace string `yaml:"namespace,omitempty"`
	// JQPathExpressions select the fields to ignore.
	JQPathExpressions []string `yaml:"jqPathExpressions"`
}

// IgnoreDifferences returns a rule for every rendered object with fields
// the cluster sets at run time (render.RuntimeFields), in the render's
// order: the CA bundle of every webhook configuration, the failure policy
// of a validating webhook configuration rendered with failurePolicy
// Ignore, which istiod turns into Fail, and the replicas of a Deployment
// an autoscaler scales.
func IgnoreDifferences(resources []render.Resource) []Rule {
	return Rules(render.RuntimeFields(resources))
}

// Rules turns fields into ignore rules: one per object, in the fields'
// order, with a jq path expression per field.
func Rules(fields []render.RuntimeField) []Rule {
	var out []Rule
	for _, f := range fields {
		if n := len(out); n > 0 && sameObject(out[n-1], f) {
			out[n-1].JQPathExpressions = append(out[n-1].JQPathExpressions, JQPath(f.Path))
			continue
		}
		out = append(out, Rule{
			Group: f.Group, Kind: f.Kind, Name: f.Name, Namespace: f.Namespace,
			JQPathExpressions: []string{JQPath(f.Path)},
		})
	}
	return out
}

func sameObject(r Rule, f render.RuntimeField) bool {
	return r.Group == f.Group && r.Kind == f.Kind && r.Namespace == f.Namespace && r.Name == f.Name
}

// jqIdentifier is a key jq reads after a dot without quotes.
var jqIdentifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// JQPath writes a field path of render.RuntimeField as a jq path
// expression: "*" becomes "[]?", which matches every element of a list
// and nothing when there is none.
func JQPath(path []string) string {
	var b strings.Builder
	for _, seg := range path {
		switch {
		case seg == "*":
			b.WriteString("[]?")
		case jqIdentifier.MatchString(seg):
			b.WriteString("." + seg)
		default:
			b.WriteString("." + strconv.Quote(seg))
		}
	}
	return b.String()
}

// snippet is the part of an Application spec Snippet writes.
type snippet struct {
	IgnoreDifferences []Rule     `yaml:"ignoreDifferences"`
	SyncPolicy        syncPolicy `yaml:"syncPolicy"`
}

type syncPolicy struct {
	SyncOptions []string `yaml:"syncOptions"`
}

// RespectIgnoreDifferences is the sync option that keeps a sync from
// writing the ignored fields back.
const RespectIgnoreDifferences = "RespectIgnoreDifferences=true"

// Snippet writes rules as YAML to merge into the spec of the Application
// that syncs the render, with the sync option that makes a sync leave the
// ignored fields alone. from names the render in the leading comment.
func Snippet(rules []Rule, from string) ([]byte, error) {
	if rules == nil {
		rules = []Rule{}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `# Argo CD settings for %s: ignore the fields the cluster sets
# at run time (istiod's CA bundle in its webhooks, failurePolicy Ignore -> Fail
# once validation is ready, the replicas an autoscaler sets). Merge into the
# spec of the Application that syncs the rendered objects;
# RespectIgnoreDifferences keeps a sync from writing them back.
`, from)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	err := enc.Encode(snippet{
		IgnoreDifferences: rules,
		SyncPolicy:        syncPolicy{SyncOptions: []string{RespectIgnoreDifferences}},
	})
	if err == nil {
		err = enc.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("encoding ignoreDifferences: %w", err)
	}
	return b.Bytes(), nil
}
