# istio-render: common tasks. `make help` lists them.
GO        ?= go
BIN       ?= bin/istio-render
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/istio-render/istio-render/internal/cli.version=$(VERSION)

.PHONY: help build test golden bench lint

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: ## Build bin/istio-render (static, trimmed).
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/istio-render

test: ## Run the unit and golden tests.
	$(GO) test ./...

golden: ## Regenerate golden files; review with git diff.
	$(GO) test ./golden/... -update

bench: ## Run the benchmarks (compare runs with benchstat).
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./render/... | tee bench.out

lint: ## gofmt and go vet.
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
