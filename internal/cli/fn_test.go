package cli_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/istio-render/istio-render/internal/cli"
)

// smallSpec renders few objects: the base chart's cluster-wide objects and
// istiod's namespaced ones are turned off. It draws one warning (istiod
// runs one replica).
const smallSpec = `apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: small
spec:
  profile: minimal
  values:
    base: {global: {resourceScope: namespace}}
    istiod: {global: {resourceScope: cluster}}
`

const invalidSpec = `apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: prod
spec:
  mesh:
    mtls: STRCT
`

// resourceList wraps a spec as a ResourceList's functionConfig.
func resourceList(spec string) string {
	return "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n" +
		"  " + strings.ReplaceAll(strings.TrimSuffix(spec, "\n"), "\n", "\n  ") + "\n"
}

const extraConfigMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
`

const warningLine = "warning: IstioMesh/small: spec.controlPlane: istiod runs 1 replica"

func TestFn(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"small.yaml":   smallSpec,
		"invalid.yaml": invalidSpec,
		"extra.yaml":   extraConfigMap,
		"two.yaml":     smallSpec + "---\n" + smallSpec,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := func(name string) string { return filepath.Join(dir, name) }

	tests := []struct {
		name   string
		reason string
		args   []string
		stdin  string
		code   int
		// outPrefix and outContains check standard output.
		outPrefix   string
		outContains []string
		// errPrefix checks standard error; errExact replaces it when set.
		errPrefix string
		errExact  string
	}{{
		name:        "resource list",
		reason:      "with no argument, a ResourceList in gives a ResourceList out with the objects and the warning result",
		args:        []string{"fn"},
		stdin:       resourceList(smallSpec),
		code:        cli.ExitOK,
		outPrefix:   "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: Namespace\n",
		outContains: []string{"kind: MutatingWebhookConfiguration", "severity: warning", "path: spec.controlPlane"},
		errPrefix:   warningLine,
	}, {
		name:        "quiet",
		reason:      "-q keeps warnings off standard error, not out of the results",
		args:        []string{"fn", "-q"},
		stdin:       resourceList(smallSpec),
		code:        cli.ExitOK,
		outContains: []string{"severity: warning"},
		errExact:    "",
	}, {
		name:        "invalid spec",
		reason:      "an invalid functionConfig exits 1, with a result naming the field on stdout and a line naming it on stderr",
		args:        []string{"fn"},
		stdin:       resourceList(invalidSpec),
		code:        cli.ExitFailure,
		outContains: []string{"severity: error", "path: spec.mesh.mtls", `message: 'unsupported value "STRCT": must be one of STRICT, PERMISSIVE'`},
		errExact: `error: IstioMesh/prod: spec.mesh.mtls: unsupported value "STRCT": must be one of STRICT, PERMISSIVE
