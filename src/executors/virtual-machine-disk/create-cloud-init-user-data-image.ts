/**
 * CreateCloudInitUserDataImage: a NoCloud seed disk (ISO9660 labelled `cidata` with the request's
 * user-data and a meta-data naming the disk as instance id and host name) as the disk `<name>` of
 * `pool`, to attach to a VM as a cdrom. The user data is the request's text, never a host path.
 */
import { lockNames } from '../../lock-names.js';
import { recoverCreated } from '../storage-recovery.js';
import { defineOperation } from '../types.js';
import { CreateCloudInitUserDataImage } from './params.gen.js';
import { volumeReport } from './report.js';

export const createCloudInitUserDataImage = defineOperation({
  ...CreateCloudInitUserDataImage,
  locks: (_p, ctx) => [lockNames.disk(ctx.name)],
  async handler(ctx, p) {
    const info = await ctx.services.storage.createCloudInitImage({
      pool: p.pool,
      name: ctx.name,
      userData: p.userData,
    });
    return { report: volumeReport(info) };
  },
  /** The seed complete (a raw image) = finished; absent = nothing was made. */
  async recover(ctx, p) {
    return recoverCreated(
      ctx.services.storage,
      { pool: p.pool, name: ctx.name },
      (info) => ({ report: volumeReport(info) }),
      (info) => info.format === 'raw',
    );
  },
});
