# Shared by scripts/start and scripts/test.
# shellcheck shell=bash

say() { printf '\n==> %s\n' "$*" >&2; }

# Installs npm dependencies only when package.json or package-lock.json changed since the last install
# (a second run takes no time). `npm install` rather than `npm ci`: with platform filters in the
# machine's npm configuration, npm ci rejects a lock file that lacks other platforms' optional
# binaries (biome's), while npm install resolves the same locked versions.
ensure_node_modules() {
  local want have
  want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
  have=$(cat node_modules/.kubestack-lock-sha256 2>/dev/null || true)
  if [[ "$want" != "$have" ]]; then
    say "installing npm dependencies"
    npm install --no-audit --no-fund
    echo "$want" >node_modules/.kubestack-lock-sha256
  fi
}
