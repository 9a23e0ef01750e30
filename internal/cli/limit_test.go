package cli

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestLimitReader(t *testing.T) {
	const limit = 10
	tests := []struct {
		name    string
		input   string
		want    string
		wantErr string
	}{
		{name: "empty", input: "", want: ""},
		{name: "under", input: "123456789", want: "123456789"},
		{name: "at the limit", input: "1234567890", want: "1234567890"},
		{name: "one over", input: "12345678901", want: "12345678901", wantErr: "input holds more than 10 bytes, the most fn reads"},
		{name: "far over", input: strings.Repeat("x", 100_000), want: "xxxxxxxxxxx", wantErr: "input holds more than 10 bytes, the most fn reads"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := &countingReader{r: strings.NewReader(tc.input)}
			got, err := io.ReadAll(newLimitReader(src, "input", limit))
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("data mismatch (-want +got):\n%s", diff)
			}
			var tooLarge *inputTooLargeError
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("error %v, want none", err)
				}
			} else if !errors.As(err, &tooLarge) || err.Error() != tc.wantErr {
				t.Errorf("error %v, want %q", err, tc.wantErr)
			}
			if src.n > limit+1 {
				t.Errorf("read %d bytes of the input, want at most %d", src.n, limit+1)
			}
		})
	}
}
