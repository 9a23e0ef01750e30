package render

import (
	"encoding/json"
	"testing"

	"k8s.io/client-go/kubernetes/scheme"
)

// TestTypedDecodesAsAPIMachinery decodes each object with apimachinery's
// own deserializer for client-go's scheme, as the API server decodes a
// request's body: the object rules must find a problem exactly when it
// fails. The objects are otherwise valid, so only decoding can fail.
func TestTypedDecodesAsAPIMachinery(t *testing.T) {
	const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: gw, namespace: edge}\nspec:\n"
	const service = "apiVersion: v1\nkind: Service\nmetadata: {name: gw, namespace: edge}\nspec:\n"
	tests := []struct {
		name, object string
		bad          bool
	}{
		{name: "a good Deployment", object: deployment + "  replicas: 2\n  template:\n    spec:\n      containers:\n      - {name: c, resources: {requests: {cpu: 100m, memory: 1Gi}}}\n"},
		{name: "unknown fields", object: deployment + "  replicaz: many\n  template: {spec: {nodeSelectorz: [a]}}\n"},
		{name: "a string for a number", object: deployment + "  replicas: many\n", bad: true},
		{name: "a number in quotes", object: deployment + "  replicas: \"2\"\n", bad: true},
		{name: "a fraction for an integer", object: deployment + "  replicas: 1.5\n", bad: true},
		{name: "a list for a mapping", object: deployment + "  template: {spec: {nodeSelector: [a]}}\n", bad: true},
		{name: "no quantity", object: deployment + "  template:\n    spec:\n      containers:\n      - {name: c, resources: {limits: {cpu: lots}}}\n", bad: true},
		{name: "a port by name", object: service + "  ports: [{name: http, port: 80, targetPort: http}]\n"},
		{name: "a port that is a list", object: service + "  ports: [{name: http, port: 80, targetPort: [80]}]\n", bad: true},
		{name: "a boolean for a string", object: service + "  type: true\n", bad: true},
		{name: "ConfigMap data that is a number", object: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: edge}\ndata: {a: 1}\n", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := parseTestObject(t, tt.object)
			js, err := json.Marshal(obj)
			if err != nil {
				t.Fatal(err)
			}
			_, _, decodeErr := scheme.Codecs.UniversalDeserializer().Decode(js, nil, nil)
			found := inspectObject("gateway/gw", obj, nil)
			if (decodeErr != nil) != tt.bad || (decodeErr != nil) != (len(found) > 0) {
				t.Errorf("apimachinery's decode: %v; findings: %v; want bad %v", decodeErr, found, tt.bad)
			}
		})
	}
}
