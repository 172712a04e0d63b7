/** ResumeVM: continue a paused VM. Already running is success; a shut-off VM cannot be resumed. */
import { ValidationError } from '../../errors.js';
import { DOMAIN_STATE } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { domainState, expectState, isActiveState, lookupDomain } from './domains.js';
import { ResumeVM } from './params.gen.js';
import { recoverWhenState } from './recover-state.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const resumeVM = defineOperation({
  ...ResumeVM,
  async handler(ctx) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const state = await domainState(lv, dom);
    if (!isActiveState(state)) throw new ValidationError(`VM '${ctx.name}' is not running; use startVM`);
    if (state === DOMAIN_STATE.PAUSED) {
      await lv.domainResume(dom);
      await expectState(
        lv,
        dom,
        (s) => s !== DOMAIN_STATE.PAUSED,
        10_000,
        `resuming VM '${ctx.name}'`,
        ctx.signal,
      );
    }
    return vmOutcome(ctx, dom);
  },
  recover: recoverWhenState((s) => isActiveState(s) && s !== DOMAIN_STATE.PAUSED),
});
