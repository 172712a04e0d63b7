/**
 * RevertDiskExternalSnapshot: a NEW overlay over this snapshot's frozen point in time becomes the
 * disk's current file; nothing is deleted (the branch left behind and its snapshots stay readable).
 * Refused while a domain uses the disk: the document asks for the VM to be off; the disk must also be
 * detached from it, since its definition would still name the old file.
 */
import { lockNames } from '../../lock-names.js';
import { defineOperation } from '../types.js';
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
    const snap = await snapshotOf(ctx, ref, ctx.name);
    return {
      report: await snapshotReport(ctx, ref, snap),
      message: `disk '${p.vol}' reverted to snapshot '${ctx.name}'; its current file is ${overlay.file}`,
    };
  },
});
