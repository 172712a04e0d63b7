# Debian packages the test bed needs; installed only when missing. Service starts by package
# scripts are suppressed (there is no systemd here; the test bed starts daemons itself).
# shellcheck shell=bash

TB_PACKAGES=(
  libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils qemu-block-extra
  openvswitch-switch ovn-central ovn-host glusterfs-server glusterfs-client etcd-server
  genisoimage busybox-static cpio osinfo-db iproute2 openssl procps kmod gettext-base curl
)

ensure_packages() {
  local missing=()
  for p in "${TB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  step "installing Debian packages: ${missing[*]}"
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# installed by kubestack testbed: package scripts must not start services\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >"$TB_LOGS/apt.log" 2>&1 || fail_component apt "$TB_LOGS/apt.log" "apt-get update"
  apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$TB_LOGS/apt.log" 2>&1 ||
    fail_component apt "$TB_LOGS/apt.log" "apt-get install"
}
