package hugeheap

import (
	"runtime"
	"strings"
	"syscall"
	"unsafe"
)

// size is how much heap is marked for huge pages, in bytes: more than a
// render of the default or production profile keeps in use at once.
const size = 32 << 20

// modeFile holds the system's transparent huge page mode, such as
// "always [madvise] never" with the active mode in brackets.
const modeFile = "/sys/kernel/mm/transparent_hugepage/enabled"

func init() {
	if !wanted(readMode(modeFile), syscall.Getenv) {
		return
	}
	// Best effort: a kernel without huge pages says EINVAL.
	_ = advise(make([]byte, size))
	// The block is garbage now. Collect it while little else is live, so
	// that the allocations that follow reuse its marked pages.
	runtime.GC()
}

// wanted reports whether the heap should be marked: only when the kernel
// gives huge pages to marked memory alone and GODEBUG does not set
// disablethp=1.
func wanted(mode string, getenv func(string) (string, bool)) bool {
	if !strings.Contains(mode, "[madvise]") {
		return false
	}
	godebug, _ := getenv("GODEBUG")
	disabled := false
	for setting := range strings.SplitSeq(godebug, ",") {
		// Like the runtime, the last setting of a name wins.
		if value, ok := strings.CutPrefix(setting, "disablethp="); ok {
			disabled = value == "1"
		}
	}
	return !disabled
}

// advise marks the whole pages inside b for transparent huge pages.
func advise(b []byte) error {
	page := uintptr(syscall.Getpagesize())
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start := (p + page - 1) &^ (page - 1)
	end := (p + uintptr(len(b))) &^ (page - 1)
	if start >= end {
		return nil
	}
	return syscall.Madvise(b[start-p:end-p], syscall.MADV_HUGEPAGE)
}

// readMode returns the first line of path, or "" if it cannot be read.
func readMode(path string) string {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return ""
	}
	defer syscall.Close(fd)
	var buf [128]byte
	n, err := syscall.Read(fd, buf[:])
	if err != nil || n <= 0 {
		return ""
	}
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	return line
}
