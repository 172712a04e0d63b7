# glusterd with one single-brick volume (forced onto a local directory) that pools mount over FUSE.
# shellcheck shell=bash

GLUSTER_VOLUME=ksvol
GLUSTER_BRICK=/var/lib/kubestack-testbed/gluster/brick

gluster_cli() { timeout 30 gluster --mode=script "$@"; }

brick_online() {
  gluster_cli volume status "$GLUSTER_VOLUME" detail 2>/dev/null | grep -Eq '^Online +: Y'
}

gluster_up() {
  mkdir -p "$GLUSTER_BRICK" /var/log/glusterfs
  if ! component_running glusterd; then
    step "starting glusterd"
    glusterd -p "$TB/run-glusterd.pid" --log-file="$TB_LOGS/glusterd.log" >>"$TB_LOGS/glusterd.out" 2>&1 ||
      fail_component glusterd "$TB_LOGS/glusterd.log" "glusterd"
    wait_for 20 glusterd gluster_cli volume list || fail_component glusterd "$TB_LOGS/glusterd.log" "CLI did not answer"
    record_pidfile glusterd "$TB/run-glusterd.pid"
  fi
  if ! gluster_cli volume info "$GLUSTER_VOLUME" >/dev/null 2>&1; then
    gluster_cli volume create "$GLUSTER_VOLUME" "$(hostname):$GLUSTER_BRICK" force >>"$TB_LOGS/gluster-cli.log" 2>&1 ||
      fail_component "gluster volume" "$TB_LOGS/gluster-cli.log" "volume create"
  fi
  # glusterd remembers a volume as Started across a reboot or killed processes while its brick
  # process is gone: ask whether the brick is online, and (re)start it with force when not.
  if ! brick_online; then
    gluster_cli volume start "$GLUSTER_VOLUME" force >>"$TB_LOGS/gluster-cli.log" 2>&1 ||
      fail_component "gluster volume" "$TB_LOGS/gluster-cli.log" "volume start"
  fi
  wait_for 30 "gluster brick" brick_online ||
    fail_component "gluster brick" "$TB_LOGS/glusterd.log" "brick process did not come online"
  local f i=0
  for f in /var/run/gluster/vols/"$GLUSTER_VOLUME"/*.pid; do
    record_pidfile "glusterfsd-$i" "$f"
    i=$((i + 1))
  done
}

gluster_down() {
  # FUSE clients of our volume (left by an interrupted test) go first.
  awk -v v="$GLUSTER_VOLUME" '$3 == "fuse.glusterfs" && $1 ~ (":/" v "$") {print $2}' /proc/mounts |
    while read -r m; do umount -l "$m" 2>/dev/null || true; done
  local f
  for f in "$TB_PIDS"/glusterfsd-*.pid; do
    [[ -e "$f" ]] && stop_recorded "$(basename "$f" .pid)"
  done
  stop_recorded glusterd
}

gluster_status() {
  if component_running glusterd; then
    echo "glusterd    running (pid $(recorded_pid glusterd)), volume $GLUSTER_VOLUME"
  else
    echo "glusterd    stopped"
  fi
}
