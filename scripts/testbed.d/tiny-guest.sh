#!/usr/bin/env bash
# tiny-guest.sh: the tiny bootable guest the guest-side tests run (under TCG), built only
# from Debian packages: the cloud kernel (its modules), busybox-static as the userland, and
# qemu-guest-agent and chpasswd (package passwd, with PAM) with the shared libraries they link,
# taken from this host's installed Debian packages. The initramfs has /etc/passwd, /etc/shadow and
# /root/.ssh so a password or key change can be read back through the agent's file calls.
#
# Built once into the cache ($KUBESTACK_CACHE or ~/.cache/kubestack-testbed/tiny-guest-<v>/) and
# installed where QEMU (user libvirt-qemu) can read it: /var/lib/libvirt/images/kubestack-tiny-guest-<v>/
# (vmlinuz, initrd.gz). Idempotent: a second run only copies (or does nothing). Prints that directory.
#
# The guest's /init: loads the modules in dependency order, starts qemu-ga on the virtio port
# org.qemu.guest_agent.0, prints "KSGUEST READY" on ttyS0, and powers off on any input event (the
# ACPI power button is the only input device of a headless VM).
set -euo pipefail

VERSION=3
CACHE_ROOT="${KUBESTACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubestack-testbed}"
CACHE="$CACHE_ROOT/tiny-guest-$VERSION"
INSTALL="${TINY_GUEST_DIR:-/var/lib/libvirt/images/kubestack-tiny-guest-$VERSION}"
MODULES=(virtio_pci virtio_blk virtio_console virtio_balloon virtio_net virtio_scsi sr_mod button evdev)
BINARIES=(/usr/sbin/chpasswd)

log() { echo "tiny-guest: $*" >&2; }

# copy_with_libs ROOT FILE: FILE and every shared library ldd names, at the same paths under ROOT.
copy_with_libs() {
  local root=$1 file=$2 lib
  install -D -m 0755 "$file" "$root$file"
  for lib in $(ldd "$file" | grep -o '/[^ ]*' | sort -u); do
    [[ -e $root$lib ]] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
  done
}

write_init() {
  cat >"$1/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /run /tmp /var && mount -t devpts devpts /dev/pts && ln -s /run /var/run
for m in $(cat /lib/modules/load.order); do insmod /lib/modules/$m 2>/dev/null; done
sleep 1
for p in /sys/class/virtio-ports/*; do
  if [ "$(cat $p/name 2>/dev/null)" = org.qemu.guest_agent.0 ]; then
    /usr/sbin/qemu-ga -m virtio-serial -p /dev/$(basename $p) -t /run -f /run/qemu-ga.pid -d -l /run/qemu-ga.log
  fi
done
for e in /dev/input/event*; do
  ( dd if=$e of=/dev/null bs=24 count=1 2>/dev/null && echo KSGUEST POWEROFF && sync && poweroff -f ) &
done
echo "KSGUEST READY cpus=$(cat /sys/devices/system/cpu/present)"
while true; do sleep 3600; done
INIT
  chmod 0755 "$1/init"
}

write_etc() {
  local tree=$1
  mkdir -p "$tree/etc/pam.d" "$tree/root/.ssh"
  chmod 0700 "$tree/root" "$tree/root/.ssh"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$tree/etc/passwd"
  echo 'root:x:0:' >"$tree/etc/group"
  echo 'root:*:20000:0:99999:7:::' >"$tree/etc/shadow"
  chmod 0640 "$tree/etc/shadow"
  printf 'passwd: files\ngroup: files\nshadow: files\n' >"$tree/etc/nsswitch.conf"
  printf 'ENCRYPT_METHOD SHA512\n' >"$tree/etc/login.defs"
  printf 'password required pam_unix.so sha512\n' >"$tree/etc/pam.d/chpasswd"
  printf 'auth required pam_permit.so\naccount required pam_permit.so\npassword required pam_unix.so sha512\nsession required pam_permit.so\n' >"$tree/etc/pam.d/other"
}

build() {
  local work kver pkg m dep
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  pkg=$(apt-cache depends linux-image-cloud-amd64 | sed -n 's/.*Depends: \(linux-image-.*-cloud-amd64\)$/\1/p' | head -1)
  [[ -n $pkg ]] || { log "no linux-image-*-cloud-amd64 known to apt (apt-get update?)"; return 1; }
  (cd "$work" && apt-get download "$pkg" qemu-guest-agent >/dev/null 2>&1) || { log "apt-get download $pkg qemu-guest-agent failed"; return 1; }
  for d in "$work"/*.deb; do dpkg -x "$d" "$work/x"; done
  kver=$(ls "$work/x/lib/modules")
  depmod -b "$work/x" "$kver"
  local tree=$work/tree order=()
  mkdir -p "$tree"/{bin,proc,sys,dev,run,tmp,lib/modules}
  install -m 0755 /bin/busybox "$tree/bin/busybox"
  # Each module after its dependencies (modules.dep lists them deepest last).
  for m in "${MODULES[@]}"; do
    local line
    line=$(grep -E "/$m\.ko:" "$work/x/lib/modules/$kver/modules.dep") || { log "module $m not in $pkg"; return 1; }
    for dep in $(echo "${line#*:}" | tr ' ' '\n' | tac) "${line%%:*}"; do
      [[ " ${order[*]} " == *" $(basename "$dep") "* ]] && continue
      cp "$work/x/lib/modules/$kver/$dep" "$tree/lib/modules/"
      order+=("$(basename "$dep")")
    done
  done
  printf '%s\n' "${order[@]}" >"$tree/lib/modules/load.order"
  # qemu-ga from its package; its libraries and chpasswd's from the host's Debian packages.
  install -D -m 0755 "$work/x/usr/sbin/qemu-ga" "$tree/usr/sbin/qemu-ga"
  for lib in $(ldd "$work/x/usr/sbin/qemu-ga" | grep -o '/[^ ]*' | sort -u); do
    [[ -e $tree$lib ]] || install -D -m 0755 "$(readlink -f "$lib")" "$tree$lib"
  done
  for b in "${BINARIES[@]}" /lib/x86_64-linux-gnu/security/pam_unix.so /lib/x86_64-linux-gnu/security/pam_permit.so; do
    copy_with_libs "$tree" "$b"
  done
  write_etc "$tree"
  write_init "$tree"
  mkdir -p "$CACHE"
  (cd "$tree" && find . -mindepth 1 | cpio -o -H newc -R 0:0 --quiet) | gzip -9 >"$CACHE/initrd.gz.tmp"
  cp "$work/x/boot/vmlinuz-$kver" "$CACHE/vmlinuz.tmp"
  mv "$CACHE/initrd.gz.tmp" "$CACHE/initrd.gz"
  mv "$CACHE/vmlinuz.tmp" "$CACHE/vmlinuz"
  log "built from $pkg and qemu-guest-agent into $CACHE"
}

[[ -s $CACHE/vmlinuz && -s $CACHE/initrd.gz ]] || build
if ! cmp -s "$CACHE/initrd.gz" "$INSTALL/initrd.gz" || ! cmp -s "$CACHE/vmlinuz" "$INSTALL/vmlinuz"; then
  mkdir -p "$INSTALL"
  cp "$CACHE/vmlinuz" "$INSTALL/vmlinuz.tmp" && mv "$INSTALL/vmlinuz.tmp" "$INSTALL/vmlinuz"
  cp "$CACHE/initrd.gz" "$INSTALL/initrd.gz.tmp" && mv "$INSTALL/initrd.gz.tmp" "$INSTALL/initrd.gz"
fi
echo "$INSTALL"
