/** StartVM: boot a defined, shut-off VM. Already running is success (nothing to do). */
import { ValidationError } from '../../errors.js';
import { DOMAIN_STATE } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { domainState, expectState, isActiveState, lookupDomain } from './domains.js';
import { StartVM } from './params.gen.js';
import { recoverWhenState } from './recover-state.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const startVM = defineOperation({
  ...StartVM,
  async handler(ctx) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const state = await domainState(lv, dom);
    if (state === DOMAIN_STATE.PAUSED) {
      throw new ValidationError(`VM '${ctx.name}' is paused; use resumeVM`);
    }
    if (!isActiveState(state)) {
      await lv.domainCreate(dom);
      await expectState(lv, dom, isActiveState, 30_000, `starting VM '${ctx.name}'`, ctx.signal);
    }
    return vmOutcome(ctx, dom);
  },
  recover: recoverWhenState((s) => isActiveState(s) && s !== DOMAIN_STATE.PAUSED),
});
