/**
 * The device XML files the old daemons kept per VM, `/var/lib/libvirt/devices/<vm>-disk-<target>.xml`
 * (tools of the platform read them): written after a disk is plugged, removed when it is unplugged
 * and, with the VM's NIC files (`<vm>-nic-<mac hex>.xml|.cfg`), when the VM is deleted.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const DEVICES_DIR = '/var/lib/libvirt/devices';

export const diskDeviceFile = (vm: string, target: string, dir = DEVICES_DIR): string =>
  join(dir, `${vm}-disk-${target}.xml`);

export async function writeDiskDeviceFile(
  vm: string,
  target: string,
  xml: string,
  dir = DEVICES_DIR,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = diskDeviceFile(vm, target, dir);
  await writeFile(`${file}.tmp`, `${xml}\n`);
  await rename(`${file}.tmp`, file);
}

export async function removeDiskDeviceFile(vm: string, target: string, dir = DEVICES_DIR): Promise<void> {
  await rm(diskDeviceFile(vm, target, dir), { force: true });
}

/**
 * True when `file` is a device file of VM `vm`: `<vm>-disk-<target>.xml` or
 * `<vm>-nic-<mac hex>.xml|.cfg`. A bare `<vm>-` prefix is not enough: VM names contain '-', so
 * `web1-2-disk-vda.xml` belongs to `web1-2`, not to `web1`. Targets and MAC hex have no '-'.
 */
export function isDeviceFileOf(vm: string, file: string): boolean {
  if (!file.startsWith(`${vm}-`)) return false;
  return /^(disk-[a-z]+\.xml|nic-[0-9a-f]{12}\.(xml|cfg))$/.test(file.slice(vm.length + 1));
}

/** Removes the VM's device files (the VM is gone); files of other VMs are never touched. */
export async function removeDeviceFiles(vm: string, dir = DEVICES_DIR): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => isDeviceFileOf(vm, n)).map((n) => rm(join(dir, n), { force: true })));
}
