package fn_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/istio-render/istio-render/fn"
)

// annotatedSpec puts on rendered Namespaces the annotations that kyaml
// reconciles (config.kubernetes.io/path and its internal twin, index, id)
// and one that sets the sequence style of an unwrapped document: the
// objects Run must still write through kyaml.
const annotatedSpec = `apiVersion: istio-render.dev/v1alpha1
kind: IstioMesh
metadata:
  name: annotated
spec:
  profile: minimal
  namespaces:
  - name: shop
    annotations:
      config.kubernetes.io/path: shop.yaml
      config.kubernetes.io/index: "7"
      internal.config.kubernetes.io/seqindent: wide
  - name: catalog
    annotations:
      internal.config.kubernetes.io/path: catalog.yaml
      config.k8s.io/id: "3"
`

// otherItems are items another step put in the list: comments, a block
// scalar keeping its trailing newlines at the very end (the last item of a
// list, the last document of a stream), quoted and folded strings.
const otherItems = `# head comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: keep-me # line comment
  namespace: apps
data:
  b: "2"
  a: 'single'
  long: this is a long plain string that goes past eighty columns and would be folded by some encoders
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: last
  annotations:
    config.kubernetes.io/path: last.yaml
data:
  script: |+
    echo kept

`

// TestRunReadsAsExecute runs the function both ways, Run and
// framework.Execute with the Processor, on every golden spec and on specs
// that take Run's exceptions, in the shapes the fn command reads: a
// ResourceList as kustomize sends it, and the standalone stream. kyaml
// must read Run's output into the nodes framework.Execute's output holds:
// decoded and encoded again by kyaml, Run's output is byte for byte
// framework.Execute's. The results and the error must be the same too.
func TestRunReadsAsExecute(t *testing.T) {
	specs, err := filepath.Glob(filepath.Join("..", "golden", "testdata", "*", "mesh.yaml"))
	if err != nil || len(specs) < 10 {
		t.Fatalf("want the golden specs, found %d (%v)", len(specs), err)
	}
	specs = append(specs, filepath.Join("..", "golden", "testdata", "invalid", "bad-mtls.yaml"))
	type input struct {
		name string
		spec []byte
	}
	var inputs []input
	for _, path := range specs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, input{filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path), data})
	}
	inputs = append(inputs, input{"annotated", []byte(annotatedSpec)})

	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			t.Parallel()
			fc, err := yaml.Parse(string(in.spec))
			if err != nil {
				t.Fatal(err)
			}
			for _, shape := range []struct {
				name string
				rw   func(in io.Reader, out io.Writer) *kio.ByteReadWriter
				data []byte
			}{{
				name: "resource list",
				rw: func(in io.Reader, out io.Writer) *kio.ByteReadWriter {
					return &kio.ByteReadWriter{Reader: in, Writer: out, KeepReaderAnnotations: true}
				},
				data: kustomizeInput(t, fc),
			}, {
				name: "resource list without items",
				rw: func(in io.Reader, out io.Writer) *kio.ByteReadWriter {
					return &kio.ByteReadWriter{Reader: in, Writer: out, KeepReaderAnnotations: true}
				},
				data: []byte("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n" +
					indent(in.spec) + "results:\n- message: from an earlier function\n  severity: info\n"),
			}, {
				name: "standalone stream",
				rw: func(in io.Reader, out io.Writer) *kio.ByteReadWriter {
					return &kio.ByteReadWriter{Reader: in, Writer: out, FunctionConfig: fc.Copy(), NoWrap: true}
				},
				data: []byte(otherItems),
			}} {
				var oldOut, newOut bytes.Buffer
				var oldResults framework.Results
				run := func(rl *framework.ResourceList) error {
					first := len(rl.Results)
					err := fn.Processor{}.ProcessContext(t.Context(), rl)
					oldResults = rl.Results[first:]
					return err
				}
				oldErr := framework.Execute(framework.ResourceListProcessorFunc(run), shape.rw(bytes.NewReader(shape.data), &oldOut))
				newResults, newErr := fn.Processor{}.Run(t.Context(), shape.rw(bytes.NewReader(shape.data), &newOut))

				if diff := cmp.Diff(errString(oldErr), errString(newErr)); diff != "" {
					t.Errorf("%s: error mismatch (-Execute +Run):\n%s", shape.name, diff)
				}
				if diff := cmp.Diff(resultLines(oldResults), resultLines(newResults)); diff != "" {
					t.Errorf("%s: results mismatch (-Execute +Run):\n%s", shape.name, diff)
				}
				if oldOut.Len() == 0 {
					t.Fatalf("%s: framework.Execute wrote nothing", shape.name)
				}
				if diff := cmp.Diff(oldOut.String(), reencode(t, newOut.Bytes())); diff != "" {
					t.Errorf("%s: Run's output, read and written by kyaml, is not framework.Execute's (-Execute +Run):\n%s",
						shape.name, diff)
				}
			}
		})
	}
}

