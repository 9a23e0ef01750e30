package charts

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schema is a compiled values.schema.json.
type schema struct{ s *jsonschema.Schema }

// offlineLoader refuses every external reference: charts must be
// self-contained, and rendering never touches the network.
type offlineLoader struct{}

func (offlineLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("refusing to load %s: values schemas are checked offline", url)
}

func compileSchema(raw []byte) (*schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(offlineLoader{})
	if err := c.AddResource("file:///values.schema.json", doc); err != nil {
		return nil, err
	}
	s, err := c.Compile("file:///values.schema.json")
	if err != nil {
		return nil, err
	}
	return &schema{s: s}, nil
}

func (s *schema) validate(values map[string]any) error {
	err := s.s.Validate(values)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("values do not match the chart's schema: %w", err)
	}
	var lines []string
	for _, leaf := range leaves(ve) {
		at := "values"
		if len(leaf.InstanceLocation) > 0 {
			at += "." + strings.Join(leaf.InstanceLocation, ".")
		}
		lines = append(lines, fmt.Sprintf("%s: %s", at, leaf.ErrorKind.LocalizedString(printer)))
	}
	return fmt.Errorf("values do not match the chart's schema:\n  %s", strings.Join(lines, "\n  "))
}

// printer renders schema messages in English.
var printer = message.NewPrinter(language.English)

// leaves returns the innermost causes of a schema error, the ones that name
// a value.
func leaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}
