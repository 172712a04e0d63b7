#!/usr/bin/env bash
# Usage: build-k8s.sh apiserver|etcd|kubelet|kube-scheduler|kube-controller-manager|helm — prints the
# path of the cached binary, building it once.
#
# No package ships kube-apiserver, and Debian's etcd (3.4) is older than the apiserver expects.
# `go install k8s.io/kubernetes/...@vX` is refused because the kubernetes module carries replace
# directives, so a tiny wrapper module pins every k8s.io staging module to the matching v0.x
# release and builds both commands from there (etcd at the version kubernetes itself requires).
# The node components of cluster mode (kubelet, scheduler, controller-manager) come from a second
# wrapper module of the same release (own directory and lock, so a control-plane build in progress
# is not disturbed); helm is a plain `go install` of its module.
set -euo pipefail

target="${1:-apiserver}"
K8S_VERSION="${K8S_VERSION:-v1.34.2}"
CACHE_ROOT="${KUBESTACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubestack-testbed}"
OUT="$CACHE_ROOT/k8s-$K8S_VERSION"
case "$target" in
  apiserver) pkg=k8s.io/kubernetes/cmd/kube-apiserver; bin="$OUT/bin/kube-apiserver" ;;
  etcd) pkg=go.etcd.io/etcd/server/v3; bin="$OUT/bin/etcd" ;;
  kubelet | kube-scheduler | kube-controller-manager)
    pkg=k8s.io/kubernetes/cmd/$target; bin="$OUT/bin/$target" ;;
  helm)
    HELM_VERSION="${HELM_VERSION:-v3.22.0}"
    OUT="$CACHE_ROOT/helm-$HELM_VERSION"; pkg=helm.sh/helm/v3/cmd/helm; bin="$OUT/bin/helm" ;;
  *) echo "build-k8s: unknown target $target (apiserver|etcd|kubelet|kube-scheduler|kube-controller-manager|helm)" >&2; exit 2 ;;
esac

if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi

command -v go >/dev/null || { echo "build-k8s: go is required to build $target" >&2; exit 1; }
if [[ "$target" == helm ]]; then
  mkdir -p "$OUT/bin"
  exec 9>"$OUT/.lock"
  flock 9
  if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi
  echo "build-k8s: go install helm $HELM_VERSION (once; cached in $OUT)" >&2
  GOBIN="$OUT/bin" go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" "$pkg@$HELM_VERSION" >&2
  echo "$bin"
  exit 0
fi
module_set=control
imports=(go.etcd.io/etcd/server/v3 k8s.io/kubernetes/cmd/kube-apiserver)
case "$target" in kubelet | kube-*)
  module_set=node
  imports=(k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-controller-manager) ;;
esac
work="$OUT/src"
lock="$OUT/.lock"
if [[ "$module_set" == node ]]; then work="$OUT/src-node"; lock="$OUT/.lock-node"; fi
mkdir -p "$work" "$OUT/bin"
cd "$work"
# One build at a time per cache (npm start and npm test may race on a fresh machine).
exec 9>"$lock"
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
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    printf '\t_ "%s"\n' "${imports[@]}"
    printf ')\n'
  } >tools.go
  echo "build-k8s: go mod tidy (downloads modules once)" >&2
  GOFLAGS=-mod=mod go mod tidy >&2
  touch .tidy-done
fi

minor="${K8S_VERSION#v1.}"
minor="${minor%%.*}"
ldflags="-s -w"
if [[ "$target" != etcd ]]; then
  ldflags+=" -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
fi
echo "build-k8s: go build $target (a few minutes on 2 cores, once; cached in $OUT)" >&2
go build -trimpath -ldflags "$ldflags" -o "$bin.tmp" "$pkg" >&2
mv "$bin.tmp" "$bin"
echo "$bin"
