/** DeletePool: forget the pool (unmounting it); refused while it still holds disks or images. */
import { NotFoundError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { defineOperation } from '../types.js';
import { removeLibvirtPool } from './libvirt-pool.js';
import { DeletePool } from './params.gen.js';

export const deletePool = defineOperation({
  ...DeletePool,
  locks: (_p, ctx) => [lockNames.pool(ctx.name)],
  async handler(ctx) {
    await ctx.services.storage.deletePool(ctx.name);
    await removeLibvirtPool(ctx.services.libvirt, ctx.name);
    return { deleteObject: true, message: `pool '${ctx.name}' deleted` };
  },
  /** Unregistered = deleted; still registered = the delete did not happen. */
  async recover(ctx) {
    try {
      await ctx.services.storage.poolInfo(ctx.name);
      return { undone: true };
    } catch (err) {
      if (err instanceof NotFoundError) {
        await removeLibvirtPool(ctx.services.libvirt, ctx.name);
        return { outcome: { deleteObject: true, message: `pool '${ctx.name}' deleted` } };
      }
      throw err;
    }
  },
});
