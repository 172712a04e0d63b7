/**
 * What happens on the host when a user deletes one of our objects (`kubectl delete`, not a delete
 * operation): the agent's own records of the thing are released, host data stays (as with uni-virt:
 * deleting a resource never deletes a VM, a disk or a pool's files), so a later create with the
 * same name starts clean and adopts what is on the host where that is safe. The agent's finalizer
 * holds the object until the kind's hook has run; a hook may refuse for now (retried later).
 */
import type { KindName, KubeObject } from '../kinds.js';
import type { OperationContext } from './types.js';

export type ReleaseDecision = { release: true } | { release: false; message: string; retryAfterMs?: number };

/** Must be idempotent: it runs again when the agent restarts before the finalizer is removed. */
export type ReleaseHook = (ctx: OperationContext, obj: KubeObject) => Promise<ReleaseDecision>;

/** A pool object gone: forget the agent's pool record; the directory or mount stays as it is. */
const releasePool: ReleaseHook = async (ctx) => {
  await ctx.services.storage.releasePool(ctx.name);
  ctx.log.info({ pool: ctx.name }, 'pool object deleted: record released, host data kept');
  return { release: true };
};

export const RELEASE_HOOKS: Partial<Record<KindName, ReleaseHook>> = {
  VirtualMachinePool: releasePool,
};
