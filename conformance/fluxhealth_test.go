package conformance_test

import (
	"context"
	"testing"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/ext"
	"sigs.k8s.io/yaml"

	"github.com/istio-render/istio-render/flux"
	"github.com/istio-render/istio-render/mesh"
	"github.com/istio-render/istio-render/render"
)

// fluxCELEnv is the environment Flux's kustomize-controller evaluates a
// health check expression in (fluxcd/pkg/runtime/cel, NewExpression): the
// expression is parsed, not checked, so every top-level field of the
// object is a variable of dynamic type.
func fluxCELEnv(t *testing.T) *cel.Env {
	t.Helper()
	env, err := cel.NewEnv(
		cel.HomogeneousAggregateLiterals(),
		cel.EagerlyValidateDeclarations(true),
		cel.DefaultUTCTimeZone(true),
		cel.CrossTypeNumericComparisons(true),
		cel.OptionalTypes(),
		ext.Strings(),
		ext.Sets(),
		ext.Encoders(),
	)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// TestFluxWaitsForTheCAReady evaluates the health check the render gives
// the Flux phase holding the plugged-in CA's Certificate, as Flux
// evaluates it, on the states cert-manager moves a Certificate through:
// only a Ready one is current. One cert-manager has not reconciled yet
// cannot be evaluated, which Flux reports as unknown and keeps waiting on;
// kstatus alone would count it ready.
func TestFluxWaitsForTheCAReady(t *testing.T) {
	m, _, err := mesh.Load([]byte("apiVersion: istio-render.dev/v1alpha1\nkind: IstioMesh\nmetadata:\n  name: t\nspec:\n  profile: minimal\n  mesh:\n    ca: {type: plugin, plugin: {issuerRef: {name: root, kind: ClusterIssuer}}}\n  gitops: {tool: flux, flux: {path: ./deploy}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := render.Render(context.Background(), m, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ks, err := flux.Kustomizations(out.Resources, &out.Spec.Spec)
	if err != nil {
		t.Fatal(err)
	}
	var current string
	for _, k := range ks {
		var obj struct {
			Spec struct {
				HealthCheckExprs []struct{ APIVersion, Kind, Current string } `json:"healthCheckExprs"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal(k.YAML, &obj); err != nil {
			t.Fatal(err)
		}
		for _, h := range obj.Spec.HealthCheckExprs {
			if h.APIVersion == "cert-manager.io/v1" && h.Kind == "Certificate" {
				current = h.Current
			}
		}
	}
	if current == "" {
		t.Fatal("no Kustomization checks cert-manager Certificates")
	}
	env := fluxCELEnv(t)
	ast, issues := env.Parse(current)
	if issues != nil && issues.Err() != nil {
		t.Fatalf("%q does not parse: %v", current, issues.Err())
	}
	prg, err := env.Program(ast)
	if err != nil {
		t.Fatal(err)
	}
	condition := func(typ, status string) any {
		return map[string]any{"type": typ, "status": status, "reason": "Test", "message": "test"}
	}
	certificate := func(conditions ...any) map[string]any {
		obj := map[string]any{
			"apiVersion": "cert-manager.io/v1", "kind": "Certificate",
			"metadata": map[string]any{"name": "cacerts", "namespace": "istio-system", "generation": int64(1)},
			"spec":     map[string]any{"secretName": "cacerts", "isCA": true},
		}
		if conditions != nil {
			obj["status"] = map[string]any{"conditions": conditions}
		}
		return obj
	}
	tests := []struct {
		name    string
		object  map[string]any
		want    bool
		unknown bool
	}{
		{name: "not reconciled yet", object: certificate(), unknown: true},
		{name: "issuing, no Ready condition yet", object: certificate(condition("Issuing", "True")), want: false},
		{name: "issuing", object: certificate(condition("Ready", "False"), condition("Issuing", "True")), want: false},
		{name: "failed", object: certificate(condition("Ready", "False"), condition("Issuing", "False")), want: false},
		{name: "ready, no longer issuing", object: certificate(condition("Ready", "True")), want: true},
		{name: "ready, renewing", object: certificate(condition("Issuing", "True"), condition("Ready", "True")), want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			val, _, err := prg.Eval(tt.object)
			if tt.unknown {
				if err == nil {
					t.Fatalf("%q = %v, want an evaluation error (status unknown, Flux keeps waiting)", current, val)
				}
				return
			}
			if err != nil {
				t.Fatalf("%q: %v", current, err)
			}
			if got, ok := val.(types.Bool); !ok || bool(got) != tt.want {
				t.Errorf("%q = %v, want %t", current, val, tt.want)
			}
		})
	}
}
