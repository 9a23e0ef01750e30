# The istio-render KRM function image. kustomize runs it as a generator with
#
#   config.kubernetes.io/function: |
#     container:
#       image: <this image>
#
# Build with `make image`. The image holds one static binary; it runs as a
# non-root user, needs no writable file system and no network, and its
# entrypoint reads a ResourceList on stdin and writes one on stdout.
#
# The file uses no BuildKit-only syntax, so docker (with or without
# BuildKit) and podman build it alike.

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Set by BuildKit and podman for the platform being built; empty (the
# builder's own platform) otherwise.
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -buildvcs=false -trimpath \
      -ldflags "-s -w -X github.com/istio-render/istio-render/internal/cli.version=${VERSION}" \
      -o /out/istio-render ./cmd/istio-render

# distroless static: no shell and no package manager. Its /etc/passwd has
# nobody (65534), the user kustomize runs function containers as, and
# nonroot (65532), the image's default.
FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=dev
LABEL org.opencontainers.image.title="istio-render" \
      org.opencontainers.image.description="Renders an IstioMesh spec into a complete Istio install; a KRM function for kustomize" \
      org.opencontainers.image.source="https://github.com/istio-render/istio-render" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /out/istio-render /usr/local/bin/istio-render
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/istio-render", "fn"]
