/**
 * DeleteDiskImage: remove the image's directory. Refused while a disk is a linked clone of it
 * (uses it as backing file) or a domain uses it; the refusal names who.
 */
import { lockNames } from '../../lock-names.js';
import { recoverDeleted } from '../storage-recovery.js';
import { defineOperation } from '../types.js';
import { DeleteDiskImage } from './params.gen.js';

export const deleteDiskImage = defineOperation({
  ...DeleteDiskImage,
  locks: (_p, ctx) => [lockNames.image(ctx.name)],
  async handler(ctx, p) {
    await ctx.services.storage.deleteDiskImage({ pool: p.sourcePool, name: ctx.name });
    return { deleteObject: true, message: `disk image '${ctx.name}' deleted` };
  },
  /** The engine's journal completes or undoes the delete at start-up: gone = done, present = not run. */
  async recover(ctx, p) {
    const ref = { pool: p.sourcePool, name: ctx.name };
    return recoverDeleted(ctx.services.storage, ref, `disk image '${ctx.name}' deleted`);
  },
});
