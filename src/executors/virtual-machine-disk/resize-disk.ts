/**
 * ResizeDisk: grow the disk to `capacity` bytes (online through libvirt when a running VM uses it).
 * The document requires the new size to be larger: a smaller one is refused before anything runs,
 * the same size is a no-op.
 */

import { ValidationError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import { uniformBytes } from '../../sizes.js';
import { defineOperation } from '../types.js';
import { ResizeDisk } from './params.gen.js';
import { volumeReport } from './report.js';

export const resizeDisk = defineOperation({
  ...ResizeDisk,
  locks: (_p, ctx) => [lockNames.disk(ctx.name)],
  async handler(ctx, p) {
    const storage = ctx.services.storage;
    const cur = await storage.diskInfo({ pool: p.pool, name: ctx.name });
    if (p.capacity < cur.virtual_size) {
      throw new ValidationError(
        `must be larger than the disk's current size ${cur.virtual_size} (${uniformBytes(cur.virtual_size)}); shrinking is refused`,
        'capacity',
      );
    }
    if (p.capacity === cur.virtual_size) return { report: volumeReport(cur, p.type) };
    const info = await storage.resizeDisk({ pool: p.pool, name: ctx.name, capacity: p.capacity });
    return { report: volumeReport(info, p.type) };
  },
});
