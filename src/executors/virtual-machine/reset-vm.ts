/** ResetVM: a hard reset of the virtual hardware (the guest is not asked). */
import { ValidationError } from '../../errors.js';
import { defineOperation } from '../types.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { ResetVM } from './params.gen.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const resetVM = defineOperation({
  ...ResetVM,
  async handler(ctx) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    if (!isActiveState(await domainState(lv, dom))) {
      throw new ValidationError(`VM '${ctx.name}' is not running; use startVM`);
    }
    await lv.domainReset(dom, 0);
    return vmOutcome(ctx, dom);
  },
});
