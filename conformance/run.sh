#!/usr/bin/env bash
# Applies every golden case to a real Kubernetes API server, then installs
# every golden case into a live cluster with the real istiod.
#
# Builds etcd, kube-apiserver and istiod (pilot-discovery) from source
# through the Go module proxy (pinned by conformance/tools/*/go.mod;
# binaries are cached per version), starts etcd and kube-apiserver on
# 127.0.0.1 only and runs the TestAPIServer tests against them. Then it
# runs the TestLiveIstiod tests, which start etcd, kube-apiserver and istiod
# in network namespaces of their own, one fresh cluster per golden case;
# they need root (or sudo without a password) for that. It stops exactly
# the processes it started, and deletes the network namespaces the live
# tests made, on success, failure or a signal. See docs/proof.md.
#
# Environment:
#   CONFORMANCE_CACHE     where built binaries are kept
#                         (default: istio-render-conformance beside GOCACHE)
#   CONFORMANCE_KEEP=1    keep the work directory (logs, etcd data) for a look
#   CONFORMANCE_RUN       the API server tests to run, as for go test -run
#                         (default: every one, the generated specs included)
#   CONFORMANCE_PROPERTY_SEED, CONFORMANCE_PROPERTY_COUNT
#                         seed and number of the generated specs of the
#                         property test (default: the fixed CI seed, 300)
#   CONFORMANCE_LIVE_RUN  the live tests to run, as for go test -run
#                         (default: every live test)
#   CI=true               a live proof that cannot run (no root, no ip tool)
#                         fails instead of being skipped
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

# istiod is built from the istio.io/istio commit whose charts istio-render
# embeds, with Istio's version variables set as its release build sets
# them, so that pilot-discovery version names that commit.
pilot_dir=$root/conformance/tools/pilot-discovery
istio_version=$(version_of "$pilot_dir" istio.io/istio)
pilot_ldflags="-s -w"
for kv in "buildVersion=$istio_version" "buildGitRevision=${istio_version##*-}" buildStatus=Clean \
	"buildTag=$istio_version" "buildOS=$(go env GOOS)" "buildArch=$(go env GOARCH)"; do
	pilot_ldflags+=" -X istio.io/istio/pkg/version.$kv"
done

etcd=$(build etcd "$etcd_dir" go.etcd.io/etcd/server/v3 "$etcd_version" "-s -w")
kube_apiserver=$(build kube-apiserver "$kas_dir" k8s.io/kubernetes/cmd/kube-apiserver "$kube_version" "$kube_ldflags")
pilot_discovery=$(build pilot-discovery "$pilot_dir" istio.io/istio/pilot/cmd/pilot-discovery "$istio_version" "$pilot_ldflags")

work=$(mktemp -d "${TMPDIR:-/tmp}/istio-render-conformance.XXXXXX")
pids=()
# phase is the part that runs: apiserver (its servers' logs are shown on
# failure) or live (its tests report their own servers' logs).
phase=apiserver

# ours reports whether PID is a running child of this shell, so that a
# PID freed by an exited process and reused is never signalled.
ours() {
	local stat state ppid
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	read -r state ppid _ <<<"${stat##*) }"
	[[ $ppid == "$$" && $state != Z ]]
}

# as_root runs a command as root: directly when we are, else through sudo,
# which must not ask for a password.
as_root() {
	if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo -n "$@"; fi
}

# stop ends the processes this script started, by PID, last started
# first: TERM, then KILL after 60 seconds (the live tests stop their
# servers and delete their network namespaces on TERM).
stop() {
	local i j pid
	for (( i=${#pids[@]}-1; i>=0; i-- )); do
		pid=${pids[i]}
		if ours "$pid"; then
			as_root kill -TERM "$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
			for j in $(seq 300); do
				ours "$pid" || break
				sleep 0.2
			done
			if ours "$pid"; then
				as_root kill -KILL "$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
			fi
		fi
		wait "$pid" 2>/dev/null || true
	done
	pids=()
}

# live_name prefixes the network namespaces and host links the live tests
# make; live_leftovers deletes any of them a killed test binary left,
# after killing, by PID, the processes in them: every one was started by
# this run.
live_name=irl$$
live_leftovers() {
	command -v ip >/dev/null || return 0
	local ns pid link
	for ns in $(as_root ip netns list 2>/dev/null | awk '{print $1}' | grep "^$live_name-" || true); do
		for pid in $(as_root ip netns pids "$ns" 2>/dev/null || true); do
			say "killing pid $pid, left in network namespace $ns" >&2
			as_root kill -KILL "$pid" 2>/dev/null || true
		done
		as_root ip netns del "$ns" || true
		say "deleted network namespace $ns, left by the live tests" >&2
	done
	for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^${live_name}c" || true); do
		as_root ip link del "$link" || true
	done
}

cleanup() {
	local status=$?
	stop
	live_leftovers
	if [[ $status -ne 0 && $phase == apiserver ]]; then
		for log in "$work"/*.log; do
			[[ -f $log ]] || continue
			echo "--- last lines of $(basename "$log")"
			tail -n 30 "$log"
		done
	fi
	if [[ ${CONFORMANCE_KEEP:-} == 1 ]]; then
		say "work directory kept: $work"
	else
		rm -rf "$work" 2>/dev/null || as_root rm -rf "$work"
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

# The test binary is built once and run twice: against this API server,
# then for the live proof. Tests run in the background so that a signal
# reaches the traps at once instead of after the tests end.
property=()
if [[ -n ${CONFORMANCE_PROPERTY_SEED:-} ]]; then
	property+=(-property-seed "$CONFORMANCE_PROPERTY_SEED")
fi
if [[ -n ${CONFORMANCE_PROPERTY_COUNT:-} ]]; then
	property+=(-property-count "$CONFORMANCE_PROPERTY_COUNT")
fi
(cd conformance && GOFLAGS=-mod=mod go test -c -tags conformance -o "$work/conformance.test" .)
(cd conformance && exec "$work/conformance.test" -test.count=1 -test.v -test.timeout 60m -test.run "${CONFORMANCE_RUN:-^TestAPIServer}" \
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
stop
[[ $status -eq 0 ]] || exit "$status"

# The live proof makes network namespaces: it needs root, or sudo without
# a password. Without either it is skipped, except under CI=true.
as=()
if [[ $(id -u) -ne 0 ]]; then
	if ! sudo -n true 2>/dev/null; then
		if [[ ${CI:-} == true ]]; then
			say "the live istiod proof needs root or sudo without a password (CI=true: a proof that cannot run fails)" >&2
			exit 1
		fi
		say "skipping the live istiod proof: it needs root or sudo without a password" >&2
		exit 0
	fi
	as=(sudo -n --preserve-env=CI)
fi
phase=live
mkdir -p "$work/live/credentials"
(cd conformance && go run ./internal/prepare "$work/live/credentials")
say "live istiod proof: istiod $istio_version, network namespaces $live_name-*"
(cd conformance && exec "${as[@]}" "$work/conformance.test" -test.count=1 -test.v -test.timeout 40m \
	-test.run "${CONFORMANCE_LIVE_RUN:-^TestLiveIstiod}" \
	-live-etcd "$etcd" \
	-live-kube-apiserver "$kube_apiserver" \
	-live-pilot-discovery "$pilot_discovery" \
	-live-credentials "$work/live/credentials" \
	-live-work "$work/live" \
	-live-name "$live_name" \
	-cert-manager-crds "$cert_manager/deploy/crds" \
	-kube-version "$kube_version") &
tests=$!
pids+=("$tests")
status=0
wait "$tests" || status=$?
unset 'pids[-1]'
exit "$status"
