# libvirtd + virtlogd for qemu:///system, KVM when /dev/kvm is usable by the qemu user, else TCG.
# shellcheck shell=bash

LIBVIRT_SOCK=/var/run/libvirt/libvirt-sock
TEST_BRIDGE=ksbr0

kvm_prepare() {
  if [[ "${TESTBED_VIRT_TYPE:-}" == qemu ]]; then echo 0 >"$TB/kvm"; return; fi
  if [[ -c /dev/kvm ]]; then
    chgrp kvm /dev/kvm 2>/dev/null || true
    chmod 660 /dev/kvm 2>/dev/null || true
    if su -s /bin/sh libvirt-qemu -c 'test -r /dev/kvm && test -w /dev/kvm' 2>/dev/null; then
      echo 1 >"$TB/kvm"
      return
    fi
  fi
  echo 0 >"$TB/kvm"
}

libvirt_up() {
  kvm_prepare
  mkdir -p /run/libvirt /var/log/libvirt /var/lib/libvirt/images
  if ! component_running virtlogd; then
    virtlogd -d -p "$TB/run-virtlogd.pid" >>"$TB_LOGS/virtlogd.log" 2>&1 ||
      fail_component virtlogd "$TB_LOGS/virtlogd.log" "virtlogd -d"
    wait_for 10 virtlogd test -s "$TB/run-virtlogd.pid" || fail_component virtlogd "$TB_LOGS/virtlogd.log" "no pid file"
    record_pidfile virtlogd "$TB/run-virtlogd.pid"
  fi
  if ! component_running libvirtd; then
    step "starting libvirtd"
    libvirtd -d -p "$TB/run-libvirtd.pid" >>"$TB_LOGS/libvirtd.log" 2>&1 ||
      fail_component libvirtd "$TB_LOGS/libvirtd.log" "libvirtd -d"
    wait_for 30 libvirtd virsh -c qemu:///system version ||
      fail_component libvirtd /var/log/libvirt/libvirtd.log "qemu:///system did not answer in 30 s"
    record_pidfile libvirtd "$TB/run-libvirtd.pid"
  fi
  # A plain Linux bridge for `type=bridge` NICs in tests (no uplink; guests only see each other).
  if ! ip link show "$TEST_BRIDGE" >/dev/null 2>&1; then
    ip link add "$TEST_BRIDGE" type bridge && ip link set "$TEST_BRIDGE" up
    echo 1 >"$TB/created-$TEST_BRIDGE"
  fi
}

libvirt_down() {
  stop_recorded libvirtd
  stop_recorded virtlogd
  if [[ -f "$TB/created-$TEST_BRIDGE" ]]; then
    ip link del "$TEST_BRIDGE" 2>/dev/null || true
    rm -f "$TB/created-$TEST_BRIDGE"
  fi
}

libvirt_status() {
  local virt=TCG
  [[ "$(cat "$TB/kvm" 2>/dev/null)" == 1 ]] && virt=KVM
  if component_running libvirtd; then echo "libvirtd    running (pid $(recorded_pid libvirtd)), virt type $virt"; else echo "libvirtd    stopped"; fi
  if component_running virtlogd; then echo "virtlogd    running (pid $(recorded_pid virtlogd))"; else echo "virtlogd    stopped"; fi
}
