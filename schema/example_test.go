package schema_test

import (
	"bytes"
	"fmt"

	"github.com/istio-render/istio-render/schema"
)

func ExampleJSON() {
	data, err := schema.JSON()
	if err != nil {
		fmt.Println(err)
		return
	}
	// The document's type is fixed, so editors can offer it.
	fmt.Println(bytes.Contains(data, []byte(`"const": "IstioMesh"`)))
	// Output: true
}
