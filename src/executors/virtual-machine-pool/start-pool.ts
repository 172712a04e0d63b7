/** StartPool: make the pool usable again (mkdir, or mount a glusterfs/nfs pool). */
import { lockNames } from '../../lock-names.js';
import { defineOperation } from '../types.js';
import { mirrorLibvirtPool, mirrorOf } from './libvirt-pool.js';
import { StartPool } from './params.gen.js';
import { recoverPoolState } from './recover.js';
import { poolReport } from './report.js';

export const startPool = defineOperation({
  ...StartPool,
  locks: (_p, ctx) => [lockNames.pool(ctx.name)],
  async handler(ctx) {
    const info = await ctx.services.storage.startPool(ctx.name);
    await mirrorLibvirtPool(ctx.services.libvirt, mirrorOf(info));
    return { report: poolReport(info) };
  },
  async recover(ctx) {
    return recoverPoolState(ctx, (info) => info.state === 'active');
  },
});
