package render_test

import (
	"bytes"
	"testing"
)

// TestClosingBracesStayInert: "}}" without "{{" starts no template
// action, so raw values holding it pass through the istiod chart's tpl
// unchanged, and every render is the same.
func TestClosingBracesStayInert(t *testing.T) {
	spec := "spec:\n  values:\n    istiod:\n      initContainers:\n      - name: init\n        image: \"busybox\"\n        args: [\"}}\", \"{\\\"a\\\": {\\\"b\\\": 1}}\"]\n"
	a, b := renderSpec(t, spec).Bytes(), renderSpec(t, spec).Bytes()
	if !bytes.Equal(a, b) {
		t.Fatal("two renders differ")
	}
	if !bytes.Contains(a, []byte("        - '}}'\n        - '{\"a\": {\"b\": 1}}'\n")) {
		t.Errorf("the init container's args did not pass through tpl unchanged")
	}
}
