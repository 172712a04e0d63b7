/**
 * The device XML files the old daemons kept per VM, `/var/lib/libvirt/devices/<vm>-disk-<target>.xml`
 * (tools of the platform read them): written after a disk is plugged, removed when it is unplugged
 * and, with every other `<vm>-*` file, when the VM is deleted.
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

/** Removes every `<vm>-…` device file (the VM is gone). */
export async function removeDeviceFiles(vm: string, dir = DEVICES_DIR): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => n.startsWith(`${vm}-`)).map((n) => rm(join(dir, n), { force: true })),
  );
}