// kustomizeInput is the ResourceList kustomize sends a generator: the
// spec as functionConfig and, marked local-config, as the first item, and
// further items.
func kustomizeInput(t *testing.T, fc *yaml.RNode) []byte {
	t.Helper()
	self := fc.Copy()
	for k, v := range map[string]string{
		"config.kubernetes.io/local-config": "true",
		"config.kubernetes.io/function":     "exec:\n  path: ../bin/istio-render\n  args: [fn]\n",
	} {
		if err := self.PipeE(yaml.SetAnnotation(k, v)); err != nil {
			t.Fatal(err)
		}
	}
	others, err := kio.FromBytes([]byte(otherItems))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := kio.ByteWriter{Writer: &b, WrappingKind: kio.ResourceListKind, WrappingAPIVersion: kio.ResourceListAPIVersion,
		FunctionConfig: fc}
	if err := w.Write(append([]*yaml.RNode{self}, others...)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// reencode decodes every document of a YAML stream with kyaml and encodes
// them again with kyaml's encoder, as a reader of a function's output
// holds and writes them.
func reencode(t *testing.T, data []byte) string {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	docs := 0
	for ; ; docs++ {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("kyaml cannot read the output: %v\n%.2000s", err, data)
		}
		if err := enc.Encode(&doc); err != nil {
			t.Fatal(err)
		}
	}
	if docs == 0 {
		// An encoder closed before any document fails.
		return ""
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// indent indents YAML by two spaces.
func indent(doc []byte) string {
	lines := strings.SplitAfter(strings.TrimSuffix(string(doc), "\n"), "\n")
	return "  " + strings.Join(lines, "  ") + "\n"
}

// resultLines formats results one per line.
func resultLines(rs framework.Results) string {
	var b bytes.Buffer
	if err := fn.WriteResults(&b, rs); err != nil {
		return err.Error()
	}
	return b.String()
}

// errString is an error's message, or "" for none.
func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestRunWithStyle covers the one writer setting Run cannot meet by
// indenting bytes: a style for the whole list, for which it hands every
// object to kyaml. The output must still read as framework.Execute's.
func TestRunWithStyle(t *testing.T) {
	const in = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items: []
functionConfig:
  apiVersion: istio-render.dev/v1alpha1
  kind: IstioMesh
  metadata:
    name: small
  spec:
    profile: minimal
    values:
      base: {global: {resourceScope: namespace}}
      istiod: {global: {resourceScope: cluster}}
`
	for _, style := range []yaml.Style{yaml.FlowStyle, yaml.DoubleQuotedStyle} {
		newRW := func(out io.Writer) *kio.ByteReadWriter {
			return &kio.ByteReadWriter{Reader: strings.NewReader(in), Writer: out, KeepReaderAnnotations: true, Style: style}
		}
		var oldOut, newOut bytes.Buffer
		if err := framework.Execute(fn.Processor{}, newRW(&oldOut)); err != nil {
			t.Fatal(err)
		}
		if _, err := (fn.Processor{}).Run(t.Context(), newRW(&newOut)); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(oldOut.String(), reencode(t, newOut.Bytes())); diff != "" {
			t.Errorf("style %v: Run's output, read and written by kyaml, is not framework.Execute's (-Execute +Run):\n%s", style, diff)
		}
	}
}
