/**
 * ResizeVM: grow one disk of the VM, named by its file `path`, to `size` KiB. A disk of ours (in a
 * pool's layout) goes through the storage engine, which resizes a running VM's disk through libvirt
 * (block resize) and a stopped one with qemu-img; any other file of a running VM is resized through
 * libvirt. Shrinking is refused (it loses data), the same size is a no-op.
 */
import { NotFoundError, UnsupportedError, ValidationError } from '../../errors.js';
import { diskNameOf, lockNames } from '../../lock-names.js';
import { uniformBytes } from '../../sizes.js';
import type { StorageEngine } from '../../storage/index.js';
import { info as imageInfo } from '../../storage/qemu-img.js';
import { defineOperation } from '../types.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { ResizeVM } from './params.gen.js';
import { recoverChange } from './recover-config.js';
import { domainDisks, libvirtOf, vmOutcome } from './shared.js';

/** The pool holding `path` as a disk of its layout (`<pool>/<disk>/…`), if any. */
async function ourDisk(
  storage: StorageEngine,
  path: string,
): Promise<{ pool: string; name: string } | undefined> {
  const name = diskNameOf(path);
  if (!name) return undefined;
  for (const pool of await storage.listPools()) {
    if (pool.content !== 'vmd' || !path.startsWith(`${pool.path}/${name}/`)) continue;
    const info = await storage.diskInfo({ pool: pool.name, name }).catch(() => undefined);
    if (info?.current === path) return { pool: pool.name, name };
  }
  return undefined;
}

export const resizeVM = defineOperation({
  ...ResizeVM,
  locks: (p, ctx) => [lockNames.domain(ctx.name), lockNames.diskFile(p.path)],
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const disk = domainDisks(await lv.domainGetXMLDesc(dom)).find((d) => d.source === p.path);
    if (disk?.device !== 'disk') {
      throw new NotFoundError(`disk of VM '${ctx.name}'`, p.path, { details: { field: 'path' } });
    }
    const bytes = p.size * 1024;
    const current = (await imageInfo(p.path, { shareLock: true })).virtualSize;
    if (bytes < current) {
      throw new ValidationError(
        `must not be smaller than the disk's current size ${current} bytes (${uniformBytes(current)}); shrinking is refused`,
        'size',
      );
    }
    const running = isActiveState(await domainState(lv, dom));
    if (current !== bytes) {
      const ours = await ourDisk(ctx.services.storage, p.path);
      if (ours) await ctx.services.storage.resizeDisk({ ...ours, capacity: bytes });
      else if (running) await lv.domainBlockResize(dom, p.path, bytes, 1);
      else {
        throw new UnsupportedError(
          `${p.path} is not a disk of a pool on this node and VM '${ctx.name}' is not running: only libvirt (running VM) or the storage engine (pool disks) resize disks`,
        );
      }
    }
    return vmOutcome(ctx, dom, `disk ${p.path} of VM '${ctx.name}' is ${uniformBytes(bytes)}`);
  },
  /** The disk is the asked size (one resize call: whole or not at all). */
  recover: (ctx, p) =>
    recoverChange(
      ctx,
      async () => [(await imageInfo(p.path, { shareLock: true })).virtualSize === p.size * 1024],
      `disk ${p.path} of VM '${ctx.name}' is ${uniformBytes(p.size * 1024)}`,
    ),
});
