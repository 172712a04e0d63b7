/**
 * CreateDiskInternalSnapshot: take an internal (qcow2) snapshot of the disk's current file. Refused while a running VM has the file open, or when the name is taken.
 * The report is the disk's spec.volume, whose `snapshots` lists the internal snapshots.
 */
import { lockNames } from '../../lock-names.js';
import { internalSnapshotNames } from '../storage-recovery.js';
import { defineOperation } from '../types.js';
import { CreateDiskInternalSnapshot } from './params.gen.js';
import { volumeReport } from './report.js';

export const createDiskInternalSnapshot = defineOperation({
  ...CreateDiskInternalSnapshot,
  locks: (_p, ctx) => [lockNames.disk(ctx.name)],
  async handler(ctx, p) {
    const storage = ctx.services.storage;
    const ref = { pool: p.pool, name: ctx.name };
    await storage.createInternalSnapshot({ ...ref, snapshot: p.snapshotname });
    return { report: volumeReport(await storage.diskInfo(ref), p.type) };
  },
  /** qemu-img is not interrupted with the agent: the snapshot listed = finished, else not taken. */
  async recover(ctx, p) {
    const storage = ctx.services.storage;
    const ref = { pool: p.pool, name: ctx.name };
    if (!(await internalSnapshotNames(storage, ref)).includes(p.snapshotname)) return { undone: true };
    return { outcome: { report: volumeReport(await storage.diskInfo(ref), p.type) } };
  },
});
