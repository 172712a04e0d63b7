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

# Lays the agent out under $1 (its install directory): package.json, bin/, dist/agent/main.js and
# THIRD-PARTY-LICENSES. The compiled agent and the production dependencies it imports are bundled
# into that one file (esbuild): 5 MB instead of 48 MB of node_modules, and only the code that runs.
# The banner gives the ES-module bundle the `require` that bundled CommonJS dependencies call.
stage_app() {
  local dest=$1 mods out
  out=$(mktemp -d)
  pkg_say "compiling and bundling into $dest/dist"
  mkdir -p "$dest/dist/agent"
  (cd "$PKG_ROOT" && npx tsc -p tsconfig.build.json --outDir "$out/dist" --declaration false) || pkg_die "tsc failed"
  mods=$(prod_modules)
  (cd "$PKG_ROOT" && NODE_PATH="$mods/node_modules" npx esbuild "$out/dist/agent/main.js" --bundle \
    --platform=node --target=node20 --format=esm --log-level=warning \
    --outfile="$dest/dist/agent/main.js" --metafile="$out/meta.json" \
    --banner:js="import { createRequire as __ksRequire } from 'node:module'; const require = __ksRequire(import.meta.url);") ||
    pkg_die "esbuild failed"
  third_party_licenses "$out/meta.json" >"$dest/THIRD-PARTY-LICENSES"
  cp "$PKG_ROOT/package.json" "$dest/"
  cp -r "$PKG_ROOT/bin" "$dest/bin"
  chmod 755 "$dest/bin/kubestack-agent.js"
  rm -rf "$out"
}

# The license text of every npm package whose code is in the bundle (read from esbuild's metafile,
# whose input paths are relative to the directory esbuild ran in: the package root).
third_party_licenses() {
  (cd "$PKG_ROOT" && node -e '
    const fs = require("node:fs"), path = require("node:path");
    const dirs = new Set();
    for (const input of Object.keys(JSON.parse(fs.readFileSync(process.argv[1], "utf8")).inputs)) {
      const m = [...input.matchAll(/node_modules\/(?:@[^/]+\/)?[^/]+\//g)].pop();
      if (m) dirs.add(path.resolve(input.slice(0, m.index + m[0].length)));
    }
    const entries = [...dirs].map((dir) => ({ dir, pkg: JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) }));
    for (const { dir, pkg } of entries.sort((a, b) => a.pkg.name.localeCompare(b.pkg.name))) {
      const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
      const text = file ? fs.readFileSync(path.join(dir, file), "utf8").trim() : `License: ${pkg.license}`;
      process.stdout.write(`${pkg.name}@${pkg.version} (${pkg.license})\n\n${text}\n\n----\n\n`);
    }
  ' "$1")
}
