/** StopVMForce: pull the plug (virDomainDestroy). Already shut off is success. */
import { defineOperation } from '../types.js';
import { domainState, expectState, isActiveState, lookupDomain } from './domains.js';
import { StopVMForce } from './params.gen.js';
import { recoverWhenState } from './recover-state.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const stopVMForce = defineOperation({
  ...StopVMForce,
  async handler(ctx) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    if (isActiveState(await domainState(lv, dom))) {
      await lv.domainDestroyFlags(dom, 0);
      await expectState(lv, dom, (s) => !isActiveState(s), 30_000, `destroying VM '${ctx.name}'`, ctx.signal);
    }
    return vmOutcome(ctx, dom);
  },
  recover: recoverWhenState((s) => !isActiveState(s)),
});
