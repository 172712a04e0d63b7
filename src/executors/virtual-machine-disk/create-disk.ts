/** CreateDisk: a qcow2 image at <pool>/<disk>/<disk> with its config.json, in an active pool. */
import { lockNames } from '../../lock-names.js';
import { defineOperation } from '../types.js';
import { CreateDisk } from './params.gen.js';
import { volumeReport } from './report.js';

export const createDisk = defineOperation({
  ...CreateDisk,
  locks: (_p, ctx) => [lockNames.disk(ctx.name)],
  async handler(ctx, p) {
    const info = await ctx.services.storage.createDisk({
      pool: p.pool,
      name: ctx.name,
      capacity: p.capacity,
      format: p.format,
    });
    return { report: volumeReport(info, p.type) };
  },
});
