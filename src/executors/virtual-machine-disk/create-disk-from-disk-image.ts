/**
 * CreateDiskFromDiskImage: a new disk from a disk image of this node. Linked (the default): a qcow2
 * overlay whose backing file is the image, which then cannot be deleted while the disk exists.
 * `full_copy`: a standalone flattened copy. The image must exist before anything is made.
 */
import { diskNameOf, lockNames } from '../../lock-names.js';
import { recoverCreated } from '../storage-recovery.js';
import { defineOperation } from '../types.js';
import { imageAtPath } from './image-source.js';
import { CreateDiskFromDiskImage } from './params.gen.js';
import { volumeReport } from './report.js';

export const createDiskFromDiskImage = defineOperation({
  ...CreateDiskFromDiskImage,
  // The image is locked by name, as deleteDiskImage locks it: no delete while a disk is made from it.
  locks: (p, ctx) => [lockNames.disk(ctx.name), lockNames.image(diskNameOf(p.source) ?? p.source)],
  async handler(ctx, p) {
    const storage = ctx.services.storage;
    const image = await imageAtPath(storage, p.source, 'source');
    const info = await storage.createDiskFromImage({
      pool: p.targetPool,
      name: ctx.name,
      image,
      full: p.full_copy === true,
    });
    return { report: volumeReport(info, p.type) };
  },
  /** Complete as asked (linked: backs onto the image; full: standalone) = finished; absent = not made. */
  async recover(ctx, p) {
    const storage = ctx.services.storage;
    const image = await storage.diskInfo(await imageAtPath(storage, p.source, 'source'));
    const want = p.full_copy === true ? undefined : image.current;
    return recoverCreated(
      storage,
      { pool: p.targetPool, name: ctx.name },
      (info) => ({ report: volumeReport(info, p.type) }),
      (info) => info.full_backing_filename === want,
    );
  },
});
