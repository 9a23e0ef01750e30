package conformance_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// coverageSpecs is how many specs the coverage test generates: the
// property's CI count.
const coverageSpecs = 300

// ungenerated are the schema's field paths no valid spec sets, each with
// the reason; the coverage test does not ask for them, and fails when a
// generated spec sets one (validation then takes it after all).
var ungenerated = map[string]string{
	"spec.multicluster.eastWestGateway.service.ports":        "the east-west gateway's ports are the chart's network ports; validation refuses any other",
	"spec.multicluster.eastWestGateway.service.ports[].name": "as spec.multicluster.eastWestGateway.service.ports",
	"spec.multicluster.eastWestGateway.service.ports[].port": "as spec.multicluster.eastWestGateway.service.ports",
}

// uncoveredSchema lists the schema's field paths no generated spec set, and
// the enumerated values none took; and the paths of ungenerated a spec set.
func uncoveredSchema(s *specSchema, paths map[string]bool, values map[string]map[string]bool) []string {
	var out []string
	for _, p := range s.paths {
		if _, skip := ungenerated[p]; skip {
			if paths[p] {
				out = append(out, p+" (listed as never generated)")
			}
			continue
		}
		if !paths[p] {
			out = append(out, p)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(s.enums)) {
		for _, v := range s.enums[p] {
			if paths[p] && !values[p][v] {
				out = append(out, fmt.Sprintf("%s: %q", p, v))
			}
		}
	}
	return out
}

// TestGeneratorCoversTheSchema fails when the spec's schema has a field
// the generator never sets in a run, or an enumerated value it never
// generates: the property would not reach it.
func TestGeneratorCoversTheSchema(t *testing.T) {
	g := newGen(t, propertyConfig)
	paths, values := map[string]bool{}, map[string]map[string]bool{}
	for i := range coverageSpecs {
		fieldsSet(g.spec(*propertySeed, i), paths, values)
	}
	t.Logf("%d specs of seed %d set %d field paths; the schema has %d, %d of them enumerated", coverageSpecs, *propertySeed, len(paths), len(g.schema.paths), len(g.schema.enums))
	if missing := uncoveredSchema(g.schema, paths, values); len(missing) > 0 {
		t.Errorf("%d specs of seed %d never set:\n  %s", coverageSpecs, *propertySeed, strings.Join(missing, "\n  "))
	}
}

// TestUncovered proves the coverage check can fail: a field never set, or
// an enumerated value never taken, is listed.
func TestUncovered(t *testing.T) {
	s := &specSchema{
		paths: []string{"spec", "spec.mode", "spec.gateways", "spec.gateways[].name"},
		enums: map[string][]string{"spec.mode": {"a", "b"}},
	}
	tests := []struct {
		name   string
		paths  []string
		values []string // of spec.mode
		want   []string
	}{{
		name:   "everything",
		paths:  []string{"spec", "spec.mode", "spec.gateways", "spec.gateways[].name"},
		values: []string{"a", "b"},
	}, {
		name:   "a field never set",
		paths:  []string{"spec", "spec.mode", "spec.gateways"},
		values: []string{"a", "b"},
		want:   []string{"spec.gateways[].name"},
	}, {
		name:   "a value never taken",
		paths:  []string{"spec", "spec.mode", "spec.gateways", "spec.gateways[].name"},
		values: []string{"b"},
		want:   []string{`spec.mode: "a"`},
	}, {
		name:  "an enumerated field never set",
		paths: []string{"spec", "spec.gateways", "spec.gateways[].name"},
		want:  []string{"spec.mode"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paths := map[string]bool{}
			for _, p := range tt.paths {
				paths[p] = true
			}
			values := map[string]map[string]bool{"spec.mode": {}}
			for _, v := range tt.values {
				values["spec.mode"][v] = true
			}
			if diff := cmp.Diff(tt.want, uncoveredSchema(s, paths, values)); diff != "" {
				t.Errorf("uncovered (-want +got):\n%s", diff)
			}
		})
	}
}
