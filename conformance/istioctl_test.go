package conformance_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/istio-render/istio-render/charts"
	"github.com/istio-render/istio-render/internal/testenv"
	"github.com/istio-render/istio-render/iop"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// istioctlLdflags stamp the binary as a release is stamped: its own hub
// and version are the images it installs unless a file says otherwise.
var istioctlLdflags = "-X istio.io/istio/pkg/version.buildHub=" + mesh.DefaultHub +
	" -X istio.io/istio/pkg/version.buildVersion=" + mesh.DefaultVersion

// istioctl returns istioctl built from the istio.io/istio version the
// charts are embedded from ($ISTIOCTL_BIN if set), building it with
// `go install` (GOFLAGS=-mod=mod, as make bench-tools does) into a cache
// beside the Go build cache the first time. It takes minutes cold.
func istioctl(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("ISTIOCTL_BIN"); bin != "" {
		return bin
	}
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		testenv.SkipOutsideCI(t, "go env GOCACHE: %v", err)
	}
	key := sha256.Sum256([]byte(runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + " " + istioctlLdflags))
	dir := filepath.Join(filepath.Dir(strings.TrimSpace(string(gocache))), "istio-render-conformance",
		"istioctl-"+charts.EmbeddedVersion+"-"+hex.EncodeToString(key[:6]))
	bin := filepath.Join(dir, "istioctl")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "istioctl-build-")
	if err != nil {
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if tmp, err = os.MkdirTemp(filepath.Dir(dir), "istioctl-build-"); err != nil {
			t.Fatal(err)
		}
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("go", "install", "-ldflags", istioctlLdflags,
		"istio.io/istio/istioctl/cmd/istioctl@"+charts.EmbeddedVersion)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOBIN="+tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		testenv.SkipOutsideCI(t, "building istioctl %s: %v\n%s", charts.EmbeddedVersion, err, out)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(tmp, "istioctl"), bin); err != nil && !os.IsExist(err) {
		t.Fatal(err)
	}
	return bin
}

// iopInput is one IstioOperator the comparison runs on.
type iopInput struct {
	name, path string
}

// iopInputs lists the IstioOperator profiles of the embedded istio.io/istio
// module and the examples under iop/testdata.
func iopInputs(t *testing.T) []iopInput {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "istio.io/istio").Output()
	if err != nil {
		t.Fatalf("go list -m istio.io/istio: %v", err)
	}
	profiles, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "manifests", "profiles", "*.yaml"))
	examples, _ := filepath.Glob(filepath.Join("..", "iop", "testdata", "*.yaml"))
	if len(profiles) < 8 || len(examples) < 3 {
		t.Fatalf("found %d profiles and %d examples", len(profiles), len(examples))
	}
	var ins []iopInput
	for _, p := range profiles {
		ins = append(ins, iopInput{"profile-" + strings.TrimSuffix(filepath.Base(p), ".yaml"), p})
	}
	for _, p := range examples {
		ins = append(ins, iopInput{strings.TrimSuffix(filepath.Base(p), ".yaml"), p})
	}
	return ins
}

// TestImportMatchesIstioctl imports every IstioOperator profile of the
// embedded module and every example, renders the spec, and requires the
// same workloads, images, replicas, autoscaling, resources and mesh
// settings as istioctl manifest generate renders for the file, up to the
// differences listed in importDifferences.
func TestImportMatchesIstioctl(t *testing.T) {
	bin := istioctl(t)
	used := map[int]bool{}
	for _, in := range iopInputs(t) {
		t.Run(in.name, func(t *testing.T) {
			want := istioctlInstall(t, bin, in)
			got := importedInstall(t, in)
			diffs := compareInstalls(want, got)
			for _, d := range diffs {
				i := slices.IndexFunc(importDifferences, func(k importDifference) bool { return k.matches(in.name, d) })
				if i < 0 {
					t.Errorf("%s differs from istioctl manifest generate: %s", in.name, d)
					continue
				}
				used[i] = true
			}
			t.Logf("%d workloads compared, %d listed differences", len(want.workloads), len(diffs))
		})
	}
	if t.Failed() {
		return
	}
	for i, k := range importDifferences {
		if !used[i] {
			t.Errorf("listed difference no longer occurs; remove it: %+v", k)
		}
	}
}

