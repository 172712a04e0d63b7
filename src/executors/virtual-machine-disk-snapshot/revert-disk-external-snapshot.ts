/**
 * RevertDiskExternalSnapshot: a NEW overlay over this snapshot's frozen point in time becomes the
 * disk's current file; nothing is deleted (the branch left behind and its snapshots stay readable).
 * Refused while a domain uses the disk: the document asks for the VM to be off; the disk must also be
 * detached from it, since its definition would still name the old file.
 */
import { lockNames } from '../../lock-names.js';
import type { DiskRef } from '../../storage/index.js';
import { defineOperation, type OperationContext, type OperationOutcome } from '../types.js';
import { RevertDiskExternalSnapshot } from './params.gen.js';
import { checkDomainParam, snapshotOf, snapshotReport } from './shared.js';

export const revertDiskExternalSnapshot = defineOperation({
  ...RevertDiskExternalSnapshot,
  locks: (p) => [lockNames.disk(p.vol), ...(p.domain ? [lockNames.domain(p.domain)] : [])],
  async handler(ctx, p) {
    const ref = { pool: p.pool, name: p.vol };
    await snapshotOf(ctx, ref, ctx.name);
    await checkDomainParam(ctx, ref, p.domain);
    const overlay = await ctx.services.storage.revertSnapshot({ ...ref, snapshot: ctx.name });
    return revertOutcome(ctx, ref, overlay.file);
  },
  /**
   * The engine's journal has removed a half-made overlay or made the finished one current. A
   * current overlay (not the snapshot itself) right over the snapshot's frozen point = finished;
   * the disk elsewhere = not run.
   */
  async recover(ctx, p) {
    const ref = { pool: p.pool, name: p.vol };
    const snaps = await ctx.services.storage.listSnapshots(ref);
    const snap = snaps.find((s) => s.name === ctx.name);
    const top = snaps.find((s) => s.current);
    if (!snap || !top || top.name === snap.name || top.full_backing_filename !== snap.full_backing_filename) {
      return { undone: true };
    }
    return { outcome: await revertOutcome(ctx, ref, top.file) };
  },
});

async function revertOutcome(
  ctx: OperationContext,
  ref: DiskRef,
  current: string,
): Promise<OperationOutcome> {
  const snap = await snapshotOf(ctx, ref, ctx.name);
  return {
    report: await snapshotReport(ctx, ref, snap),
    message: `disk '${ref.name}' reverted to snapshot '${ctx.name}'; its current file is ${current}`,
  };
}
