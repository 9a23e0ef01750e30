# istio-render: common tasks. `make help` lists them.
GO        ?= go
BIN       ?= bin/istio-render
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/istio-render/istio-render/internal/cli.version=$(VERSION)

.PHONY: help build test behaviour golden bench bench-tools examples generate race fuzz vulncheck lint image

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: ## Build bin/istio-render (static, trimmed).
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/istio-render

# The conformance module's tests include the behavioural proof
# (conformance/behaviour), which compiles istiod's packages the first time
# (minutes of CPU) and runs istiod's code over every case: go test's
# default 10-minute limit per package is too tight on a busy machine.
CONFORMANCE_TIMEOUT ?= 30m

test: ## Run the unit, golden and offline conformance tests (the conformance module too, the behavioural proof included).
	$(GO) test ./...
	cd conformance && GOFLAGS=-mod=mod $(GO) test -timeout $(CONFORMANCE_TIMEOUT) ./...

behaviour: ## Run the behavioural proof alone (istiod's analyzers, injector and config generator over every case), verbosely.
	cd conformance && GOFLAGS=-mod=mod $(GO) test -count=1 -timeout $(CONFORMANCE_TIMEOUT) -v ./behaviour/

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

# The race detector slows tests 5 to 10 times: the conformance tests
# alone ran 13 minutes under -race on a busy 2-core machine, past go
# test's default 10-minute limit per package. -count=1: a race shows in
# some runs and not others, so a cached pass is not reused.
RACE_TIMEOUT ?= 60m

# The behavioural proof is left out of the race run: it runs istiod's own
# code, whose races are Istio's to find, and under -race it would compile
# istiod's packages a second time and run them several times slower. Its
# render calls are the main module's, which the race run covers; make test
# runs the proof. (A failing go list fails the recipe: grep -v finds no
# line.)
race: ## Run the whole test suite, both modules, under the race detector (uncached; the behavioural proof is make test's).
	$(GO) test -race -count=1 -timeout $(RACE_TIMEOUT) ./...
	cd conformance && pkgs=$$(GOFLAGS=-mod=mod $(GO) list ./... | grep -v '/behaviour$$') && \
	  GOFLAGS=-mod=mod $(GO) test -race -count=1 -timeout $(RACE_TIMEOUT) $$pkgs

FUZZTIME ?= 30s
FUZZ_TARGETS := ./mesh:FuzzLoad ./mesh:FuzzLayers ./render:FuzzRender ./render:FuzzCanonical ./fn:FuzzResourceList ./tree:FuzzPaths ./tree:FuzzKustomizationCheck ./compare:FuzzObjects

fuzz: ## Run each fuzz target for FUZZTIME (default 30s); a crash is saved under testdata/fuzz.
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "fuzz $$name in $$pkg for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) $$pkg; \
	done

GOVULNCHECK_VERSION ?= v1.9.0

# govulncheck is installed from the module proxy rather than started with
# go run, which reports every failure as exit 1 and so hides exit 3, a
# called vulnerability. bin/vulncheck (internal/cmd/vulncheck) runs it
# against vuln.go.dev or, when that cannot be reached, the newest of the
# snapshots below, and fails unless the scan completed clean.
GOVULNCHECK     := bin/govulncheck@$(GOVULNCHECK_VERSION)/govulncheck
VULNDB_ARCHIVES ?= third_party/govulndb/osv.tar.xz $(wildcard ../shared/vulndb/osv.tar.xz)
VULNCHECK        = bin/vulncheck -govulncheck $(GOVULNCHECK)
VULNCHECK_FIXTURE := internal/cmd/vulncheck/testdata/callsvulnerable

.PHONY: vulncheck-tools vulncheck-proof
vulncheck-tools: ## Install govulncheck $(GOVULNCHECK_VERSION) and build bin/vulncheck.
	GOBIN=$(abspath $(dir $(GOVULNCHECK))) $(GO) install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)
	$(GO) build -o bin/vulncheck ./internal/cmd/vulncheck

vulncheck: vulncheck-tools ## govulncheck on vuln.go.dev, or the newest local snapshot; fails on a called vulnerability or when it cannot run.
	$(VULNCHECK) $(addprefix -archive ,$(VULNDB_ARCHIVES)) ./...

vulncheck-proof: vulncheck-tools ## Show make vulncheck failing: a fixture calling a vulnerable function, a broken and a missing snapshot.
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	head -c 100000 third_party/govulndb/osv.tar.xz > "$$tmp/truncated.tar.xz"; \
	expect() { \
	  want=$$1; shift; echo; echo "vulncheck-proof: want exit $$want from: $$*"; \
	  status=0; "$$@" || status=$$?; \
	  if [ $$status -ne $$want ]; then echo "vulncheck-proof: FAIL: exit $$status, want $$want" >&2; exit 1; fi; \
	}; \
	expect 3 $(VULNCHECK) $(addprefix -archive ,$(VULNDB_ARCHIVES)) -C $(VULNCHECK_FIXTURE) ./...; \
	expect 1 $(VULNCHECK) -online= -archive "$$tmp/truncated.tar.xz" ./...; \
	expect 1 $(VULNCHECK) -online= -archive "$$tmp/missing.tar.xz" ./...; \
	echo; echo "vulncheck-proof: ok: exit 3 on a called vulnerability, exit 1 without a database"

lint: ## gofmt and go vet, in both modules.
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	cd conformance && GOFLAGS=-mod=mod $(GO) vet ./... && GOFLAGS=-mod=mod $(GO) vet -tags conformance ./...

# The KRM function image (Dockerfile); IMAGE names it, ENGINE builds it.
IMAGE  ?= istio-render:$(VERSION)
ENGINE ?= $(shell command -v docker 2>/dev/null || command -v podman 2>/dev/null)

.PHONY: image
image: ## Build the container image that runs istio-render fn (docker or podman).
	@test -n "$(ENGINE)" || { echo "make image: neither docker nor podman is installed; set ENGINE" >&2; exit 1; }
	$(ENGINE) build --build-arg VERSION=$(VERSION) -t $(IMAGE) .

# Proof against a real API server and a live istiod: etcd, kube-apiserver
# and pilot-discovery are built from the module proxy (cached per version);
# every golden case is applied to an API server on 127.0.0.1, then installed
# phase by phase into a fresh cluster of its own, in network namespaces,
# with the real istiod. The live part needs root or sudo without a password
# (CI=true fails without); see docs/proof.md.
.PHONY: conformance
conformance: ## Apply every golden case to a real kube-apiserver, then install each with a live istiod (builds them once; minutes cold).
	bash conformance/run.sh
