/**
 * DeleteCloudInitUserDataImage: remove the seed disk. Refused while a domain uses it (running or
 * only defined), naming the domain, and for any disk that is not a seed.
 */
import { ValidationError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { recoverDeleted } from '../storage-recovery.js';
import { defineOperation } from '../types.js';
import { DeleteCloudInitUserDataImage } from './params.gen.js';

export const deleteCloudInitUserDataImage = defineOperation({
  ...DeleteCloudInitUserDataImage,
  locks: (_p, ctx) => [lockNames.disk(ctx.name)],
  async handler(ctx, p) {
    const ref = { pool: p.pool, name: ctx.name };
    // Only a seed (a raw ISO) goes this way: a data disk is deleted with deleteDisk, on purpose.
    const { format } = await ctx.services.storage.diskInfo(ref);
    if (format !== 'raw') {
      throw new ValidationError(
        `disk '${ctx.name}' is a ${format} disk, not a cloud-init image; use deleteDisk`,
      );
    }
    await ctx.services.storage.deleteCloudInitImage(ref);
    return { deleteObject: true, message: `cloud-init image '${ctx.name}' deleted` };
  },
  /** The engine's journal completes or undoes the delete at start-up: gone = done, present = not run. */
  async recover(ctx, p) {
    const ref = { pool: p.pool, name: ctx.name };
    return recoverDeleted(ctx.services.storage, ref, `cloud-init image '${ctx.name}' deleted`);
  },
});
