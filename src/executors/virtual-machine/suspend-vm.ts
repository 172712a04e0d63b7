/** SuspendVM: pause the vCPUs. Already paused is success; a shut-off VM cannot be paused. */
import { ValidationError } from '../../errors.js';
import { DOMAIN_STATE } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { domainState, expectState, isActiveState, lookupDomain } from './domains.js';
import { SuspendVM } from './params.gen.js';
import { recoverWhenState } from './recover-state.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const suspendVM = defineOperation({
  ...SuspendVM,
  async handler(ctx) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const state = await domainState(lv, dom);
    if (!isActiveState(state))
      throw new ValidationError(`VM '${ctx.name}' is not running; nothing to suspend`);
    if (state !== DOMAIN_STATE.PAUSED) {
      await lv.domainSuspend(dom);
      await expectState(
        lv,
        dom,
        (s) => s === DOMAIN_STATE.PAUSED,
        10_000,
        `pausing VM '${ctx.name}'`,
        ctx.signal,
      );
    }
    return vmOutcome(ctx, dom);
  },
  recover: recoverWhenState((s) => s === DOMAIN_STATE.PAUSED),
});
