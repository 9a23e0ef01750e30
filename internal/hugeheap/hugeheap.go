// Package hugeheap backs the istio-render process's heap with transparent
// huge pages where Linux offers them only on request.
//
// A render touches some 15 MiB of fresh heap in under 50 ms. With 4 KiB
// pages each first touch is a page fault, and on virtual machines a fault
// costs several microseconds: before this package, a cold render spent a
// third of its CPU time in the kernel, most of it on some 3,900 faults in
// fresh heap. A huge page takes one fault per 2 MiB.
//
// When /sys/kernel/mm/transparent_hugepage/enabled says "[madvise]", the
// kernel's default on many distributions, this package's init allocates a
// 32 MiB block, so that the runtime maps that much heap at once, marks it
// with madvise(MADV_HUGEPAGE), and collects it again; the allocations that
// follow reuse the marked memory. Under "always" the heap gets huge pages
// anyway and under "never" it cannot, so nothing is done. GODEBUG=disablethp=1,
// the Go runtime's own switch to keep huge pages off the heap, turns it off
// too. Output never depends on it: only where the heap's pages come from.
//
// The package imports only runtime, strings, syscall and unsafe, so that Go
// initializes it before the packages whose initialization allocates the
// most; a test of the built binary holds that order. Only the
// istio-render command imports it, for its side effect.
package hugeheap
