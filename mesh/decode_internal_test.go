package mesh

import (
	"testing"

	yamlv2 "go.yaml.in/yaml/v2"
	yamlv3 "go.yaml.in/yaml/v3"
)

// TestKeyTypeAgreesWithDecoder holds checkNodes, which finds keys that are
// not strings with their line, to the decoder the tree comes from: for
// each key, keyType must call it a non-string exactly when the YAML 1.1
// decoder reads it as something other than a string.
func TestKeyTypeAgreesWithDecoder(t *testing.T) {
	keys := []string{
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
		"true", "True", "TRUE", "false", "False", "FALSE", "yES", "tRUE", "oN", "nO", "yeah",
		"~", "null", "Null", "NULL", "nULL", "none",
		"0", "1", "-1", "+1", "-0", "007", "0x1F", "0X1F", "0o17", "0b101", "1_000", "0x_1", "1__0",
		"1.5", "1.", ".5", "+.5", "1e3", "1E3", "-1e-3", "1e", "12e", "0x", "1.2.3",
		".inf", "-.Inf", "+.INF", ".nan", ".NaN", "inf", "nan",
		"2001-12-14", "2001-12-14T21:59:43.10-05:00", "1:20", "190:20:30",
		"abc", "a1", "_x", "x-y", "<<x", "'1'", `"true"`, "!!str 1", "'~'",
	}
	for _, k := range keys {
		doc := []byte(k + ": v\n")
		var decoded map[any]any
		if err := yamlv2.Unmarshal(doc, &decoded); err != nil {
			t.Errorf("%s: %v", k, err)
			continue
		}
		var node yamlv3.Node
		if err := yamlv3.Unmarshal(doc, &node); err != nil {
			t.Errorf("%s: %v", k, err)
			continue
		}
		var decoderSays any
		for key := range decoded {
			decoderSays = key
		}
		_, isString := decoderSays.(string)
		walkSays := keyType(node.Content[0].Content[0])
		if (walkSays == "") != isString {
			t.Errorf("key %s: the decoder reads %#v, keyType says %q", k, decoderSays, walkSays)
		}
	}
}
