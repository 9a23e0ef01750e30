package fn

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteItem(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{name: "mapping", doc: "a: 1\nb:\n  c: 2\n", want: "- a: 1\n  b:\n    c: 2\n"},
		{name: "empty line in a block scalar stays empty", doc: "a: |\n  x\n\n  y\nb: 1\n", want: "- a: |\n    x\n\n    y\n  b: 1\n"},
		{name: "no final newline", doc: "a: 1\nb: 2", want: "- a: 1\n  b: 2\n"},
		{name: "sequence in a mapping", doc: "a:\n- 1\n- 2\n", want: "- a:\n  - 1\n  - 2\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			bw := bufio.NewWriter(&b)
			if err := writeItem(bw, []byte(tc.doc)); err != nil {
				t.Fatal(err)
			}
			if err := bw.Flush(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, b.String()); diff != "" {
				t.Errorf("writeItem(%q) mismatch (-want +got):\n%s", tc.doc, diff)
			}
		})
	}
}
