package cli

import (
	"fmt"
	"io"
)

// maxInputBytes is the most fn reads: its ResourceList on standard input,
// or standalone, its resource files together. kustomize sends a generator
// the spec (at most mesh.MaxSpecBytes) and a copy of it; a pipeline that
// runs fn over a package sends the package's objects, and 64 MiB is some
// sixty times Istio's own full render. More is a mistake (a log, a dump,
// the wrong file), and fn stops one byte past the limit, before parsing:
// 100 MB on standard input fails in under a second at about 300 MiB of
// memory, where it took half a minute and 2.6 GB. The limit does not make
// a large list cheap: kyaml holds what it reads as nodes, some 40 bytes
// of memory per byte of input for ordinary 1 KiB objects (60 MiB of them
// took 2.3 GB) and more for smaller ones.
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
