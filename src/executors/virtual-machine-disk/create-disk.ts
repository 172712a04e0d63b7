/** CreateDisk: a qcow2 image at <pool>/<disk>/<disk> with its config.json, in an active pool. */
import { NotFoundError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { defineOperation } from '../types.js';
import { CreateDisk } from './params.gen.js';
import { volumeReport } from './report.js';

/** qemu-img rounds a size up to whole 512-byte sectors. */
const SECTOR = 512;

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
  /**
   * The storage engine's own journal has already finished or rolled back the directory rename at
   * start-up, so the disk is either complete or absent: complete with the requested size = the
   * finished result; absent = nothing was made.
   */
  async recover(ctx, p) {
    try {
      const info = await ctx.services.storage.diskInfo({ pool: p.pool, name: ctx.name });
      if (info.virtual_size !== Math.ceil(p.capacity / SECTOR) * SECTOR) return undefined;
      return { outcome: { report: volumeReport(info, p.type) } };
    } catch (err) {
      if (err instanceof NotFoundError) return { undone: true };
      throw err;
    }
  },
});