// istioctlInstall runs istioctl manifest generate on an input.
func istioctlInstall(t *testing.T, bin string, in iopInput) install {
	t.Helper()
	args := []string{"manifest", "generate", "-f", in.path}
	if adj, ok := istioctlInputs[in.name]; ok {
		data, err := os.ReadFile(in.path)
		if err != nil {
			t.Fatal(err)
		}
		edited := adj.edit(string(data))
		if edited == string(data) {
			t.Fatalf("the adjustment of %s changes nothing; remove it", in.name)
		}
		path := filepath.Join(t.TempDir(), filepath.Base(in.path))
		if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		args[3] = path
	}
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("istioctl %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	objs, err := parseStream(out)
	if err != nil {
		t.Fatalf("istioctl output: %v", err)
	}
	return readInstall(objs)
}

// importedInstall imports an input and renders the spec.
func importedInstall(t *testing.T, in iopInput) install {
	t.Helper()
	data, err := os.ReadFile(in.path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := iop.Import(data)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	text, err := res.YAML(in.path)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := mesh.Load(text)
	if err != nil {
		t.Fatalf("the imported spec does not load: %v\n%s", err, text)
	}
	out, err := render.Render(context.Background(), m, render.Options{})
	if err != nil {
		t.Fatalf("rendering the imported spec: %v\n%s", err, text)
	}
	objs, err := parseStream(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got := readInstall(objs)
	got.injectedImage = m.Spec.Hub + "/proxyv2:" + m.Spec.Version
	return got
}

// install is what the comparison looks at in a render.
type install struct {
	// workloads by "Kind namespace/name".
	workloads map[string]workload
	// mesh is istiod's mesh configuration, by ConfigMap name.
	mesh map[string]any
	// proxy is the sidecar resources istiod injects, by injector ConfigMap.
	proxy map[string]any
	// injectedImage is what a gateway's "auto" image becomes: the proxy
	// image istiod injects.
	injectedImage string
}

// workload is what the comparison looks at in a Deployment or DaemonSet.
type workload struct {
	replicas   string
	autoscale  string
	containers map[string]container
}

type container struct {
	image     string
	resources string
}

// readInstall extracts the compared parts of a set of objects.
func readInstall(objs []map[string]any) install {
	in := install{workloads: map[string]workload{}, mesh: map[string]any{}, proxy: map[string]any{}}
	hpas := map[string]string{}
	for _, o := range objs {
		kind, _ := o["kind"].(string)
		md, _ := o["metadata"].(map[string]any)
		name, _ := md["name"].(string)
		ns, _ := md["namespace"].(string)
		spec, _ := o["spec"].(map[string]any)
		switch kind {
		case "Deployment", "DaemonSet":
			w := workload{replicas: "unset", autoscale: "none", containers: map[string]container{}}
			if r, ok := spec["replicas"]; ok {
				w.replicas = fmt.Sprint(r)
			}
			tmpl, _ := spec["template"].(map[string]any)
			pod, _ := tmpl["spec"].(map[string]any)
			cs, _ := pod["containers"].([]any)
			for _, c := range cs {
				cm, _ := c.(map[string]any)
				cname, _ := cm["name"].(string)
				image, _ := cm["image"].(string)
				res, _ := json.Marshal(quantities(cm["resources"]))
				w.containers[cname] = container{image: image, resources: string(res)}
			}
			in.workloads[kind+" "+ns+"/"+name] = w
		case "HorizontalPodAutoscaler":
			ref, _ := spec["scaleTargetRef"].(map[string]any)
			target, _ := ref["name"].(string)
			hpas["Deployment "+ns+"/"+target] = fmt.Sprintf("%v to %v", spec["minReplicas"], spec["maxReplicas"])
		case "ConfigMap":
			data, _ := o["data"].(map[string]any)
			if m, ok := data["mesh"].(string); ok && (name == "istio" || strings.HasPrefix(name, "istio-")) {
				tree, err := parseObject([]byte(m))
				if err == nil {
					in.mesh[name] = tree
				}
			}
			if v, ok := data["values"].(string); ok && strings.HasPrefix(name, "istio-sidecar-injector") {
				var vals map[string]any
				if json.Unmarshal([]byte(v), &vals) == nil {
					g, _ := vals["global"].(map[string]any)
					p, _ := g["proxy"].(map[string]any)
					in.proxy[name] = p["resources"]
				}
			}
		}
	}
	for k, w := range in.workloads {
		if a, ok := hpas[k]; ok {
			w.autoscale = a
		}
		if w.replicas == "unset" && w.autoscale == "none" && strings.HasPrefix(k, "Deployment ") {
			w.replicas = "1" // what Kubernetes runs
		}
		in.workloads[k] = w
	}
	return in
}

// compareInstalls lists how got differs from want, one line each, sorted.
func compareInstalls(want, got install) []string {
	var out []string
	for _, k := range sortedKeys(want.workloads) {
		w, ok := got.workloads[k]
		if !ok {
			out = append(out, fmt.Sprintf("%s: istioctl renders it, the import does not", k))
			continue
		}
		ww := want.workloads[k]
		if ww.replicas != w.replicas {
			out = append(out, fmt.Sprintf("%s: replicas: istioctl %s, import %s", k, ww.replicas, w.replicas))
		}
		if ww.autoscale != w.autoscale {
			out = append(out, fmt.Sprintf("%s: autoscaling: istioctl %s, import %s", k, ww.autoscale, w.autoscale))
		}
		for _, c := range sortedKeys(ww.containers) {
			gc, ok := w.containers[c]
			if !ok {
				out = append(out, fmt.Sprintf("%s: container %s: istioctl renders it, the import does not", k, c))
				continue
			}
			wc := ww.containers[c]
			image := gc.image
			if image == "auto" {
				image = got.injectedImage
			}
			if wc.image != image {
				if gc.image == "auto" {
					image = "auto, injected as " + image
				}
				out = append(out, fmt.Sprintf("%s: container %s: image: istioctl %s, import %s", k, c, wc.image, image))
			}
			if wc.resources != gc.resources {
				out = append(out, fmt.Sprintf("%s: container %s: resources: istioctl %s, import %s", k, c, wc.resources, gc.resources))
			}
		}
		for _, c := range sortedKeys(w.containers) {
			if _, ok := ww.containers[c]; !ok {
				out = append(out, fmt.Sprintf("%s: container %s: the import renders it, istioctl does not", k, c))
			}
		}
	}
	for _, k := range sortedKeys(got.workloads) {
		if _, ok := want.workloads[k]; !ok {
			out = append(out, fmt.Sprintf("%s: the import renders it, istioctl does not", k))
		}
	}
	for _, cmp := range []struct {
		what      string
		want, got map[string]any
	}{{"mesh config", want.mesh, got.mesh}, {"sidecar resources", want.proxy, got.proxy}} {
		for _, name := range sortedKeys(cmp.want) {
			g, ok := cmp.got[name]
			if !ok {
				out = append(out, fmt.Sprintf("%s %s: istioctl renders it, the import does not", cmp.what, name))
				continue
			}
			for _, d := range treeDiff("", cmp.want[name], g) {
				out = append(out, fmt.Sprintf("%s %s: %s", cmp.what, name, d))
			}
		}
		for _, name := range sortedKeys(cmp.got) {
			if _, ok := cmp.want[name]; !ok {
				out = append(out, fmt.Sprintf("%s %s: the import renders it, istioctl does not", cmp.what, name))
			}
		}
	}
	slices.Sort(out)
	return out
}

// treeDiff lists the paths where two YAML trees differ.
func treeDiff(path string, a, b any) []string {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		var out []string
		keys := sortedKeys(am)
		for _, k := range sortedKeys(bm) {
			if _, ok := am[k]; !ok {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			out = append(out, treeDiff(path+"."+k, am[k], bm[k])...)
		}
		return out
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if bytes.Equal(ja, jb) {
		return nil
	}
	return []string{fmt.Sprintf("%s: istioctl %s, import %s", strings.TrimPrefix(path, "."), ja, jb)}
}

// quantities writes every quantity of a container's resources in
// canonical form: cpu: 1 and cpu: "1" are the same request.
func quantities(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for part, amounts := range m {
		am, ok := amounts.(map[string]any)
		if !ok {
			out[part] = amounts
			continue
		}
		canon := map[string]any{}
		for name, q := range am {
			if parsed, err := resource.ParseQuantity(fmt.Sprint(q)); err == nil {
				canon[name] = parsed.String()
			} else {
				canon[name] = q
			}
		}
		out[part] = canon
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestImportComparisonDetectsDifferences proves the comparison is not
// vacuous: a changed image, replica count, autoscaler, resource, mesh
// setting or sidecar size, and a missing or extra workload, are each
// reported.
func TestImportComparisonDetectsDifferences(t *testing.T) {
	base := func() install {
		return install{
			workloads: map[string]workload{"Deployment istio-system/istiod": {
				replicas: "1", autoscale: "none",
				containers: map[string]container{"discovery": {image: "docker.io/istio/pilot:1.31.0", resources: `{"requests":{"cpu":"500m"}}`}},
			}},
			mesh:          map[string]any{"istio": map[string]any{"accessLogFile": "/dev/stdout"}},
			proxy:         map[string]any{"istio-sidecar-injector": map[string]any{"requests": map[string]any{"cpu": "10m"}}},
			injectedImage: "docker.io/istio/proxyv2:1.31.0",
		}
	}
	if d := compareInstalls(base(), base()); len(d) != 0 {
		t.Fatalf("equal installs differ: %v", d)
	}
	tests := []struct {
		name   string
		change func(*install)
		want   string
	}{
		{"image", func(i *install) {
			i.workloads["Deployment istio-system/istiod"].containers["discovery"] = container{image: "x/pilot:1", resources: `{"requests":{"cpu":"500m"}}`}
		}, "image: istioctl docker.io/istio/pilot:1.31.0, import x/pilot:1"},
		{"replicas", func(i *install) {
			w := i.workloads["Deployment istio-system/istiod"]
			w.replicas = "2"
			i.workloads["Deployment istio-system/istiod"] = w
		}, "replicas: istioctl 1, import 2"},
		{"autoscaler", func(i *install) {
			w := i.workloads["Deployment istio-system/istiod"]
			w.autoscale = "1 to 5"
			i.workloads["Deployment istio-system/istiod"] = w
		}, "autoscaling: istioctl none, import 1 to 5"},
		{"resources", func(i *install) {
			i.workloads["Deployment istio-system/istiod"].containers["discovery"] = container{image: "docker.io/istio/pilot:1.31.0", resources: `{}`}
		}, "resources: istioctl"},
		{"mesh setting", func(i *install) { i.mesh["istio"] = map[string]any{"accessLogFile": ""} }, `mesh config istio: accessLogFile: istioctl "/dev/stdout", import ""`},
		{"sidecar size", func(i *install) { i.proxy["istio-sidecar-injector"] = nil }, "sidecar resources istio-sidecar-injector"},
		{"missing workload", func(i *install) { delete(i.workloads, "Deployment istio-system/istiod") }, "istioctl renders it, the import does not"},
		{"extra workload", func(i *install) { i.workloads["DaemonSet istio-system/ztunnel"] = workload{} }, "DaemonSet istio-system/ztunnel: the import renders it, istioctl does not"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := base()
			tt.change(&got)
			diffs := compareInstalls(base(), got)
			if !slices.ContainsFunc(diffs, func(d string) bool { return strings.Contains(d, tt.want) }) {
				t.Errorf("differences %q lack %q", diffs, tt.want)
			}
		})
	}
}
