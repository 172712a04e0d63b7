# Cluster mode (`scripts/testbed up --cluster`): a real node joins the test bed's control plane —
# containerd + runc (Debian), kubelet, kube-scheduler and kube-controller-manager (built from the
# same Go modules as kube-apiserver, cached by build-k8s.sh) — so the agent's DaemonSet runs in a
# real pod. The node is named $CLUSTER_NODE (not the hostname the other tests use as NODE_NAME), so
# the agent in its pod owns only the objects labelled host=$CLUSTER_NODE. No registry is reachable:
# the pause image is made here from busybox-static, the agent's image by `npm run image`, and both
# are imported into containerd. cgroups as this host has them (v1, cgroupfs driver).
# shellcheck shell=bash

CLUSTER_NODE="${TESTBED_CLUSTER_NODE:-testbed-node}"
CL="$TB/cluster"
CONTAINERD_SOCK="$CL/run/containerd.sock"
PAUSE_IMAGE=kubestack.local/pause:testbed
CLUSTER_PACKAGES=(containerd runc containernetworking-plugins busybox-static mmdebstrap umoci)

ctr_k8s() { ctr --address "$CONTAINERD_SOCK" -n k8s.io "$@"; }

containerd_config() {
  mkdir -p "$CL/run" "$CL/containerd" "$CL/cni"
  # Loopback only: every pod of this node uses the host network; the runtime needs a valid CNI
  # configuration to report the network ready.
  printf '{"cniVersion":"1.0.0","name":"testbed-lo","plugins":[{"type":"loopback"}]}\n' >"$CL/cni/10-loopback.conflist"
  cat >"$CL/containerd.toml" <<TOML
version = 2
root = "$CL/containerd/root"
state = "$CL/containerd/state"
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # this machine's root lacks CAP_SYS_RESOURCE: no container may go below containerd's own score
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CL/cni"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      SystemdCgroup = false
TOML
}

containerd_up() {
  component_running containerd && return 0
  containerd_config
  step "starting containerd ($(containerd --version | cut -d' ' -f3))"
  containerd --config "$CL/containerd.toml" >>"$TB_LOGS/containerd.log" 2>&1 &
  record_pid containerd $!
  wait_for 30 containerd ctr --address "$CONTAINERD_SOCK" version ||
    fail_component containerd "$TB_LOGS/containerd.log" "no answer on $CONTAINERD_SOCK in 30 s"
}

# The sandbox ("pause") image: busybox-static sleeping, as an OCI archive made with umoci.
pause_image_up() {
  ctr_k8s images ls -q | grep -qx "$PAUSE_IMAGE" && return 0
  local w
  w=$(mktemp -d)
  mkdir -p "$w/root/bin"
  cp /bin/busybox "$w/root/bin/busybox"
  tar --numeric-owner --owner=0 --group=0 -C "$w/root" -cf "$w/layer.tar" .
  umoci init --layout "$w/oci" && umoci new --image "$w/oci:testbed" &&
    umoci raw add-layer --image "$w/oci:testbed" "$w/layer.tar" &&
    umoci config --image "$w/oci:testbed" --config.entrypoint /bin/busybox \
      --config.entrypoint sleep --config.cmd 2147483647 ||
    { rm -rf "$w"; die "umoci could not make the pause image"; }
  tar -C "$w/oci" -cf "$w/pause.tar" .
  ctr_k8s images import --all-platforms --base-name kubestack.local/pause "$w/pause.tar" >>"$TB_LOGS/containerd.log" 2>&1 ||
    { rm -rf "$w"; die "ctr could not import the pause image"; }
  rm -rf "$w"
}

# The agent's image (npm run image, cached) imported under the name the DaemonSet uses.
agent_image_up() {
  local archive name
  step "building the agent image (npm run image; cached rootfs)"
  archive=$(bash "$REPO_ROOT/scripts/image" 2>>"$TB_LOGS/image.log") || fail_component image "$TB_LOGS/image.log" "npm run image failed"
  name=$(cat "${archive%.oci.tar}.oci.name")
  ctr_k8s images import --all-platforms --base-name "docker.io/${name%:*}" "$archive" >>"$TB_LOGS/containerd.log" 2>&1 ||
    fail_component "image import" "$TB_LOGS/containerd.log" "ctr images import $archive"
  log "image docker.io/$name imported ($(grep -o '[0-9]* MB compressed, [0-9]* MB unpacked' "$TB_LOGS/image.log" | tail -1))"
}

