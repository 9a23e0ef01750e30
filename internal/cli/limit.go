package cli

import (
	"fmt"
	"io"
)

// maxInputBytes is the most fn reads: its ResourceList on standard input,
// or standalone, its resource files together. kustomize sends a generator
// the spec (at most mesh.MaxSpecBytes) and a copy of it; a pipeline that
// runs fn as a transformer sends the objects of a package, and the API
// server stores none over 1.5 MiB, so 64 MiB holds dozens of the largest
// objects and tens of thousands of ordinary ones. kyaml holds what it
// reads as nodes some nine times its size, so the limit also bounds the
// memory a mistaken input can take to well under a gigabyte.
const maxInputBytes = 64 << 20

// inputTooLargeError reports input over the limit of fn's input.
type inputTooLargeError struct {
	name  string // standard input or the resource input
	limit int64  // bytes
}

func (e *inputTooLargeError) Error() string {
	size := fmt.Sprintf("%d bytes", e.limit)
	if e.limit%(1<<20) == 0 {
		size = fmt.Sprintf("%d MiB", e.limit>>20)
	}
	return fmt.Sprintf("%s holds more than %s, the most fn reads", e.name, size)
}

// limitReader reads from r until more than limit bytes came through, then
// fails with an *inputTooLargeError. It never reads more than one byte
// past the limit.
type limitReader struct {
	r    io.Reader
	name string
	// left is how many more bytes may come; -1 once one too many came.
	left, limit int64
}

func newLimitReader(r io.Reader, name string, limit int64) *limitReader {
	return &limitReader{r: r, name: name, left: limit, limit: limit}
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, &inputTooLargeError{name: l.name, limit: l.limit}
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, &inputTooLargeError{name: l.name, limit: l.limit}
	}
	return n, err
}
