package render

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"maps"
	"math"
	"reflect"
	"slices"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Cache remembers rendered releases so that rendering the same release
// again, in this or a later call, costs a copy instead of a chart render.
// It is an object its owner creates and passes in [Options]; nothing is
// remembered without one. A Cache is safe for concurrent use by any number
// of renders, with any chart sources.
//
// A release is remembered by everything its output depends on: the
// chart's content (its digest, so two sources with the same chart share
// entries), the component it is rendered as, the release name and
// namespace, the Istio version the chart is labelled with, the Kubernetes
// version, the values with their Go types (a template sees int64 and
// float64 differently), and the GitOps settings that annotate the objects. A hit returns a copy: callers may modify what a
// render returns.
type Cache struct {
	entries *lru.Cache[[sha256.Size]byte, rendered]
}

// NewCache returns a cache that keeps the size most recently used
// releases; a render of the default profile uses three entries. A size of
// 0 or less returns nil, the cache that remembers nothing.
func NewCache(size int) *Cache {
	if size <= 0 {
		return nil
	}
	entries, err := lru.New[[sha256.Size]byte, rendered](size)
	if err != nil {
		// lru.New fails only for a size below 1.
		panic(err)
	}
	return &Cache{entries: entries}
}

// Len returns how many releases the cache holds.
func (c *Cache) Len() int {
	if c == nil {
		return 0
	}
	return c.entries.Len()
}

// get returns a copy of a remembered release.
func (c *Cache) get(key [sha256.Size]byte) (rendered, bool) {
	r, ok := c.entries.Get(key)
	if !ok {
		return rendered{}, false
	}
	return r.clone(), true
}

// add remembers a release; r must not be handed to a caller afterwards
// without a copy.
func (c *Cache) add(key [sha256.Size]byte, r rendered) { c.entries.Add(key, r) }

// cacheKey digests everything a release's output depends on.
func cacheKey(rel *release) [sha256.Size]byte {
	h := sha256.New()
	w := keyWriter{h: h}
	for _, s := range []string{
		rel.chart.Digest(), rel.Component, rel.Name, rel.Namespace,
		rel.istioVersion, rel.KubeVersion,
	} {
		w.str(s)
	}
	w.value(rel.values())
	w.str(rel.gitops.tool)
	w.value(rel.gitops.protect)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

// keyWriter writes values into a hash with a type tag before each, so
// that values of different types or shapes never write the same bytes.
type keyWriter struct {
	h   hash.Hash
	buf [9]byte
}

func (w *keyWriter) tag(t byte, n uint64) {
	w.buf[0] = t
	binary.BigEndian.PutUint64(w.buf[1:], n)
	w.h.Write(w.buf[:])
}

func (w *keyWriter) str(s string) {
	w.tag('s', uint64(len(s)))
	w.h.Write([]byte(s))
}

// value writes a generic value: maps with sorted keys, lists in order,
// scalars by type.
func (w *keyWriter) value(v any) {
	switch x := v.(type) {
	case nil:
		w.tag('z', 0)
	case string:
		w.str(x)
	case bool:
		n := uint64(0)
		if x {
			n = 1
		}
		w.tag('b', n)
	case int:
		w.tag('i', uint64(x))
	case int64:
		w.tag('I', uint64(x))
	case int32:
		w.tag('j', uint64(x))
	case float64:
		w.tag('f', math.Float64bits(x))
	case map[string]any:
		w.tag('m', uint64(len(x)))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			w.str(k)
			w.value(x[k])
		}
	case []any:
		w.tag('l', uint64(len(x)))
		for _, e := range x {
			w.value(e)
		}
	default:
		// Any other type: its name and printed form. Values come from
		// decoded YAML and the spec's own settings, so this is rare.
		w.tag('?', 0)
		w.str(reflect.TypeOf(v).String())
		w.str(fmt.Sprintf("%#v", v))
	}
}
