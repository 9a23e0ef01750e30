#!/usr/bin/env bash
# Applies every golden case to a real Kubernetes API server.
#
# Builds etcd and kube-apiserver from source through the Go module proxy
# (pinned by conformance/tools/*/go.mod; binaries are cached per version),
# starts both on 127.0.0.1 only, runs the conformance-tagged tests in
# ./conformance against them, and stops exactly the processes it started.
# See docs/proof.md.
#
# Environment:
#   CONFORMANCE_CACHE   where built binaries are kept
#                       (default: istio-render-conformance beside GOCACHE)
#   CONFORMANCE_KEEP=1  keep the work directory (logs, etcd data) for a look
#   CONFORMANCE_RUN     which tests to run (default: ^TestAPIServer, all)
#   CONFORMANCE_PROPERTY_SEED, CONFORMANCE_PROPERTY_COUNT
#                       seed and number of the generated specs of the
#                       property test (default: the fixed CI seed, 300)
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
root=$(pwd)

# cert-manager release whose Certificate CRD is installed; its module
# carries the CRDs in deploy/crds.
cert_manager_version=v1.21.2

started=$(date +%s)
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }
say() { echo "conformance: $*"; }

version_of() { # module dir, module path
	(cd "$1" && go list -m -f '{{.Version}}' "$2")
}

cache=${CONFORMANCE_CACHE:-$(dirname "$(go env GOCACHE)")/istio-render-conformance}
goversion=$(go env GOVERSION GOOS GOARCH | tr '\n' ' ')

# build NAME MODULE_DIR PACKAGE VERSION LDFLAGS: prints the binary's path,
# building it unless a binary built from the same go.mod, go.sum, Go
# version and flags is cached.
build() {
	local name=$1 dir=$2 pkg=$3 version=$4 ldflags=$5
	local key
	key=$(cat "$dir/go.mod" "$dir/go.sum" <(echo "$goversion $ldflags") | sha256sum | cut -c1-12)
	local out="$cache/$name-$version-$key/$name"
	if [[ -x $out ]]; then
		say "$name $version: cached at $out" >&2
	else
		local t0
		t0=$(date +%s)
		say "$name $version: building from source (a cold build takes minutes)" >&2
		mkdir -p "$(dirname "$out")"
		if ! (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out.tmp.$$" "$pkg"); then
			rm -f "$out.tmp.$$"
			say "$name $version: build failed" >&2
			return 1
		fi
		mv "$out.tmp.$$" "$out"
		say "$name $version: built in $(elapsed "$t0")" >&2
	fi
	echo "$out"
}

etcd_dir=$root/conformance/tools/etcd
kas_dir=$root/conformance/tools/kube-apiserver
etcd_version=$(version_of "$etcd_dir" go.etcd.io/etcd/server/v3)
kube_version=$(version_of "$kas_dir" k8s.io/kubernetes)
kube_minor=${kube_version#v*.}
kube_minor=${kube_minor%%.*}
kube_major=${kube_version#v}
kube_major=${kube_major%%.*}
kube_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
	kube_ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=$kube_major -X $pkg.gitMinor=$kube_minor -X $pkg.gitTreeState=clean"
done

etcd=$(build etcd "$etcd_dir" go.etcd.io/etcd/server/v3 "$etcd_version" "-s -w")
kube_apiserver=$(build kube-apiserver "$kas_dir" k8s.io/kubernetes/cmd/kube-apiserver "$kube_version" "$kube_ldflags")

work=$(mktemp -d "${TMPDIR:-/tmp}/istio-render-conformance.XXXXXX")
pids=()

# ours reports whether PID is a running child of this shell, so that a
# PID freed by an exited process and reused is never signalled.
ours() {
	local stat state ppid
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	read -r state ppid _ <<<"${stat##*) }"
	[[ $ppid == "$$" && $state != Z ]]
}

# stop ends the processes this script started, by PID, last started
# first: TERM, then KILL after 10 seconds.
stop() {
	local i j pid
	for (( i=${#pids[@]}-1; i>=0; i-- )); do
		pid=${pids[i]}
		if ours "$pid"; then
			kill -TERM "$pid" 2>/dev/null || true
			for j in $(seq 50); do
				ours "$pid" || break
				sleep 0.2
			done
			if ours "$pid"; then
				kill -KILL "$pid" 2>/dev/null || true
			fi
		fi
		wait "$pid" 2>/dev/null || true
	done
	pids=()
}

cleanup() {
	local status=$?
	stop
	if [[ $status -ne 0 ]]; then
		for log in "$work"/*.log; do
			[[ -f $log ]] || continue
			echo "--- last lines of $(basename "$log")"
			tail -n 30 "$log"
		done
	fi
	if [[ ${CONFORMANCE_KEEP:-} == 1 ]]; then
		say "work directory kept: $work"
	else
		rm -rf "$work"
	fi
	say "finished in $(elapsed "$started") with status $status"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

cert_manager=$(cd "$work" && go mod download -json "github.com/cert-manager/cert-manager@$cert_manager_version" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [[ ! -d $cert_manager/deploy/crds ]]; then
	say "github.com/cert-manager/cert-manager@$cert_manager_version has no deploy/crds" >&2
	exit 1
fi

(cd conformance && go run ./internal/prepare "$work")
# shellcheck source=/dev/null
source "$work/ports.env"

"$etcd" \
	--name conformance \
	--data-dir "$work/etcd" \
	--listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
	--advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
	--listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
	--initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
	--initial-cluster "conformance=http://127.0.0.1:$ETCD_PEER_PORT" \
	--unsafe-no-fsync \
	--log-level warn \
	>"$work/etcd.log" 2>&1 &
pids+=("$!")
say "etcd $etcd_version started (pid $!) on 127.0.0.1:$ETCD_CLIENT_PORT"

"$kube_apiserver" \
	--etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
	--bind-address 127.0.0.1 \
	--advertise-address 127.0.0.1 \
	--secure-port "$APISERVER_PORT" \
	--cert-dir "$work/certs" \
	--token-auth-file "$work/tokens.csv" \
	--authorization-mode AlwaysAllow \
	--allow-privileged=true \
	--service-account-issuer https://kubernetes.default.svc \
	--service-account-key-file "$work/sa.pub" \
	--service-account-signing-key-file "$work/sa.key" \
	--service-cluster-ip-range 10.0.0.0/24 \
	--endpoint-reconciler-type none \
	>"$work/kube-apiserver.log" 2>&1 &
pids+=("$!")
say "kube-apiserver $kube_version started (pid $!) on 127.0.0.1:$APISERVER_PORT"

# The tests run in the background so that a signal reaches the traps at
# once instead of after the tests end.
property=()
if [[ -n ${CONFORMANCE_PROPERTY_SEED:-} ]]; then
	property+=(-property-seed "$CONFORMANCE_PROPERTY_SEED")
fi
if [[ -n ${CONFORMANCE_PROPERTY_COUNT:-} ]]; then
	property+=(-property-count "$CONFORMANCE_PROPERTY_COUNT")
fi
(cd conformance && exec go test -tags conformance -count=1 -v -timeout 60m -run "${CONFORMANCE_RUN:-^TestAPIServer}" . -args \
	-apiserver "https://127.0.0.1:$APISERVER_PORT" \
	-token-file "$work/token" \
	-ca-file "$work/certs/apiserver.crt" \
	-cert-manager-crds "$cert_manager/deploy/crds" \
	-kube-version "$kube_version" \
	"${property[@]}") &
tests=$!
pids+=("$tests")
status=0
wait "$tests" || status=$?
unset 'pids[-1]'
exit "$status"
