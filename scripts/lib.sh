# Shared by scripts/start and scripts/test.
# shellcheck shell=bash

say() { printf '\n==> %s\n' "$*" >&2; }

# npm ci only when package-lock.json changed since the last install (a second run takes no time).
ensure_node_modules() {
  local want have
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  have=$(cat node_modules/.kubestack-lock-sha256 2>/dev/null || true)
  if [[ "$want" != "$have" ]]; then
    say "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund
    echo "$want" >node_modules/.kubestack-lock-sha256
  fi
}
