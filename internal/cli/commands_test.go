package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/profiles"
)

func TestProfiles(t *testing.T) {
	r := expectExit(t, 0, "profiles")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != len(profiles.Names())+1 || !strings.HasPrefix(lines[0], "NAME") {
		t.Fatalf("profiles printed:\n%s", r.stdout)
	}
	for i, name := range profiles.Names() {
		p, err := profiles.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		if f := strings.Fields(lines[i+1]); f[0] != name || !strings.Contains(lines[i+1], p.Description) {
			t.Errorf("line %q, want %s and its description %q", lines[i+1], name, p.Description)
		}
	}

	p, err := profiles.Get("production")
	if err != nil {
		t.Fatal(err)
	}
	if r := expectExit(t, 0, "profiles", "show", "production"); r.stdout != string(p.Document) {
		t.Errorf("profiles show production printed:\n%s", r.stdout)
	}
	for _, args := range [][]string{{"profiles", "show", "tiny"}, {"profiles", "show"}, {"profiles", "extra"}} {
		expectExit(t, 2, args...)
	}
}

func TestVersion(t *testing.T) {
	r := expectExit(t, 0, "version")
	for _, want := range []string{"istio-render dev", charts.EmbeddedModule + "@" + charts.EmbeddedVersion, "Istio " + charts.EmbeddedLine + " line", mesh.DefaultVersion} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("version lacks %q:\n%s", want, r.stdout)
		}
	}
	if r := expectExit(t, 0, "version", "--short"); r.stdout != "dev\n" {
		t.Errorf("version --short = %q, want dev", r.stdout)
	}
}

func TestSchemaCommand(t *testing.T) {
	r := expectExit(t, 0, "schema")
	var s struct {
		Schema   string         `json:"$schema"`
		Title    string         `json:"title"`
		Required []string       `json:"required"`
		Defs     map[string]any `json:"$defs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	if s.Title != mesh.Kind || !strings.Contains(s.Schema, "2020-12") || s.Defs["Spec"] == nil {
		t.Errorf("schema head = %+v", s)
	}
	expectExit(t, 2, "schema", "extra")
}

func TestGitopsIgnoreDifferences(t *testing.T) {
	r := expectExit(t, 0, "gitops", "ignore-differences", "--profile", "minimal")
	for _, want := range []string{
		"name: istio-sidecar-injector\n",
		"name: istiod-default-validator\n",
		"- .webhooks[]?.failurePolicy",
		"RespectIgnoreDifferences=true",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	expectExit(t, 2, "gitops", "ignore-differences")
	if r := expectExit(t, 0, "gitops"); !strings.Contains(r.stdout, "ignore-differences") {
		t.Errorf("gitops with no subcommand printed:\n%s", r.stdout)
	}
}

func TestUnknownCommand(t *testing.T) {
	expectExit(t, 2, "bogus")
}
