package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/istio-render/istio-render/mesh"
)

// gatewayAPIModule is the module the Gateway API bundles come from.
const gatewayAPIModule = "sigs.k8s.io/gateway-api"

// goCommand runs the go command in dir and returns its standard output.
// The module is never changed: downloads go to the module cache only.
func goCommand(t *testing.T, dir string, args ...string) []byte {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to find the %s module: %v", gatewayAPIModule, err)
	}
	cmd := exec.CommandContext(t.Context(), goTool, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

// gatewayAPIModuleDir downloads (or finds in the module cache) the
// Gateway API module of a version and returns its folder.
func gatewayAPIModuleDir(t *testing.T, version string) string {
	t.Helper()
	out := goCommand(t, t.TempDir(), "mod", "download", "-json", gatewayAPIModule+"@"+version)
	var m struct{ Dir, Error string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		t.Fatalf("go mod download %s@%s: %v %s", gatewayAPIModule, version, err, m.Error)
	}
	return m.Dir
}

// istioGatewayAPIVersion reads the Gateway API version the embedded
// istio.io/istio module requires from its go.mod.
func istioGatewayAPIVersion(t *testing.T) string {
	t.Helper()
	out := goCommand(t, ".", "list", "-m", "-json", "istio.io/istio")
	var m struct{ GoMod string }
	if err := json.Unmarshal(out, &m); err != nil || m.GoMod == "" {
		t.Fatalf("go list -m istio.io/istio: %v", err)
	}
	data, err := os.ReadFile(m.GoMod)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == gatewayAPIModule {
			return f[1]
		}
		if len(f) >= 3 && f[0] == "require" && f[1] == gatewayAPIModule {
			return f[2]
		}
	}
	t.Fatalf("istio.io/istio's go.mod (%s) does not require %s", m.GoMod, gatewayAPIModule)
	return ""
}

// TestGatewayAPIVersionIsIstios ties the embedded Gateway API version to
// the one the embedded Istio is built and tested with.
func TestGatewayAPIVersionIsIstios(t *testing.T) {
	want := istioGatewayAPIVersion(t)
	if mesh.DefaultGatewayAPIVersion != want {
		t.Errorf("mesh.DefaultGatewayAPIVersion is %s; istio.io/istio requires %s %s", mesh.DefaultGatewayAPIVersion, gatewayAPIModule, want)
	}
	for _, channel := range []string{mesh.GatewayAPIStandard, mesh.GatewayAPIExperimental} {
		b, err := gatewayAPIChannel(channel)
		if err != nil {
			t.Fatal(err)
		}
		if b.Version != want || b.Channel != channel {
			t.Errorf("the embedded %s bundle is %s %s; istio.io/istio requires %s", channel, b.Version, b.Channel, want)
		}
	}
}

// TestGatewayAPIBundle regenerates the embedded bundles from the Gateway
// API module's config/crd/<channel> folders, the files its release
// install bundles are made of, in render's canonical form, and requires
// the committed files to match.
func TestGatewayAPIBundle(t *testing.T) {
	dir := gatewayAPIModuleDir(t, mesh.DefaultGatewayAPIVersion)
	for _, tt := range []struct {
		channel, file, embedded string
	}{
		{mesh.GatewayAPIStandard, "gatewayapi-standard.gen.txt", gatewayAPIStandardText},
		{mesh.GatewayAPIExperimental, "gatewayapi-experimental.gen.txt", gatewayAPIExperimentalText},
	} {
		t.Run(tt.channel, func(t *testing.T) {
			b := bundleFromModule(t, dir, mesh.DefaultGatewayAPIVersion, tt.channel)
			got := formatGatewayAPIBundle(b)
			if *update {
				if err := os.WriteFile(tt.file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != tt.embedded {
				t.Errorf("%s is out of date with %s@%s; run go test ./render -run TestGatewayAPIBundle -update", tt.file, gatewayAPIModule, mesh.DefaultGatewayAPIVersion)
			}
			parsed, err := parseGatewayAPIBundle(got)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(b, parsed); diff != "" {
				t.Errorf("the bundle does not read back as written (-written +read):\n%s", diff)
			}
		})
	}
}

// bundleFromModule reads a channel's install bundle from the module
// folder: every gateway*.yaml file of config/crd/<channel>, in name
// order, each document made canonical as render writes objects.
func bundleFromModule(t *testing.T, dir, version, channel string) *gatewayAPIBundle {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "config", "crd", channel, "gateway*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no gateway*.yaml in %s/config/crd/%s: %v", dir, channel, err)
	}
	b := &gatewayAPIBundle{Version: version, Channel: channel}
	kinds := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
		for {
			doc, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			obj, err := parseObject(string(doc), false)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if obj.fields == nil {
				continue
			}
			data, err := obj.encode(len(doc))
			if err != nil {
				t.Fatal(err)
			}
			res := resourceOf(ComponentGatewayAPI, obj.fields, data)
			if res.Namespace != "" {
				t.Fatalf("%s: %s is namespaced; the bundle holds cluster-scoped objects", f, res.ID())
			}
			b.Objects = append(b.Objects, bundledObject{APIVersion: res.APIVersion, Kind: res.Kind, Name: res.Name, YAML: string(res.YAML)})
			kinds[res.Kind]++
		}
	}
	if kinds["CustomResourceDefinition"] == 0 {
		t.Fatalf("%s/config/crd/%s holds no CRD", dir, channel)
	}
	return b
}
