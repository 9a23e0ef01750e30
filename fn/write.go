package fn

import (
	"bufio"
	"bytes"
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/istio-render/istio-render/render"
)

// listWriter writes what rw.Write writes for the input items followed by
// the rendered objects parsed into nodes, without parsing most of them:
// see [Processor.Run].
type listWriter struct {
	rw *kio.ByteReadWriter
	// annos are the input items' annotations as
	// kio.PreprocessResourcesForInternalAnnotationMigration recorded them.
	annos map[string]map[string]string
	// marker marks each rendered object as it is written.
	marker marker
}

// bufferSize is the output buffer: the list is written in pieces of about
// this size, never held whole.
const bufferSize = 64 << 10

// emptyItems ends what kio.ByteWriter writes for a list without items.
const emptyItems = "items: []\n"

// write writes items, which kyaml encodes, then the rendered objects.
func (lw listWriter) write(items []*yaml.RNode, rendered []render.Resource) error {
	rw := lw.rw
	wrapped := !rw.NoWrap && rw.WrappingKind != ""
	if rw.Style != 0 || (!wrapped && len(items)+len(rendered) == 1) {
		// A style applies to the whole list, and a single unwrapped object
		// may be written as JSON: kyaml alone knows how.
		nodes, err := lw.nodes(rendered)
		if err != nil {
			return err
		}
		return rw.Write(append(items, nodes...))
	}
	bw := bufio.NewWriterSize(rw.Writer, bufferSize)
	var head bytes.Buffer
	hw := kio.ByteWriter{Writer: &head, KeepReaderAnnotations: rw.KeepReaderAnnotations}
	if wrapped {
		hw.WrappingKind, hw.WrappingAPIVersion = rw.WrappingKind, rw.WrappingAPIVersion
	}
	if err := hw.Write(items); err != nil {
		return err
	}
	if wrapped && len(items) == 0 && len(rendered) > 0 {
		// The items follow as a block sequence instead.
		b, ok := bytes.CutSuffix(head.Bytes(), []byte(emptyItems))
		if !ok {
			return fmt.Errorf("writing the ResourceList: the list without items does not end in %q", emptyItems)
		}
		head.Truncate(len(b))
		head.WriteString("items:\n")
	}
	written := head.Len() > 0
	if _, err := bw.Write(head.Bytes()); err != nil {
		return fmt.Errorf("writing the ResourceList: %w", err)
	}
	for _, r := range rendered {
		if err := lw.writeRendered(bw, r, wrapped, written); err != nil {
			return err
		}
		written = true
	}
	if wrapped {
		if err := lw.writeTail(bw); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing the ResourceList: %w", err)
	}
	return nil
}

// writeRendered writes one rendered object: an item of the list when
// wrapped, else a document of the stream, after a separator unless it is
// the first.
func (lw listWriter) writeRendered(bw *bufio.Writer, r render.Resource, wrapped, separate bool) error {
	if !wrapped && separate {
		if _, err := bw.WriteString("---\n"); err != nil {
			return fmt.Errorf("writing the ResourceList: %w", err)
		}
	}
	d, err := lw.marker.mark(r.YAML)
	if err != nil {
		return fmt.Errorf("%s: marking rendered %s: %w", r.Component, r.ID(), err)
	}
	if !d.needsNode(r.YAML) {
		if wrapped {
			err = writeItem(bw, d.head, d.insert, d.tail)
		} else {
			err = writeAll(bw, d.head, d.insert, d.tail)
		}
		if err != nil {
			return fmt.Errorf("writing the ResourceList: %w", err)
		}
		return nil
	}
	nodes, err := lw.nodes([]render.Resource{r})
	if err != nil {
		return err
	}
	n := nodes[0]
	seqIndent := n.GetAnnotations()[kioutil.SeqIndentAnnotation]
	if err := lw.clean(n); err != nil {
		return err
	}
	enc := yaml.NewEncoder(bw)
	var doc *yaml.Node
	if wrapped {
		doc = &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{n.YNode()}}
	} else {
		doc = n.Document()
		if seqIndent == string(yaml.WideSequenceStyle) {
			enc.DefaultSeqIndent()
		}
	}
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing %s: %w", r.ID(), err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", r.ID(), err)
	}
	return nil
}

// nodes marks and parses rendered objects and reconciles their
// annotations as framework.Execute does for the items a function returns.
func (lw listWriter) nodes(rendered []render.Resource) ([]*yaml.RNode, error) {
	nodes, err := toNodes(rendered, lw.marker)
	if err != nil {
		return nil, err
	}
	if err := kio.ReconcileInternalAnnotations(nodes, lw.annos); err != nil {
		return nil, err
	}
	return nodes, nil
}

// clean does to a node what kio.ByteWriter does before encoding it.
func (lw listWriter) clean(n *yaml.RNode) error {
	if !lw.rw.KeepReaderAnnotations {
		for _, a := range []string{kioutil.IndexAnnotation, kioutil.LegacyIndexAnnotation, kioutil.SeqIndentAnnotation} {
			if _, err := n.Pipe(yaml.ClearAnnotation(a)); err != nil {
				return fmt.Errorf("clearing %s: %w", a, err)
			}
		}
	}
	return yaml.ClearEmptyAnnotations(n)
}

// writeTail writes the list's functionConfig and results, if any, as the
// last fields of the list.
func (lw listWriter) writeTail(bw *bufio.Writer) error {
	tail := &yaml.Node{Kind: yaml.MappingNode}
	if fc := lw.rw.FunctionConfig; fc != nil {
		tail.Content = append(tail.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "functionConfig"}, fc.YNode())
	}
	if rs := lw.rw.Results; rs != nil {
		tail.Content = append(tail.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "results"}, rs.YNode())
	}
	if len(tail.Content) == 0 {
		return nil
	}
	enc := yaml.NewEncoder(bw)
	err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{tail}})
	if err == nil {
		err = enc.Close()
	}
	if err != nil {
		return fmt.Errorf("writing the ResourceList: %w", err)
	}
	return nil
}

// writeAll writes pieces in a row.
func writeAll(bw *bufio.Writer, pieces ...[]byte) error {
	for _, p := range pieces {
		if _, err := bw.Write(p); err != nil {
			return err
		}
	}
	return nil
}

// writeItem writes a YAML mapping, given in pieces written in a row, as an
// item of a block sequence at the left margin: "- " before its first line,
// two spaces before every other line that is not empty. The lines keep
// their relative indentation, and an empty line means the same at any
// indentation, so the item holds the same mapping. Every piece but the
// last ends in a line break.
func writeItem(bw *bufio.Writer, pieces ...[]byte) error {
	prefix := "- "
	for _, doc := range pieces {
		if err := writeLines(bw, doc, &prefix); err != nil {
			return err
		}
	}
	return nil
}

// writeLines writes the lines of doc for writeItem, each that is not
// empty after *prefix, which becomes two spaces after the first.
func writeLines(bw *bufio.Writer, doc []byte, prefix *string) error {
	for len(doc) > 0 {
		line := doc
		if i := bytes.IndexByte(doc, '\n'); i >= 0 {
			line = doc[:i]
		}
		doc = doc[len(line):]
		if len(doc) > 0 {
			doc = doc[1:]
		}
		if len(line) > 0 {
			if _, err := bw.WriteString(*prefix); err != nil {
				return err
			}
		}
		*prefix = "  "
		if _, err := bw.Write(line); err != nil {
			return err
		}
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}
