/**
 * Which disk image a request's `source` path names: the current file `<pool>/<image>/<image>` (or
 * `<image>.iso`) of an image in a `vmdi` pool of this host. A linked disk backs onto that file for
 * ever, so it must be an image (immutable, and protected from deletion while disks use it), never
 * an arbitrary file that something else may still write.
 */
import { basename, dirname } from 'node:path';
import { NotFoundError } from '../../errors.js';
import { assertConfinedRealPath } from '../../paths.js';
import type { DiskRef, StorageEngine } from '../../storage/index.js';

export async function imageAtPath(storage: StorageEngine, source: string, field: string): Promise<DiskRef> {
  const path = await assertConfinedRealPath(source, field);
  const dir = dirname(path);
  const name = basename(dir);
  const file = basename(path);
  const pools = await storage.listPools();
  const pool = pools.find((p) => p.content === 'vmdi' && p.path === dirname(dir));
  if (pool && (file === name || file === `${name}.iso`)) {
    const info = await storage.diskInfo({ pool: pool.name, name }).catch(() => undefined);
    if (info?.current === path) return { pool: pool.name, name };
  }
  throw new NotFoundError('disk image', source, {
    details: {
      field,
      hint: 'the path of a disk image (createDiskImage / createDiskImageFromDisk) on this node',
    },
  });
}
