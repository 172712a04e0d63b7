/**
 * CreateDiskImage: import a file of this host as a disk image in the `vmdi` pool `targetPool`:
 * qcow2 (any readable format, flattened to qcow2) or iso (kept byte for byte as `<name>.iso`).
 * The source file must exist (confined to the allowed roots, symlinks resolved); it is not changed.
 */
import { lockNames } from '../../lock-names.js';
import { recoverCreated } from '../storage-recovery.js';
import { defineOperation } from '../types.js';
import { CreateDiskImage } from './params.gen.js';
import { imageVolumeReport } from './report.js';

export const createDiskImage = defineOperation({
  ...CreateDiskImage,
  locks: (p, ctx) => [lockNames.image(ctx.name), lockNames.diskFile(p.source)],
  async handler(ctx, p) {
    const info = await ctx.services.storage.createDiskImage({
      pool: p.targetPool,
      name: ctx.name,
      sourcePath: p.source,
      imageType: p.imageType,
    });
    return { report: imageVolumeReport(info) };
  },
  /** The engine's journal renames the finished copy into place or removes it: complete = done. */
  async recover(ctx, p) {
    const ref = { pool: p.targetPool, name: ctx.name };
    return recoverCreated(ctx.services.storage, ref, (info) => ({ report: imageVolumeReport(info) }));
  },
});
