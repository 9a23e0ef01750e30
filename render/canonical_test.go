package render

import (
	"testing"

	"sigs.k8s.io/yaml"
)

// reference is what the short path must match: sigs.k8s.io/yaml's
// Unmarshal into a map and Marshal back.
func reference(doc []byte) ([]byte, error) {
	var fields map[string]any
	if err := yaml.Unmarshal(doc, &fields); err != nil {
		return nil, err
	}
	return yaml.Marshal(fields)
}

// canonicalCases are documents at the edges of the short path: YAML 1.1
// scalars, numbers that JSON changes, keys and values JSON cannot hold, and
// which path each takes.
var canonicalCases = []struct {
	doc   string
	short bool
}{
	{"a: 1\n", true},
	{"kind: x\nb: [1, 2.5, -0, -0.0, 1e3, 1e21, 1e-7, 0x1F, 0o17, 017, 1_000, .5, +1]\n", true},
	{"a: 12345678901234567890\nb: 99999999999999999999\nc: 9007199254740993\nd: -9223372036854775808\n", true},
	{"a: 9007199254740992\nb: -9007199254740992\nc: -9007199254740993\nd: 9007199254740991\ne: 0x20000000000001\n", true},
	{"a: yes\nb: no\nc: on\nd: off\ne: ~\nf: null\ng: Null\nh: NULL\n", true},
	{"a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\nc: 12:30:45\n", true},
	{"a: &x {b: 1}\nc: *x\n", true},
	{"<<: {a: 1}\nb: 2\n", true},
	{"a: |\n  line\n    indented\n  trailing   \n", true},
	{"a: >-\n  folded\n  text\n", true},
	{"a: {}\nb: []\nc: [{}]\nd: ''\n", true},
	{"a: 1\na: 2\n", true},
	{"'yes': 1\n\"0x10\": 2\n", true},
	{"a: !!binary aGVsbG8=\n", true},
	// JSON cannot hold these; the reference path fails on them.
	{"a: .inf\n", false}, {"a: -.Inf\n", false}, {"a: .nan\n", false},
	{"~: a\n", false}, {"[1]: a\n", false},
	{"- a\n- b\n", false}, {"scalar\n", false},
	{"a: [\n", false}, {"a: b: c\n", false},
	// The reference path turns these keys into strings.
	{"1: a\n", false}, {"true: a\n", false}, {"1.5: a\n", false},
	// Bytes JSON replaces, and characters YAML will not read back.
	{"a: !!binary /w==\n", false},
	{"a: \"\\u2028 \\u0000 \\t <&> \\x7f\"\n", false},
	{"a: \"\\uFFFE\"\n", false},
	// Nothing to encode.
	{"", false}, {"---\n", false}, {"# comment\n", false},
}

func TestCanonicalMatchesReference(t *testing.T) {
	for _, c := range canonicalCases {
		checkCanonical(t, []byte(c.doc))
		if obj, _ := parseCanonical([]byte(c.doc), true); obj.fast != c.short {
			t.Errorf("%q: short path %v, want %v", c.doc, obj.fast, c.short)
		}
	}
}

// FuzzCanonical holds the short path to the reference on any document: the
// same bytes, or the same failure.
func FuzzCanonical(f *testing.F) {
	for _, c := range canonicalCases {
		f.Add([]byte(c.doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkCanonical(t, doc)
	})
}

func checkCanonical(t *testing.T, doc []byte) {
	t.Helper()
	want, wantErr := reference(doc)
	obj, err := parseCanonical(doc, true)
	var got []byte
	if err == nil {
		got, err = obj.encode(len(doc))
	}
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%q: error %v, reference error %v", doc, err, wantErr)
	}
	if string(got) != string(want) {
		t.Errorf("%q:\nshort path:\n%s\nreference:\n%s", doc, got, want)
	}
}
