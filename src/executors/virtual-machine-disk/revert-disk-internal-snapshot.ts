/**
 * RevertDiskInternalSnapshot: return the disk's current file to the internal snapshot (the snapshot stays). Refused while a running VM has the file open.
 * The report is the disk's spec.volume, whose `snapshots` lists the internal snapshots.
 */
import { lockNames } from '../../lock-names.js';
import { defineOperation } from '../types.js';
import { RevertDiskInternalSnapshot } from './params.gen.js';
import { volumeReport } from './report.js';

export const revertDiskInternalSnapshot = defineOperation({
  ...RevertDiskInternalSnapshot,
  locks: (_p, ctx) => [lockNames.disk(ctx.name)],
  async handler(ctx, p) {
    const storage = ctx.services.storage;
    const ref = { pool: p.pool, name: ctx.name };
    await storage.revertInternalSnapshot({ ...ref, snapshot: p.snapshotname });
    return { report: volumeReport(await storage.diskInfo(ref), p.type) };
  },
  /**
   * qemu-img is not interrupted with the agent, and applying only re-points the active L1 table:
   * the disk reading exactly the snapshot = finished; anything else = not applied (the data is as
   * before). The prepare of a revert never writes the disk, so "as before" is certain.
   */
  async recover(ctx, p) {
    const storage = ctx.services.storage;
    const ref = { pool: p.pool, name: ctx.name };
    if (!(await storage.readsInternalSnapshot({ ...ref, snapshot: p.snapshotname }))) return { undone: true };
    return { outcome: { report: volumeReport(await storage.diskInfo(ref), p.type) } };
  },
});
