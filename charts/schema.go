package charts

import (
	"bytes"
	"fmt"

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
	if err := s.s.Validate(values); err != nil {
		return fmt.Errorf("values do not match the chart's schema: %w", err)
	}
	return nil
}
