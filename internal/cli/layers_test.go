package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/compare"
)

// TestLayeredFiles gives render and validate several -f files: they are
// laid over each other in order, the later winning, and the result renders
// exactly as the same spec written as one file.
func TestLayeredFiles(t *testing.T) {
	dir := t.TempDir()
	file := func(name, body string) string {
		p := filepath.Join(dir, name)
		writeTestFile(t, p, body)
		return p
	}
	base := file("base.yaml", specHead+`spec:
  profile: production
  mesh:
    mtls: STRICT
    outboundTrafficPolicy: ALLOW_ANY
  gateways:
  - name: istio-ingressgateway
    labels: {tier: edge}
  namespaces:
  - name: shop
    injection: enabled
    labels: {team: shop}
`)
	// The overlay is partial: no apiVersion, kind or metadata. It changes
	// one gateway by name, adds a namespace, overrides a scalar, removes a
	// setting of base (outboundTrafficPolicy) and one of the profile
	// (the ingress gateway's autoscale), and adds replicas in its place.
	overlay := file("overlay.yaml", `spec:
  mesh:
    mtls: PERMISSIVE
    outboundTrafficPolicy: null
  gateways:
  - name: istio-ingressgateway
    autoscale: null
    replicas: 3
    servers:
    - hosts: [shop.example.com]
      tls: {mode: SIMPLE, credentialName: shop-tls}
  namespaces:
  - name: payments
    injection: enabled
`)
	merged := file("merged.yaml", specHead+`spec:
  profile: production
  mesh:
    mtls: PERMISSIVE
    outboundTrafficPolicy: null
  gateways:
  - name: istio-ingressgateway
    labels: {tier: edge}
    autoscale: null
    replicas: 3
    servers:
    - hosts: [shop.example.com]
      tls: {mode: SIMPLE, credentialName: shop-tls}
  namespaces:
  - name: payments
    injection: enabled
  - name: shop
    injection: enabled
    labels: {team: shop}
`)
	want := expectExit(t, 0, "render", "-q", "-f", merged).stdout
	got := expectExit(t, 0, "render", "-q", "-f", base, "-f", overlay).stdout
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("render -f base -f overlay differs from the merged spec (-want +got):\n%s", diff)
	}
	for _, s := range []string{"mode: REGISTRY_ONLY", "mode: STRICT\n"} {
		if strings.Contains(got, s) {
			t.Errorf("the layered render still has %q, which the overlay removed or overrode", s)
		}
	}
	hpa := compare.Key{Group: "autoscaling", Kind: "HorizontalPodAutoscaler", Namespace: "istio-system", Name: "istio-ingressgateway"}
	if !hasObject(t, expectExit(t, 0, "render", "-q", "-f", base).stdout, hpa) {
		t.Fatalf("base alone renders no %v: the check below proves nothing", hpa)
	}
	if hasObject(t, got, hpa) {
		t.Error("the profile's gateway autoscale survived the overlay's null")
	}

	t.Run("stdin is one of the layers", func(t *testing.T) {
		data, err := os.ReadFile(overlay)
		if err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, string(data), "render", "-q", "-f", base, "-f", "-")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if diff := cmp.Diff(want, r.stdout); diff != "" {
			t.Errorf("render -f base -f - differs (-want +got):\n%s", diff)
		}
	})

	t.Run("the order matters", func(t *testing.T) {
		// base over overlay: base's STRICT wins over the overlay's PERMISSIVE.
		r := expectExit(t, 0, "render", "-q", "-f", overlay, "-f", base)
		if r.stdout == want || !strings.Contains(r.stdout, "mode: STRICT\n") {
			t.Error("render -f overlay -f base did not let base win")
		}
	})

	t.Run("validate layers the same way", func(t *testing.T) {
		r := expectExit(t, 0, "validate", "-f", base, "-f", overlay)
		if !strings.HasPrefix(r.stdout, base+", "+overlay+": valid (profile production") {
			t.Errorf("stdout = %s", r.stdout)
		}
	})

	badField := file("bad-field.yaml", "spec:\n  mesh:\n    mtlz: STRICT\n")
	badKind := file("bad-kind.yaml", "apiVersion: istio-render.dev/v1alpha1\nkind: IstioOperator\nspec: {}\n")
	badYAML := file("bad-yaml.yaml", "spec:\n  mesh: [\n")
	badMerged := file("bad-merged.yaml", "spec:\n  mesh:\n    mtls: NEVER\n")
	for _, tc := range []struct {
		name     string
		files    []string
		render   string // the error render prints
		validate string // the line validate prints
	}{
		{"an unknown field names its file", []string{base, badField},
			badField + `: invalid IstioMesh: spec.mesh.mtlz: unknown field (did you mean "mtls"?)`,
			"error: " + badField + `: spec.mesh.mtlz: unknown field (did you mean "mtls"?)`},
		{"a kind that disagrees names its file", []string{base, badKind},
			badKind + `: invalid IstioMesh: kind: unsupported value "IstioOperator": expected IstioMesh`,
			"error: " + badKind + `: kind: unsupported value "IstioOperator": expected IstioMesh`},
		{"a syntax error names its file", []string{badYAML, base},
			badYAML + `: parsing YAML: yaml: line 2: did not find expected node content`,
			"error: " + badYAML + `: parsing YAML: yaml: line 2: did not find expected node content`},
		{"a problem of the merged spec names every file", []string{base, badMerged},
			base + ", " + badMerged + `: invalid IstioMesh: spec.mesh.mtls: unsupported value "NEVER": must be one of STRICT, PERMISSIVE`,
			`error: spec.mesh.mtls: unsupported value "NEVER": must be one of STRICT, PERMISSIVE`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var args []string
			for _, f := range tc.files {
				args = append(args, "-f", f)
			}
			out := filepath.Join(t.TempDir(), "out")
			r := expectExit(t, 1, append([]string{"render", "-q", "-o", out}, args...)...)
			if diff := cmp.Diff("Error: "+tc.render+"\n", r.stderr); diff != "" || r.stdout != "" {
				t.Errorf("stdout %q, stderr (-want +got):\n%s", r.stdout, diff)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("render wrote %s (%v)", out, err)
			}
			v := expectExit(t, 1, append([]string{"validate"}, args...)...)
			want := strings.Join(tc.files, ", ") + ": invalid\n" + tc.validate + "\n"
			if diff := cmp.Diff(want, v.stdout); diff != "" {
				t.Errorf("validate stdout (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("validate -o json names the file of each problem", func(t *testing.T) {
		r := expectExit(t, 1, "validate", "-o", "json", "-f", base, "-f", badField)
		var got struct {
			File   string
			Errors []struct{ File, Field, Message string }
		}
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("%v:\n%s", err, r.stdout)
		}
		want := struct {
			File   string
			Errors []struct{ File, Field, Message string }
		}{base + ", " + badField, []struct{ File, Field, Message string }{{badField, "spec.mesh.mtlz", `unknown field (did you mean "mtls"?)`}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("validate -o json (-want +got):\n%s", diff)
		}
	})

	t.Run("standard input at most once", func(t *testing.T) {
		for _, cmd := range []string{"render", "validate"} {
			r := expectExit(t, 2, cmd, "-f", "-", "-f", "-")
			if !strings.Contains(r.stderr, "standard input") {
				t.Errorf("%s: stderr = %q", cmd, r.stderr)
			}
		}
	})
}

// hasObject reports whether a rendered stream holds the object.
func hasObject(t *testing.T, stream string, key compare.Key) bool {
	t.Helper()
	objs, err := compare.Decode([]byte(stream))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if compare.KeyOf(o) == key {
			return true
		}
	}
	return false
}
