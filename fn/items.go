package fn

import (
	"bytes"
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/istio-render/istio-render/render"
)

// toNodes marks rendered resources and parses them into RNodes, keeping
// their order.
func toNodes(rs []render.Resource, m marker) ([]*yaml.RNode, error) {
	nodes := make([]*yaml.RNode, len(rs))
	for i, r := range rs {
		d, err := m.mark(r.YAML)
		if err != nil {
			return nil, fmt.Errorf("%s: marking rendered %s: %w", r.Component, r.ID(), err)
		}
		n, err := yaml.Parse(string(d.bytes()))
		if err != nil {
			return nil, fmt.Errorf("%s: parsing rendered %s: %w", r.Component, r.ID(), err)
		}
		nodes[i] = n
	}
	return nodes, nil
}

// needsNode reports whether a rendered object must be parsed into a node
// to be written as framework.Execute writes it. It errs on the side of
// parsing: the cost is time, never a different output.
//
// framework.Execute and kio.ByteWriter change an object they write in two
// ways. They reconcile the config.kubernetes.io/ and config.k8s.io/
// annotations with their internal.config.kubernetes.io/ twins, so any
// object that mentions those prefixes anywhere is parsed. And they drop
// metadata.annotations when it has no entries, and then metadata when
// empty; the YAML render gives has keys sorted and maps in block style,
// so an empty (or scalar) value is written on its key's line, as
// "metadata: {}" at the margin or "annotations: {}" two spaces in. An
// object with either line, under metadata or not, is parsed. So is one
// that does not start with a key at the margin, which render never gives.
func needsNode(doc []byte) bool {
	if len(doc) == 0 || !isLetter(doc[0]) || bytes.HasPrefix(doc, []byte("metadata: ")) {
		return true
	}
	return mentionsConfigAnnotation(doc) ||
		bytes.Contains(doc, []byte("\nmetadata: ")) || bytes.Contains(doc, []byte("\n  annotations: "))
}

// mentionsConfigAnnotation reports whether doc holds "config.kubernetes.io/"
// or "config.k8s.io/", in one pass.
func mentionsConfigAnnotation(doc []byte) bool {
	for {
		i := bytes.Index(doc, []byte("config.k"))
		if i < 0 {
			return false
		}
		doc = doc[i+len("config.k"):]
		if bytes.HasPrefix(doc, []byte("ubernetes.io/")) || bytes.HasPrefix(doc, []byte("8s.io/")) {
			return true
		}
	}
}

// isLetter reports whether c is an ASCII letter.
func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
