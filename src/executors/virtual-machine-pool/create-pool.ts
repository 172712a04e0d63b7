/**
 * CreatePool: dir/localfs (a directory under the allowed roots), glusterfs (the volume `host:volume`
 * mounted with FUSE under /var/lib/libvirt/cstor/<pool>), nfs (mounted the same way where the kernel
 * can; where it cannot, a clear Unsupported error). The `content` marker file is written into the
 * pool directory. uus and vdiskfs need proprietary tooling and are refused with a clear error.
 */

import { join } from 'node:path';
import { NotFoundError, ValidationError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { defineOperation } from '../types.js';
import { checkLibvirtPool, mirrorLibvirtPool, mirrorOf } from './libvirt-pool.js';
import { CreatePool } from './params.gen.js';
import { poolReport } from './report.js';

/** Where shared-file-system pools are mounted (the layout the old daemons used). */
export const SHARED_FS_ROOT = '/var/lib/libvirt/cstor';

export const createPool = defineOperation({
  ...CreatePool,
  locks: (_p, ctx) => [lockNames.pool(ctx.name)],
  async handler(ctx, p) {
    // For glusterfs/nfs the url is the mount source; uus is a block store whose url is a storage
    // URL (the engine refuses it with the reason). dir/localfs/vdiskfs name the directory itself.
    const mounted = p.type === 'glusterfs' || p.type === 'nfs' || p.type === 'uus';
    if (!mounted && !p.url.startsWith('/')) {
      throw new ValidationError(`a ${p.type} pool's url is its directory (an absolute path)`, 'url');
    }
    const path = mounted ? join(SHARED_FS_ROOT, ctx.name) : p.url;
    await checkLibvirtPool(ctx.services.libvirt, ctx.name, path);
    const info = await ctx.services.storage.createPool({
      name: ctx.name,
      type: p.type,
      path,
      content: p.content,
      autostart: p.autostart ?? true,
      ...(mounted ? { source: p.url } : {}),
      ...(p.opt ? { options: p.opt } : {}),
    });
    await mirrorLibvirtPool(ctx.services.libvirt, mirrorOf(info));
    return { report: poolReport(info, p.uuid ? { uuid: p.uuid } : {}) };
  },
  /**
   * Registered = finished (the registry entry is the engine's last step; the libvirt mirror is made
   * again, idempotently). Not registered: a directory pool
   * left at most its directory and marker, which a resubmit adopts; a mounted one may have left a
   * mount, so that case is unknown.
   */
  async recover(ctx, p) {
    const info = await ctx.services.storage.poolInfo(ctx.name).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    });
    if (info) {
      await mirrorLibvirtPool(ctx.services.libvirt, mirrorOf(info));
      return { outcome: { report: poolReport(info, p.uuid ? { uuid: p.uuid } : {}) } };
    }
    const mounted = p.type === 'glusterfs' || p.type === 'nfs' || p.type === 'uus';
    return mounted ? undefined : { undone: true };
  },
});