kubelet_config() {
  mkdir -p "$CL/kubelet" "$CL/pod-logs"
  cat >"$CL/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
healthzBindAddress: 127.0.0.1
readOnlyPort: 0
authentication: { anonymous: { enabled: true }, webhook: { enabled: false } }
authorization: { mode: AlwaysAllow }
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
podLogsDir: $CL/pod-logs
evictionHard: { memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1% }
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
YAML
}

node_components_up() {
  local k8s
  k8s=$(dirname "$(bash "$REPO_ROOT/scripts/testbed.d/build-k8s.sh" kubelet)") || die "kubelet build failed"
  bash "$REPO_ROOT/scripts/testbed.d/build-k8s.sh" kube-scheduler >/dev/null || die "kube-scheduler build failed"
  bash "$REPO_ROOT/scripts/testbed.d/build-k8s.sh" kube-controller-manager >/dev/null || die "kube-controller-manager build failed"
  if ! component_running kube-controller-manager; then
    step "starting kube-controller-manager"
    "$k8s/kube-controller-manager" --kubeconfig "$KUBECONFIG_PATH" --leader-elect=false --bind-address 127.0.0.1 \
      --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" --v=1 \
      >>"$TB_LOGS/kube-controller-manager.log" 2>&1 &
    record_pid kube-controller-manager $!
  fi
  if ! component_running kube-scheduler; then
    step "starting kube-scheduler"
    "$k8s/kube-scheduler" --kubeconfig "$KUBECONFIG_PATH" --leader-elect=false --bind-address 127.0.0.1 --v=1 \
      >>"$TB_LOGS/kube-scheduler.log" 2>&1 &
    record_pid kube-scheduler $!
  fi
  if ! component_running kubelet; then
    kubelet_config
    # the host's first IPv4 address (a loopback node IP is refused); host-network pods get it
    local node_ip
    node_ip=$(hostname -I | tr ' ' '\n' | grep -m1 -E '^[0-9]+\.' || true)
    [[ -n "$node_ip" ]] || die "cluster mode: no IPv4 address on this host for the node"
    step "starting kubelet (node $CLUSTER_NODE, label doslab.io/kvm-host=true)"
    "$k8s/kubelet" --config "$CL/kubelet.yaml" --kubeconfig "$KUBECONFIG_PATH" --root-dir "$CL/kubelet" \
      --cert-dir "$CL/kubelet/pki" --hostname-override "$CLUSTER_NODE" --node-ip "$node_ip" \
      --node-labels doslab.io/kvm-host=true --v=1 >>"$TB_LOGS/kubelet.log" 2>&1 &
    record_pid kubelet $!
  fi
  wait_for 120 "node $CLUSTER_NODE Ready" kubectl --kubeconfig "$KUBECONFIG_PATH" wait --for=condition=Ready \
    "node/$CLUSTER_NODE" --timeout=5s || fail_component kubelet "$TB_LOGS/kubelet.log" "node $CLUSTER_NODE not Ready in 120 s"
}

cluster_up() {
  local t0=$SECONDS
  local -a TB_PACKAGES=("${CLUSTER_PACKAGES[@]}")
  ensure_packages
  # Bidirectional mount propagation (the agent mounts pools) needs the host paths on a shared mount.
  mount --make-rshared /
  containerd_up
  pause_image_up
  agent_image_up
  node_components_up
  echo "$CLUSTER_NODE" >"$CL/node"
  log "cluster mode up in $((SECONDS - t0)) s: node $CLUSTER_NODE Ready, containerd at $CONTAINERD_SOCK"
}

# Every container of this node is killed and every mount under the cluster state is released before
# the daemons stop, so nothing of cluster mode is left running.
cluster_down() {
  [[ -d "$CL" ]] || return 0
  stop_recorded kubelet
  if component_running containerd; then
    local id
    for id in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
    sleep 1
    for id in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks delete -f "$id" >/dev/null 2>&1 || true; done
  fi
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CONTAINERD_SOCK" || true); do kill -9 "$pid" 2>/dev/null || true; done
  stop_recorded containerd
  stop_recorded kube-scheduler
  stop_recorded kube-controller-manager
  local m
  for m in $(findmnt -rn -o TARGET | grep "^$CL/" | sort -r); do umount -l "$m" 2>/dev/null || true; done
  if [[ -f "$CL/node" ]]; then
    kubectl --kubeconfig "$KUBECONFIG_PATH" delete node "$(cat "$CL/node")" --ignore-not-found --wait=false >/dev/null 2>&1 || true
    rm -f "$CL/node"
  fi
}

cluster_status() {
  local c
  for c in containerd kubelet kube-scheduler kube-controller-manager; do
    if component_running "$c"; then printf '%-23s running (pid %s)\n' "$c" "$(recorded_pid "$c")"; fi
  done
}