Error: istio-render fn: 1 error; nothing was generated
`,
	}, {
		name:   "empty input",
		reason: "no ResourceList means no functionConfig, which is an error that says what is expected",
		args:   []string{"fn"},
		stdin:  "",
		code:   cli.ExitFailure,
		errExact: "error: the ResourceList has no functionConfig: it must be the IstioMesh to render " +
			"(under kustomize, list the IstioMesh file under generators)\n" +
			"Error: istio-render fn: 1 error; nothing was generated\n",
	}, {
		name:      "standalone",
		reason:    "a spec file argument gives a plain YAML stream, not a ResourceList, and does not read stdin",
		args:      []string{"fn", file("small.yaml")},
		stdin:     resourceList(invalidSpec),
		code:      cli.ExitOK,
		outPrefix: "apiVersion: v1\nkind: Namespace\n",
		errPrefix: warningLine,
	}, {
		name:        "standalone with resources",
		reason:      "further files and - (stdin) are passed through ahead of the generated objects",
		args:        []string{"fn", "-q", file("small.yaml"), file("extra.yaml"), "-"},
		stdin:       strings.Replace(extraConfigMap, "extra", "from-stdin", 1),
		code:        cli.ExitOK,
		outPrefix:   extraConfigMap + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\n---\napiVersion: v1\nkind: Namespace\n",
		outContains: []string{"kind: ValidatingWebhookConfiguration"},
		errExact:    "",
	}, {
		name:     "standalone invalid spec",
		reason:   "standalone reports problems the same way",
		args:     []string{"fn", file("invalid.yaml")},
		code:     cli.ExitFailure,
		errExact: "error: IstioMesh/prod: spec.mesh.mtls: unsupported value \"STRCT\": must be one of STRICT, PERMISSIVE\nError: istio-render fn: 1 error; nothing was generated\n",
	}, {
		name:      "standalone missing file",
		reason:    "an unreadable spec file is an error naming it",
		args:      []string{"fn", file("missing.yaml")},
		code:      cli.ExitFailure,
		errPrefix: "Error: reading spec: open " + file("missing.yaml"),
	}, {
		name:     "standalone two documents",
		reason:   "a spec file holds exactly one IstioMesh",
		args:     []string{"fn", file("two.yaml")},
		code:     cli.ExitFailure,
		errExact: "Error: " + file("two.yaml") + ": has 2 YAML documents; expected exactly one IstioMesh\n",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			code := cli.Main(t.Context(), cli.Streams{In: strings.NewReader(tc.stdin), Out: &out, Err: &errOut}, tc.args)
			if code != tc.code {
				t.Errorf("%s\nexit code %d, want %d\nstderr:\n%s", tc.reason, code, tc.code, errOut.String())
			}
			if !strings.HasPrefix(out.String(), tc.outPrefix) {
				t.Errorf("%s\nstdout does not start with %q:\n%.600s", tc.reason, tc.outPrefix, out.String())
			}
			for _, s := range tc.outContains {
				if !strings.Contains(out.String(), s) {
					t.Errorf("%s\nstdout does not contain %q", tc.reason, s)
				}
			}
			switch {
			case tc.errPrefix != "":
				if !strings.HasPrefix(errOut.String(), tc.errPrefix) {
					t.Errorf("%s\nstderr does not start with %q:\n%s", tc.reason, tc.errPrefix, errOut.String())
				}
			default:
				if diff := cmp.Diff(tc.errExact, errOut.String()); diff != "" {
					t.Errorf("%s\nstderr mismatch (-want +got):\n%s", tc.reason, diff)
				}
			}
		})
	}
}

// comments is an input of left bytes of YAML comment, counting what is
// read of it.
type comments struct{ left, n int64 }

func (c *comments) Read(p []byte) (int, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), c.left)]
	for i := range p {
		p[i] = '#'
	}
	c.left -= int64(len(p))
	c.n += int64(len(p))
	return len(p), nil
}

// TestFnInputLimit feeds fn a MiB more than 64 MiB: it stops one byte
// past the limit with an error that says so, having written nothing.
func TestFnInputLimit(t *testing.T) {
	const limit = 64 << 20
	dir := t.TempDir()
	spec := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(spec, []byte(smallSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{{
		name:    "resource list",
		args:    []string{"fn"},
		wantErr: "Error: failed to read ResourceList input: standard input holds more than 64 MiB, the most fn reads\n",
	}, {
		name:    "standalone resources",
		args:    []string{"fn", spec, "-"},
		wantErr: "Error: failed to read ResourceList input: the resource input holds more than 64 MiB, the most fn reads\n",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &comments{left: limit + 1<<20}
			var out, errOut bytes.Buffer
			code := cli.Main(t.Context(), cli.Streams{In: in, Out: &out, Err: &errOut}, tc.args)
			if code != cli.ExitFailure {
				t.Errorf("exit code %d, want %d", code, cli.ExitFailure)
			}
			if diff := cmp.Diff(tc.wantErr, errOut.String()); diff != "" {
				t.Errorf("stderr mismatch (-want +got):\n%s", diff)
			}
			if out.Len() != 0 {
				t.Errorf("wrote %d bytes on stdout, want none", out.Len())
			}
			if in.n > limit+1 {
				t.Errorf("read %d bytes of standard input, want at most %d", in.n, limit+1)
			}
		})
	}
}
