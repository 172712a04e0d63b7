/**
 * DeleteDiskExternalSnapshot: only the point in time goes, never data. The snapshot's overlay is
 * merged into its frozen file (offline `qemu-img commit`; while the disk's domain runs, a libvirt
 * block commit, pivoted when the overlay is the active top), its children are re-pointed with a safe
 * rebase, and the object is deleted. Refused (naming who) when the frozen file also backs another
 * branch or belongs to another disk or image.
 */
import { lockNames } from '../../lock-names.js';
import { defineOperation } from '../types.js';
import { DeleteDiskExternalSnapshot } from './params.gen.js';
import { checkDomainParam, snapshotOf } from './shared.js';

export const deleteDiskExternalSnapshot = defineOperation({
  ...DeleteDiskExternalSnapshot,
  locks: (p) => [lockNames.disk(p.vol), ...(p.domain ? [lockNames.domain(p.domain)] : [])],
  async handler(ctx, p) {
    const ref = { pool: p.pool, name: p.vol };
    await snapshotOf(ctx, ref, ctx.name);
    await checkDomainParam(ctx, ref, p.domain);
    await ctx.services.storage.deleteSnapshot({ ...ref, snapshot: ctx.name });
    return { deleteObject: true, message: `snapshot '${ctx.name}' of disk '${p.vol}' deleted` };
  },
  /**
   * Once committed, the engine's journal rolls the merge forward at start-up (every step is safe to
   * repeat), and the overlay goes last but one: its file gone = finished, still there = not run.
   */
  async recover(ctx, p) {
    const ref = { pool: p.pool, name: p.vol };
    const left = (await ctx.services.storage.listSnapshots(ref)).some((s) => s.name === ctx.name);
    if (left) return { undone: true };
    return { outcome: { deleteObject: true, message: `snapshot '${ctx.name}' of disk '${p.vol}' deleted` } };
  },
});
