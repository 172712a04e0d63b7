/**
 * DeleteDiskInternalSnapshot: remove the internal snapshot from the disk's current file; the disk's data is unchanged.
 * The report is the disk's spec.volume, whose `snapshots` lists the internal snapshots.
 */
import { lockNames } from '../../lock-names.js';
import { internalSnapshotNames } from '../storage-recovery.js';
import { defineOperation } from '../types.js';
import { DeleteDiskInternalSnapshot } from './params.gen.js';
import { volumeReport } from './report.js';

export const deleteDiskInternalSnapshot = defineOperation({
  ...DeleteDiskInternalSnapshot,
  locks: (_p, ctx) => [lockNames.disk(ctx.name)],
  async handler(ctx, p) {
    const storage = ctx.services.storage;
    const ref = { pool: p.pool, name: ctx.name };
    await storage.deleteInternalSnapshot({ ...ref, snapshot: p.snapshotname });
    return { report: volumeReport(await storage.diskInfo(ref), p.type) };
  },
  /** The snapshot no longer listed = finished; still listed = not deleted (the data never changes). */
  async recover(ctx, p) {
    const storage = ctx.services.storage;
    const ref = { pool: p.pool, name: ctx.name };
    if ((await internalSnapshotNames(storage, ref)).includes(p.snapshotname)) return { undone: true };
    return { outcome: { report: volumeReport(await storage.diskInfo(ref), p.type) } };
  },
});
