# etcd + kube-apiserver (built from Go modules, cached), local PKI, RBAC, admin kubeconfig, CRDs.
# shellcheck shell=bash

APISERVER_PORT="${TESTBED_APISERVER_PORT:-16443}"
ETCD_CLIENT_PORT="${TESTBED_ETCD_PORT:-12379}"
ETCD_PEER_PORT=$((ETCD_CLIENT_PORT + 1))
PKI="$TB/pki"
KUBECONFIG_PATH="$TB/kubeconfig"

pki_up() {
  [[ -f "$PKI/admin.crt" ]] && return 0
  step "generating local TLS material"
  mkdir -p "$PKI"
  (
    cd "$PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj /CN=kubestack-testbed-ca 2>/dev/null
    cat >apiserver.ext <<EXT
subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc
extendedKeyUsage=serverAuth
EXT
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj /CN=kube-apiserver 2>/dev/null
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 3650 -extfile apiserver.ext 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=kubestack-admin" 2>/dev/null
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 3650 -extfile client.ext 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  ) || die "openssl failed to generate the test bed PKI"
}

# etcd: Debian's when new enough for the apiserver, else etcd built from Go modules next to it.
etcd_binary() {
  if [[ -n "${TESTBED_ETCD:-}" ]]; then echo "$TESTBED_ETCD"; return; fi
  bash "$REPO_ROOT/scripts/testbed.d/build-k8s.sh" etcd
}

etcd_up() {
  component_running etcd && return 0
  local bin
  bin=$(etcd_binary) || die "no etcd binary"
  step "starting etcd ($("$bin" --version | head -1))"
  mkdir -p "$TB/etcd"
  "$bin" --name testbed --data-dir "$TB/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "testbed=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync \
    >>"$TB_LOGS/etcd.log" 2>&1 &
  record_pid etcd $!
  wait_for 30 etcd curl -sf "http://127.0.0.1:$ETCD_CLIENT_PORT/health" ||
    fail_component etcd "$TB_LOGS/etcd.log" "no healthy answer in 30 s"
}

# --allow-privileged: the agent's DaemonSet is privileged (deploy/ is dry-run against this server,
# and cluster mode runs it).
apiserver_up() {
  component_running kube-apiserver && return 0
  local bin
  bin=$(bash "$REPO_ROOT/scripts/testbed.d/build-k8s.sh" apiserver) || die "kube-apiserver build failed"
  step "starting kube-apiserver on 127.0.0.1:$APISERVER_PORT"
  "$bin" --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$APISERVER_PORT" \
    --service-cluster-ip-range 10.0.0.0/24 --authorization-mode RBAC \
    --client-ca-file "$PKI/ca.crt" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-account-issuer https://kubernetes.default.svc --api-audiences https://kubernetes.default.svc \
    --enable-priority-and-fairness=false --profiling=false --v=1 \
    --allow-privileged=true \
    >>"$TB_LOGS/kube-apiserver.log" 2>&1 &
  record_pid kube-apiserver $!
  write_kubeconfig
  wait_for 90 kube-apiserver kubectl --kubeconfig "$KUBECONFIG_PATH" get --raw /readyz ||
    fail_component kube-apiserver "$TB_LOGS/kube-apiserver.log" "not ready in 90 s"
}

write_kubeconfig() {
  cat >"$KUBECONFIG_PATH" <<KC
apiVersion: v1
kind: Config
clusters:
- name: testbed
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $PKI/ca.crt
users:
- name: admin
  user:
    client-certificate: $PKI/admin.crt
    client-key: $PKI/admin.key
contexts:
- name: testbed
  context: { cluster: testbed, user: admin, namespace: default }
current-context: testbed
KC
}

crds_up() {
  kubectl --kubeconfig "$KUBECONFIG_PATH" apply --server-side --force-conflicts -f "$REPO_ROOT/deploy/crds/" >>"$TB_LOGS/kubectl.log" 2>&1 ||
    fail_component CRDs "$TB_LOGS/kubectl.log" "kubectl apply deploy/crds"
  kubectl --kubeconfig "$KUBECONFIG_PATH" wait --for condition=established --timeout=60s -f "$REPO_ROOT/deploy/crds/" >>"$TB_LOGS/kubectl.log" 2>&1 ||
    fail_component CRDs "$TB_LOGS/kubectl.log" "CRDs not established in 60 s"
}

kube_up() {
  pki_up
  etcd_up
  apiserver_up
  crds_up
}

kube_down() {
  stop_recorded kube-apiserver
  stop_recorded etcd
}

kube_status() {
  local c
  for c in etcd kube-apiserver; do
    if component_running "$c"; then printf '%-14s running (pid %s)\n' "$c" "$(recorded_pid "$c")"; else printf '%-14s stopped\n' "$c"; fi
  done
}
