/**
 * The recover hook of a power operation libvirt carries out at once (start, destroy, pause,
 * resume): after a crash mid-run the domain's state tells whether the change happened. Reached →
 * the operation finished (reported as the host shows it); not reached → unknown, so the
 * interruption is reported and a resubmit does the change (each of these is idempotent).
 */
import type { OperationContext, RecoveryResult } from '../types.js';
import { domainState, findDomain } from './domains.js';
import { libvirtOf, vmOutcome } from './shared.js';

export function recoverWhenState(reached: (state: number) => boolean) {
  return async (ctx: OperationContext): Promise<RecoveryResult> => {
    const lv = libvirtOf(ctx);
    const dom = await findDomain(lv, ctx.name);
    if (!dom || !reached(await domainState(lv, dom))) return undefined;
    return { outcome: await vmOutcome(ctx, dom) };
  };
}
