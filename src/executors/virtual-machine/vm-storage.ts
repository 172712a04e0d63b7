/**
 * DeleteVM's storage removal (`remove_all_storage`, `storage`): which of the VM's disks go, checked
 * before anything changes (each named disk must be the VM's, none used by another VM), and the
 * removal after the VM is gone — a disk in a pool's layout through the storage engine (its own
 * in-use and backing-file checks, the whole disk with its snapshots), any other file directly.
 */
import { rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { errorMessage, InUseError, ValidationError } from '../../errors.js';
import { diskNameOf } from '../../lock-names.js';
import type { StorageEngine } from '../../storage/index.js';
import type { Libvirt } from './domains.js';
import { otherDomainsUsing } from './other-users.js';
import type { DomainDisk } from './shared.js';

export function disksToRemove(disks: DomainDisk[], all: boolean, storage: string | undefined): DomainDisk[] {
  const own = disks.filter((d) => d.device === 'disk' && d.source !== undefined);
  if (all) return own;
  const picked: DomainDisk[] = [];
  for (const item of (storage ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const d = own.find((x) => x.target === item || x.source === item);
    if (!d) throw new ValidationError(`'${item}' is not a disk of this VM`, 'storage');
    if (!picked.includes(d)) picked.push(d);
  }
  return picked;
}

export async function refuseSharedDisks(lv: Libvirt, vm: string, disks: DomainDisk[]): Promise<void> {
  for (const d of disks) {
    const users = await otherDomainsUsing(lv, vm, d.source as string);
    if (users.length > 0) {
      throw new InUseError(
        `disk ${d.target} ('${d.source}') is also used by VM ${users.join(', ')}: nothing was deleted`,
      );
    }
  }
}

/** Removes each disk; returns what could not be removed (with why) instead of stopping at the first. */
export async function removeDisks(storage: StorageEngine, disks: DomainDisk[]): Promise<string[]> {
  if (disks.length === 0) return [];
  const pools = await storage.listPools();
  const failed: string[] = [];
  for (const d of disks) {
    const file = d.source as string;
    const name = diskNameOf(file);
    const pool = name
      ? pools.find((p) => p.path === dirname(dirname(file)) || p.path === dirname(dirname(dirname(file))))
      : undefined;
    try {
      if (pool && name) await storage.deleteDisk({ pool: pool.name, name });
      else await rm(file);
    } catch (err) {
      failed.push(`${d.target} ('${basename(file)}'): ${errorMessage(err)}`);
    }
  }
  return failed;
}
