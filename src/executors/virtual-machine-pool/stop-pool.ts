/** StopPool: mark the pool inactive (and unmount a mounted one); refused while running VMs use it. */
import { defineOperation } from '../types.js';
import { StopPool } from './params.gen.js';
import { poolReport } from './report.js';

export const stopPool = defineOperation({
  ...StopPool,
  locks: (_p, ctx) => [`pool:${ctx.name}`],
  async handler(ctx) {
    return { report: poolReport(await ctx.services.storage.stopPool(ctx.name)) };
  },
});
