/** StopPool: mark the pool inactive (and unmount a mounted one); refused while running VMs use it. */
import { lockNames } from '../../lock-names.js';
import { defineOperation } from '../types.js';
import { mirrorLibvirtPool, mirrorOf } from './libvirt-pool.js';
import { StopPool } from './params.gen.js';
import { recoverPoolState } from './recover.js';
import { poolReport } from './report.js';

export const stopPool = defineOperation({
  ...StopPool,
  locks: (_p, ctx) => [lockNames.pool(ctx.name)],
  async handler(ctx) {
    const info = await ctx.services.storage.stopPool(ctx.name);
    await mirrorLibvirtPool(ctx.services.libvirt, mirrorOf(info));
    return { report: poolReport(info) };
  },
  async recover(ctx) {
    return recoverPoolState(ctx, (info) => info.state === 'inactive');
  },
});
