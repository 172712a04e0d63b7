#!/usr/bin/env bash
# Usage: build-k8s.sh apiserver|etcd — prints the path of the cached binary, building it once.
#
# No package ships kube-apiserver, and Debian's etcd (3.4) is older than the apiserver expects.
# `go install k8s.io/kubernetes/...@vX` is refused because the kubernetes module carries replace
# directives, so a tiny wrapper module pins every k8s.io staging module to the matching v0.x
# release and builds both commands from there (etcd at the version kubernetes itself requires).
set -euo pipefail

target="${1:-apiserver}"
K8S_VERSION="${K8S_VERSION:-v1.34.2}"
CACHE_ROOT="${KUBESTACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubestack-testbed}"
OUT="$CACHE_ROOT/k8s-$K8S_VERSION"
case "$target" in
  apiserver) pkg=k8s.io/kubernetes/cmd/kube-apiserver; bin="$OUT/bin/kube-apiserver" ;;
  etcd) pkg=go.etcd.io/etcd/server/v3; bin="$OUT/bin/etcd" ;;
  *) echo "build-k8s: unknown target $target (apiserver|etcd)" >&2; exit 2 ;;
esac

if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi

command -v go >/dev/null || { echo "build-k8s: go is required to build $target" >&2; exit 1; }
work="$OUT/src"
mkdir -p "$work" "$OUT/bin"
cd "$work"
# One build at a time per cache (npm start and npm test may race on a fresh machine).
exec 9>"$OUT/.lock"
flock 9
if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi

if [[ ! -f go.sum || ! -f .tidy-done ]]; then
  echo "build-k8s: resolving k8s.io/kubernetes@$K8S_VERSION" >&2
  gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  [[ -f "$gomod" ]] || { echo "build-k8s: could not download k8s.io/kubernetes@$K8S_VERSION" >&2; exit 1; }
  staging_version="v0.${K8S_VERSION#v1.}"
  {
    echo "module kubestack.local/testbed-k8s"
    echo
    echo "go $(sed -n 's/^go \(.*\)/\1/p' "$gomod")"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\t\1 => \1 '"$staging_version"'#p' "$gomod"
    echo ")"
  } >go.mod
  cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
)
GO
  echo "build-k8s: go mod tidy (downloads modules once)" >&2
  GOFLAGS=-mod=mod go mod tidy >&2
  touch .tidy-done
fi

minor="${K8S_VERSION#v1.}"
minor="${minor%%.*}"
ldflags="-s -w"
if [[ "$target" == apiserver ]]; then
  ldflags+=" -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
fi
echo "build-k8s: go build $target (a few minutes on 2 cores, once; cached in $OUT)" >&2
go build -trimpath -ldflags "$ldflags" -o "$bin.tmp" "$pkg" >&2
mv "$bin.tmp" "$bin"
echo "$bin"
