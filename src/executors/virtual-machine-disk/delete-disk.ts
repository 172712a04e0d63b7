/**
 * DeleteDisk: remove the disk's directory (image, snapshots, config.json). Refused while a domain
 * uses any of its files (running or only defined) or another disk backs onto it.
 */
import { NotFoundError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { defineOperation } from '../types.js';
import { DeleteDisk } from './params.gen.js';

export const deleteDisk = defineOperation({
  ...DeleteDisk,
  locks: (_p, ctx) => [lockNames.disk(ctx.name)],
  async handler(ctx, p) {
    await ctx.services.storage.deleteDisk({ pool: p.pool, name: ctx.name });
    return { deleteObject: true, message: `disk '${ctx.name}' deleted` };
  },
  /** The engine's journal completes or undoes the delete at start-up: gone = done, present = not run. */
  async recover(ctx, p) {
    try {
      await ctx.services.storage.diskInfo({ pool: p.pool, name: ctx.name });
      return { undone: true };
    } catch (err) {
      if (err instanceof NotFoundError)
        return { outcome: { deleteObject: true, message: `disk '${ctx.name}' deleted` } };
      throw err;
    }
  },
});
