package hugeheap

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

func TestWanted(t *testing.T) {
	for _, c := range []struct {
		mode, godebug string
		want          bool
	}{
		{"always madvise [never]", "", false},
		{"[always] madvise never", "", false},
		{"always [madvise] never", "", true},
		{"always [madvise] never", "disablethp=0", true},
		{"always [madvise] never", "disablethp=1", false},
		{"always [madvise] never", "gctrace=1,disablethp=1", false},
		{"always [madvise] never", "disablethp=1,disablethp=0", true},
		{"always [madvise] never", "xdisablethp=1", true},
		{"", "", false},
	} {
		getenv := func(key string) (string, bool) {
			if key != "GODEBUG" {
				t.Errorf("wanted reads %s", key)
			}
			return c.godebug, c.godebug != ""
		}
		if got := wanted(c.mode, getenv); got != c.want {
			t.Errorf("wanted(%q, GODEBUG=%q) = %v, want %v", c.mode, c.godebug, got, c.want)
		}
	}
}

func TestReadMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "enabled")
	if err := os.WriteFile(path, []byte("always [madvise] never\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := readMode(path), "always [madvise] never"; got != want {
		t.Errorf("readMode = %q, want %q", got, want)
	}
	if got := readMode(filepath.Join(t.TempDir(), "missing")); got != "" {
		t.Errorf("readMode of a missing file = %q, want empty", got)
	}
}

// TestInitMarksHeap checks that the package's init marked a block of this
// test process's heap, where the system's mode asks for marking.
func TestInitMarksHeap(t *testing.T) {
	if !wanted(readMode(modeFile), syscall.Getenv) {
		t.Skipf("%s is %q: init marks nothing", modeFile, readMode(modeFile))
	}
	marked, err := hugePageRanges()
	if err != nil {
		t.Fatal(err)
	}
	var total uintptr
	for _, r := range marked {
		total += r[1] - r[0]
	}
	if total < size {
		t.Errorf("%d bytes are marked for huge pages, want at least %d", total, size)
	}
}

// TestAdviseMarksMemory checks, in /proc/self/smaps, that advise sets the
// kernel's huge-page flag on all of the memory it is given.
func TestAdviseMarksMemory(t *testing.T) {
	block := make([]byte, size)
	if err := advise(block); errors.Is(err, syscall.EINVAL) {
		t.Skip("this kernel has no transparent huge pages")
	} else if err != nil {
		t.Fatalf("advise: %v", err)
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(block)))
	end := start + size
	marked, err := hugePageRanges()
	if err != nil {
		t.Fatal(err)
	}
	var covered uintptr
	for _, r := range marked {
		lo, hi := max(r[0], start), min(r[1], end)
		if lo < hi {
			covered += hi - lo
		}
	}
	// advise rounds inward to whole pages; a large allocation starts on a
	// runtime page, which is a whole number of OS pages.
	if covered != size {
		t.Errorf("%d of %d bytes are marked for huge pages", covered, size)
	}
}

// hugePageRanges lists the address ranges whose mapping carries the "hg"
// (MADV_HUGEPAGE) flag.
func hugePageRanges() ([][2]uintptr, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ranges [][2]uintptr
	var current [2]uintptr
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok {
			if strings.Contains(" "+flags+" ", " hg ") {
				ranges = append(ranges, current)
			}
			continue
		}
		field, _, _ := strings.Cut(line, " ")
		lo, hi, ok := strings.Cut(field, "-")
		if !ok {
			continue
		}
		a, errA := strconv.ParseUint(lo, 16, 64)
		b, errB := strconv.ParseUint(hi, 16, 64)
		if errA != nil || errB != nil {
			continue
		}
		current = [2]uintptr{uintptr(a), uintptr(b)}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading smaps: %w", err)
	}
	return ranges, nil
}
