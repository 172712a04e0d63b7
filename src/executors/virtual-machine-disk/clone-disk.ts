/**
 * CloneDisk: a standalone full copy of the disk (its whole chain, flattened, sparse) as the new disk
 * `newname` in `pool`. The source is found in the pool its object reports (spec.volume.pool), else
 * in `pool`. Refused while a running VM writes the source (the copy would be torn).
 * The clone's own object is not created by the agent: the client creates a VirtualMachineDisk
 * named `newname` to manage it (deleteDisk, snapshots, …).
 */
import { lockNames } from '../../lock-names.js';
import type { DiskInfo, StorageEngine } from '../../storage/index.js';
import { recoverCreated } from '../storage-recovery.js';
import { defineOperation, type OperationOutcome } from '../types.js';
import { poolOfDisk } from './observe.js';
import { CloneDisk } from './params.gen.js';
import { volumeReport } from './report.js';

export const cloneDisk = defineOperation({
  ...CloneDisk,
  locks: (p, ctx) => [lockNames.disk(ctx.name), lockNames.disk(p.newname)],
  async handler(ctx, p) {
    const storage = ctx.services.storage;
    const pool = poolOfDisk(ctx.object?.spec) ?? p.pool;
    const clone = await storage.cloneDisk({
      pool,
      name: ctx.name,
      newName: p.newname,
      targetPool: p.pool,
      mode: 'full',
    });
    return cloneOutcome(ctx.services.storage, pool, ctx.name, clone);
  },
  /** The clone complete and standalone = finished; absent = not made (the source never changes). */
  async recover(ctx, p) {
    const pool = poolOfDisk(ctx.object?.spec) ?? p.pool;
    return recoverCreated(
      ctx.services.storage,
      { pool: p.pool, name: p.newname },
      (clone) => cloneOutcome(ctx.services.storage, pool, ctx.name, clone),
      (clone) => clone.full_backing_filename === undefined,
    );
  },
});

async function cloneOutcome(
  storage: StorageEngine,
  pool: string,
  name: string,
  clone: DiskInfo,
): Promise<OperationOutcome> {
  const source = await storage.diskInfo({ pool, name });
  return {
    report: volumeReport(source),
    message: `disk '${name}' cloned to '${clone.disk}' (${clone.current})`,
  };
}
