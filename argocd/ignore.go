package argocd

import (
	"bytes"
	"fmt"

	yaml "go.yaml.in/yaml/v3"

	"github.com/istio-render/istio-render/render"
)

// Paths of the webhook fields istiod sets at run time, as Argo CD's jq
// path expressions.
const (
	CABundlePath      = ".webhooks[]?.clientConfig.caBundle"
	FailurePolicyPath = ".webhooks[]?.failurePolicy"
)

// webhookGroup is the API group of webhook configurations.
const webhookGroup = "admissionregistration.k8s.io"

// Rule is one entry of an Application's spec.ignoreDifferences.
type Rule struct {
	// Group of the object.
	Group string `yaml:"group"`
	// Kind of the object.
	Kind string `yaml:"kind"`
	// Name of the object.
	Name string `yaml:"name"`
	// JQPathExpressions select the fields to ignore.
	JQPathExpressions []string `yaml:"jqPathExpressions"`
}

// IgnoreDifferences returns a rule for every webhook configuration of a
// render, in the render's order: the CA bundle for all of them, and the
// failure policy for those that render a webhook with failurePolicy Ignore,
// which istiod turns into Fail.
func IgnoreDifferences(resources []render.Resource) []Rule {
	var out []Rule
	for _, r := range resources {
		if r.Kind != "MutatingWebhookConfiguration" && r.Kind != "ValidatingWebhookConfiguration" {
			continue
		}
		rule := Rule{Group: webhookGroup, Kind: r.Kind, Name: r.Name, JQPathExpressions: []string{CABundlePath}}
		if ignoresFailures(r.Object()) {
			rule.JQPathExpressions = append(rule.JQPathExpressions, FailurePolicyPath)
		}
		out = append(out, rule)
	}
	return out
}

// ignoresFailures reports whether any webhook of a configuration renders
// failurePolicy Ignore.
func ignoresFailures(obj map[string]any) bool {
	hooks, _ := obj["webhooks"].([]any)
	for _, h := range hooks {
		m, _ := h.(map[string]any)
		if m["failurePolicy"] == "Ignore" {
			return true
		}
	}
	return false
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
	fmt.Fprintf(&b, `# Argo CD settings for %s: ignore the webhook fields istiod sets
# at run time (the CA bundle, and failurePolicy Ignore -> Fail once
# validation is ready). Merge into the spec of the Application that syncs the
# rendered objects; RespectIgnoreDifferences keeps a sync from writing them
# back.
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
