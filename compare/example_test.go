package compare_test

import (
	"fmt"
	"os"

	"github.com/istio-render/istio-render/compare"
)

func ExampleReport_Write() {
	old, err := compare.Decode([]byte(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: discovery
        image: docker.io/istio/pilot:1.30.0
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: web}
spec: {mtls: {mode: PERMISSIVE}}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	new, err := compare.Decode([]byte(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system}
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: discovery
        image: docker.io/istio/pilot:1.31.0
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: shop}
spec: {mtls: {mode: STRICT}}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := compare.Objects(old, new)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := r.Write(os.Stdout, compare.Format{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 1 changed, 1 added, 1 removed
	//
	// Deployment (apps)
	// ~ istio-system/istiod (2 fields)
	//       spec.replicas:
	// -       1
	// +       2
	//       spec.template.spec.containers[name=discovery].image:
	// -       docker.io/istio/pilot:1.30.0
	// +       docker.io/istio/pilot:1.31.0
	//
	// PeerAuthentication (security.istio.io)
	// + shop/default (added)
	// +     apiVersion: security.istio.io/v1
	// +     kind: PeerAuthentication
	// +     metadata:
	// +       name: default
	// +       namespace: shop
	// +     spec:
	// +       mtls:
	// +         mode: STRICT
	// - web/default (removed)
	// -     apiVersion: security.istio.io/v1
	// -     kind: PeerAuthentication
	// -     metadata:
	// -       name: default
	// -       namespace: web
	// -     spec:
	// -       mtls:
	// -         mode: PERMISSIVE
}

// A list whose elements have names is matched by name, and a change in its
// order is a field of its own: the names in the old order, then in the new.
// Order matters in env, where $(HOST) only sees a HOST defined before it,
// and in initContainers, which run one after another.
func ExampleReport_Write_reordered() {
	old, err := compare.Decode([]byte(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - {name: HOST, value: db.shop}
        - {name: URL, value: "postgres://$(HOST):5432"}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	new, err := compare.Decode([]byte(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - {name: URL, value: "postgres://$(HOST):5432"}
        - {name: TIMEOUT, value: 5s}
        - {name: HOST, value: db.shop}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := compare.Objects(old, new)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := r.Write(os.Stdout, compare.Format{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 1 changed, 0 added, 0 removed
	//
	// Deployment (apps)
	// ~ shop/app (2 fields)
	//       spec.template.spec.containers[name=app].env: order changed
	// -       HOST, URL
	// +       URL, TIMEOUT, HOST
	//       spec.template.spec.containers[name=app].env[name=TIMEOUT]:
	// +       name: TIMEOUT
	// +       value: 5s
}
