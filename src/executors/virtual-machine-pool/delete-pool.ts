/** DeletePool: forget the pool (unmounting it); refused while it still holds disks or images. */
import { lockNames } from '../../lock-names.js';
import { defineOperation } from '../types.js';
import { DeletePool } from './params.gen.js';

export const deletePool = defineOperation({
  ...DeletePool,
  locks: (_p, ctx) => [lockNames.pool(ctx.name)],
  async handler(ctx) {
    await ctx.services.storage.deletePool(ctx.name);
    return { deleteObject: true, message: `pool '${ctx.name}' deleted` };
  },
});
