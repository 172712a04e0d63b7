/**
 * AutoStartPool: whether the agent starts the pool when it starts. The document's parameter is
 * `disable` (true = no autostart); uni-virt's `auto-start` (the inverse) is accepted as an alias.
 */
import { lockNames } from '../../lock-names.js';
import { defineOperation } from '../types.js';
import { mirrorLibvirtPool, mirrorOf } from './libvirt-pool.js';
import { AutoStartPool } from './params.gen.js';
import { recoverPoolState } from './recover.js';
import { poolReport } from './report.js';

export const autoStartPool = defineOperation({
  ...AutoStartPool,
  locks: (_p, ctx) => [lockNames.pool(ctx.name)],
  async handler(ctx, p) {
    const info = await ctx.services.storage.setPoolAutostart(ctx.name, !p.disable);
    await mirrorLibvirtPool(ctx.services.libvirt, mirrorOf(info));
    return { report: poolReport(info) };
  },
  async recover(ctx, p) {
    return recoverPoolState(ctx, (info) => info.autostart === !p.disable);
  },
});
