/**
 * CreateDisk: a qcow2 image at <pool>/<disk>/<disk> with its config.json, in an active pool.
 * A disk of that name already in the pool (its object was deleted, the data stayed) is adopted
 * when it is what the request asks for — same format and capacity — and refused otherwise.
 */
import { AlreadyExistsError, KubestackError } from '../../errors.js';
import { lockNames } from '../../lock-names.js';
import type { DiskInfo, StorageEngine } from '../../storage/index.js';
import { defineOperation } from '../types.js';
import { CreateDisk } from './params.gen.js';
import { volumeReport } from './report.js';

async function adoptable(
  storage: StorageEngine,
  ref: { pool: string; name: string },
  want: { capacity: number; format: string },
): Promise<DiskInfo | undefined> {
  const info = await storage.diskInfo(ref);
  return info.format === want.format && info.virtual_size === want.capacity ? info : undefined;
}

export const createDisk = defineOperation({
  ...CreateDisk,
  locks: (_p, ctx) => [lockNames.disk(ctx.name)],
  async handler(ctx, p) {
    const ref = { pool: p.pool, name: ctx.name };
    try {
      const info = await ctx.services.storage.createDisk({ ...ref, capacity: p.capacity, format: p.format });
      return { report: volumeReport(info, p.type) };
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
      const found = await adoptable(ctx.services.storage, ref, p).catch(() => undefined);
      if (!found) {
        throw new KubestackError('AlreadyExists', `${err.message} with another format or capacity`, {
          details: err.details,
        });
      }
      return { report: volumeReport(found, p.type), message: 'The disk already on the host was adopted.' };
    }
  },
});
