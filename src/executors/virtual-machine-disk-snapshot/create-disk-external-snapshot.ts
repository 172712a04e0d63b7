/**
 * CreateDiskExternalSnapshot: the object's name is the snapshot's. A new overlay
 * `<disk>/snapshots/<name>` over the disk's current file becomes current; the old current is the
 * snapshot's frozen point in time. While a domain uses the disk (running or defined), libvirt makes
 * the overlay (disk-only snapshot of that one disk) and switches the domain to it.
 */
import { lockNames } from '../../lock-names.js';
import { defineOperation } from '../types.js';
import { CreateDiskExternalSnapshot } from './params.gen.js';
import { checkDomainParam, snapshotReport } from './shared.js';

export const createDiskExternalSnapshot = defineOperation({
  ...CreateDiskExternalSnapshot,
  locks: (p) => [lockNames.disk(p.vol), ...(p.domain ? [lockNames.domain(p.domain)] : [])],
  async handler(ctx, p) {
    const ref = { pool: p.pool, name: p.vol };
    await checkDomainParam(ctx, ref, p.domain);
    const snap = await ctx.services.storage.createSnapshot({ ...ref, snapshot: ctx.name });
    return { report: await snapshotReport(ctx, ref, snap) };
  },
  /**
   * The engine's journal has removed a half-made overlay or pointed config.json at a finished one
   * (offline, or after libvirt made it online): the snapshot listed = finished, else not taken.
   */
  async recover(ctx, p) {
    const ref = { pool: p.pool, name: p.vol };
    const snap = (await ctx.services.storage.listSnapshots(ref)).find((s) => s.name === ctx.name);
    return snap ? { outcome: { report: await snapshotReport(ctx, ref, snap) } } : { undone: true };
  },
});
