# istio-render: common tasks. `make help` lists them.
GO        ?= go
BIN       ?= bin/istio-render
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/istio-render/istio-render/internal/cli.version=$(VERSION)

.PHONY: help build test golden bench bench-tools examples generate race fuzz vulncheck lint image

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: ## Build bin/istio-render (static, trimmed).
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/istio-render

test: ## Run the unit, golden and offline conformance tests (the conformance module too).
	$(GO) test ./...
	cd conformance && GOFLAGS=-mod=mod $(GO) test ./...

golden: ## Regenerate golden files; review with git diff.
	$(GO) test ./golden/... -update

# Baseline tools for the cold benchmarks, built from the module proxy.
BENCH_TOOLS ?= $(HOME)/.cache/istio-render-bench
HELM_VERSION ?= v3.22.0

# istioctl is built from the same istio.io/istio version as the embedded charts.
ISTIO_VERSION ?= $(shell $(GO) list -m -f '{{.Version}}' istio.io/istio)

bench-tools: ## Build helm and istioctl (the cold baselines) into $(BENCH_TOOLS).
	GOBIN=$(BENCH_TOOLS) $(GO) install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
	GOBIN=$(BENCH_TOOLS) $(GO) install istio.io/istio/istioctl/cmd/istioctl@$(ISTIO_VERSION)

bench: ## Run the benchmarks side by side with their baselines; summarize with benchstat.
	$(GO) test -run '^$$' -bench . -benchmem -count 6 -timeout 60m ./render/ | tee bench.out
	cd conformance && GOFLAGS=-mod=mod $(GO) test -run '^$$' -bench . -benchmem -count 6 -timeout 60m . | tee -a ../bench.out
	HELM_BIN=$${HELM_BIN:-$(BENCH_TOOLS)/helm} ISTIOCTL_BIN=$${ISTIOCTL_BIN:-$(BENCH_TOOLS)/istioctl} \
	  $(GO) test -run '^$$' -bench Cold -benchtime 10x -count 6 -timeout 60m ./cmd/istio-render/ | tee -a bench.out
	$(GO) run golang.org/x/perf/cmd/benchstat@latest bench.out

examples: ## Regenerate examples/gitops and examples/flux from their specs; review with git diff.
	$(GO) run ./cmd/istio-render render -q -f examples/gitops/mesh.yaml -o examples/gitops/rendered
	$(GO) run ./cmd/istio-render gitops ignore-differences -f examples/gitops/mesh.yaml > examples/gitops/argocd/ignore-differences.yaml
	$(GO) run ./cmd/istio-render render -q -f examples/flux/mesh.yaml -o examples/flux/rendered

generate: ## Regenerate the schema's field descriptions from mesh/.
	$(GO) generate ./schema

race: ## Render every golden spec concurrently under the race detector.
	$(GO) test -race -run 'Concurrent' ./golden/ ./render/

FUZZTIME ?= 30s
FUZZ_TARGETS := ./mesh:FuzzLoad ./mesh:FuzzLayers ./render:FuzzRender ./render:FuzzCanonical ./fn:FuzzResourceList ./tree:FuzzPaths

fuzz: ## Run each fuzz target for FUZZTIME (default 30s); a crash is saved under testdata/fuzz.
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "fuzz $$name in $$pkg for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) $$pkg; \
	done

GOVULNCHECK_VERSION ?= v1.9.0

vulncheck: ## govulncheck when its database is reachable; says so plainly when not.
	@if ! getent hosts vuln.go.dev >/dev/null 2>&1; then \
	  echo "govulncheck: NOT RUN: the vulnerability database (vuln.go.dev) cannot be reached from this machine"; \
	  exit 0; \
	fi; \
	status=0; timeout 10m $(GO) run golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION) ./... || status=$$?; \
	case $$status in \
	  0) ;; \
	  3) echo "govulncheck: vulnerabilities found (above)"; exit 1 ;; \
	  *) echo "govulncheck: NOT RUN to completion (exit $$status): the database or the tool could not be fetched" ;; \
	esac

lint: ## gofmt and go vet, in both modules.
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	cd conformance && GOFLAGS=-mod=mod $(GO) vet ./...

# The KRM function image (Dockerfile); IMAGE names it, ENGINE builds it.
IMAGE  ?= istio-render:$(VERSION)
ENGINE ?= $(shell command -v docker 2>/dev/null || command -v podman 2>/dev/null)

.PHONY: image
image: ## Build the container image that runs istio-render fn (docker or podman).
	@test -n "$(ENGINE)" || { echo "make image: neither docker nor podman is installed; set ENGINE" >&2; exit 1; }
	$(ENGINE) build --build-arg VERSION=$(VERSION) -t $(IMAGE) .

# Proof against a real API server: etcd and kube-apiserver are built from the
# module proxy (cached per version), started on 127.0.0.1, and every golden
# case is applied; see docs/proof.md.
.PHONY: conformance
conformance: ## Apply every golden case to a real kube-apiserver (builds it once; minutes cold).
	bash conformance/run.sh
