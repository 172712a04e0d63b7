/**
 * CreateDiskImageFromDisk: a disk image (flattened qcow2 copy of the disk's whole chain) in the
 * `vmdi` pool `targetPool`. The source disk must exist; refused while a running VM writes it.
 */
import { lockNames } from '../../lock-names.js';
import { recoverCreated } from '../storage-recovery.js';
import { defineOperation } from '../types.js';
import { CreateDiskImageFromDisk } from './params.gen.js';
import { imageVolumeReport } from './report.js';

export const createDiskImageFromDisk = defineOperation({
  ...CreateDiskImageFromDisk,
  locks: (p, ctx) => [lockNames.image(ctx.name), lockNames.disk(p.sourceVolume)],
  async handler(ctx, p) {
    const info = await ctx.services.storage.createDiskImage({
      pool: p.targetPool,
      name: ctx.name,
      fromDisk: { pool: p.sourcePool, name: p.sourceVolume },
    });
    return { report: imageVolumeReport(info) };
  },
  /** The engine's journal renames the finished copy into place or removes it: complete = done. */
  async recover(ctx, p) {
    const ref = { pool: p.targetPool, name: ctx.name };
    return recoverCreated(ctx.services.storage, ref, (info) => ({ report: imageVolumeReport(info) }));
  },
});
