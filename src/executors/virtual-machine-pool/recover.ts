/**
 * Recovery of the pool state operations after a crash mid-run: the registry record is written
 * atomically and last, so the pool's state on the host says whether the change took place.
 */
import type { PoolInfo } from '../../storage/index.js';
import type { OperationContext, RecoveryResult } from '../types.js';
import { mirrorLibvirtPool, mirrorOf } from './libvirt-pool.js';
import { poolReport } from './report.js';

/** Pools the engine mounts: a crash may leave the mount without the record (or the reverse). */
const MOUNTED = new Set(['glusterfs', 'nfs', 'uus']);

/**
 * `done(info)` true = finished (reported as the handler reports); false = not run, which is
 * certain for a directory pool; for a mounted pool the mount may disagree with the record: unknown.
 * The record is the truth either way, so the libvirt mirror (the handler's last step, which a
 * crash may have missed) is brought in step with it first.
 */
export async function recoverPoolState(
  ctx: OperationContext,
  done: (info: PoolInfo) => boolean,
): Promise<RecoveryResult> {
  const info = await ctx.services.storage.poolInfo(ctx.name);
  await mirrorLibvirtPool(ctx.services.libvirt, mirrorOf(info));
  if (done(info)) return { outcome: { report: poolReport(info) } };
  return MOUNTED.has(info.type) ? undefined : { undone: true };
}
