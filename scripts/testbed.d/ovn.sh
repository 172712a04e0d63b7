# Open vSwitch (userspace netdev datapath, br-int), OVN central (NB, SB, northd) and ovn-controller
# bound to the local OVS with a geneve encap on 127.0.0.1.
# shellcheck shell=bash

OVS_DB_SOCK=/var/run/openvswitch/db.sock
OVN_NB_SOCK=/var/run/ovn/ovnnb_db.sock
OVN_SB_SOCK=/var/run/ovn/ovnsb_db.sock
OVS_CTL=/usr/share/openvswitch/scripts/ovs-ctl
OVN_CTL=/usr/share/ovn/scripts/ovn-ctl

ovs_up() {
  mkdir -p /var/run/openvswitch /var/log/openvswitch
  if ! component_running ovsdb-server || ! component_running ovs-vswitchd; then
    step "starting Open vSwitch"
    "$OVS_CTL" start --system-id=random --no-monitor >>"$TB_LOGS/ovs-ctl.log" 2>&1 ||
      fail_component "Open vSwitch" /var/log/openvswitch/ovs-vswitchd.log "ovs-ctl start"
    record_pidfile ovsdb-server /var/run/openvswitch/ovsdb-server.pid
    record_pidfile ovs-vswitchd /var/run/openvswitch/ovs-vswitchd.pid
  fi
  ovs-vsctl --timeout=10 --may-exist add-br br-int -- set bridge br-int datapath_type=netdev fail-mode=secure \
    >>"$TB_LOGS/ovs-ctl.log" 2>&1 || fail_component br-int "$TB_LOGS/ovs-ctl.log" "add-br br-int"
}

ovn_up() {
  mkdir -p /var/run/ovn /var/log/ovn
  if ! component_running ovn-northd; then
    step "starting OVN central (NB, SB, northd)"
    "$OVN_CTL" start_northd --no-monitor >>"$TB_LOGS/ovn-ctl.log" 2>&1 ||
      fail_component "OVN central" /var/log/ovn/ovn-northd.log "ovn-ctl start_northd"
    wait_for 15 "OVN NB" ovn-nbctl --timeout=2 --db="unix:$OVN_NB_SOCK" show ||
      fail_component "OVN NB" /var/log/ovn/ovsdb-server-nb.log "NB DB did not answer"
    record_pidfile ovn-nb /var/run/ovn/ovnnb_db.pid
    record_pidfile ovn-sb /var/run/ovn/ovnsb_db.pid
    record_pidfile ovn-northd /var/run/ovn/ovn-northd.pid
  fi
  if ! component_running ovn-controller; then
    step "starting ovn-controller"
    ovs-vsctl --timeout=10 set open_vswitch . \
      external_ids:ovn-remote="unix:$OVN_SB_SOCK" external_ids:ovn-encap-type=geneve \
      external_ids:ovn-encap-ip=127.0.0.1 external_ids:ovn-bridge=br-int \
      external_ids:ovn-bridge-datapath-type=netdev external_ids:system-id="$(hostname)" \
      >>"$TB_LOGS/ovn-ctl.log" 2>&1
    "$OVN_CTL" start_controller --no-monitor >>"$TB_LOGS/ovn-ctl.log" 2>&1 ||
      fail_component ovn-controller /var/log/ovn/ovn-controller.log "ovn-ctl start_controller"
    wait_for 15 ovn-controller test -s /var/run/ovn/ovn-controller.pid ||
      fail_component ovn-controller /var/log/ovn/ovn-controller.log "no pid file"
    record_pidfile ovn-controller /var/run/ovn/ovn-controller.pid
  fi
}

ovn_down() {
  stop_recorded ovn-controller
  stop_recorded ovn-northd
  stop_recorded ovn-sb
  stop_recorded ovn-nb
}

ovs_down() {
  stop_recorded ovs-vswitchd
  stop_recorded ovsdb-server
}

ovn_status() {
  local c
  for c in ovsdb-server ovs-vswitchd ovn-nb ovn-sb ovn-northd ovn-controller; do
    if component_running "$c"; then printf '%-14s running (pid %s)\n' "$c" "$(recorded_pid "$c")"; else printf '%-14s stopped\n' "$c"; fi
  done
}
