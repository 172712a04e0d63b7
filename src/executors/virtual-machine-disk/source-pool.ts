/**
 * The pool a disk lives in, for operations whose `pool` parameter names another pool (the target
 * of a clone): the pool the disk's object reports (`spec.volume.pool`, written by the operation that
 * made the disk), else the given fallback.
 */
import type { OperationContext } from '../types.js';

export function sourcePoolOf(ctx: OperationContext, fallback: string): string {
  const volume = ctx.object?.spec?.volume;
  if (volume && typeof volume === 'object') {
    const pool = (volume as Record<string, unknown>).pool;
    if (typeof pool === 'string' && pool.length > 0) return pool;
  }
  return fallback;
}
