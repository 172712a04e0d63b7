# Shared by scripts/deb and scripts/image: the built agent with production dependencies only.
# shellcheck shell=bash
set -euo pipefail

PKG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PKG_NAME=$(node -p 'require(process.argv[1]).name' "$PKG_ROOT/package.json")
PKG_VERSION=$(node -p 'require(process.argv[1]).version' "$PKG_ROOT/package.json")
BUILD_CACHE="${KUBESTACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubestack-testbed}/package"
OUT_DIR="$PKG_ROOT/dist/packages"

pkg_say() { printf '==> %s\n' "$*" >&2; }
pkg_die() { printf 'package: %s\n' "$*" >&2; exit 1; }

# Production node_modules from the committed lock (npm ci --omit=dev), cached by the lock's hash:
# a second package build reuses it. Prints the directory holding node_modules/.
prod_modules() {
  local sha dir
  sha=$(sha256sum "$PKG_ROOT/package-lock.json" | cut -c1-16)
  dir="$BUILD_CACHE/prod-modules-v2-$sha"
  if [[ ! -f "$dir/.done" ]]; then
    pkg_say "production dependencies (npm ci --omit=dev, once per lock)"
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$PKG_ROOT/package.json" "$PKG_ROOT/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund >&2) || pkg_die "npm ci --omit=dev failed"
    # nothing of these is loaded at run time: type declarations, source maps, docs (half the size)
    find "$dir/node_modules" -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
      -o -name '*.md' -o -name '*.markdown' \) -delete
    touch "$dir/.done"
  fi
  echo "$dir"
}

# Lays the agent out under $1 (its install directory): package.json, bin/, dist/ (compiled here),
# production node_modules.
stage_app() {
  local dest=$1 mods
  pkg_say "compiling into $dest/dist"
  mkdir -p "$dest"
  (cd "$PKG_ROOT" && npx tsc -p tsconfig.build.json --outDir "$dest/dist" --declaration false) || pkg_die "tsc failed"
  mods=$(prod_modules)
  cp "$PKG_ROOT/package.json" "$dest/"
  cp -r "$PKG_ROOT/bin" "$dest/bin"
  cp -r "$mods/node_modules" "$dest/node_modules"
  chmod 755 "$dest/bin/kubestack-agent.js"
}
