/** UnsetVncPassword: removes the console password, live (update-device) and/or in the definition. */
import { defineOperation } from '../types.js';
import { affectedText, affectFlags } from './affect.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { updateGraphicsPassword } from './graphics.js';
import { UnsetVncPassword } from './params.gen.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const unsetVncPassword = defineOperation({
  ...UnsetVncPassword,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
    await updateGraphicsPassword(lv, dom, undefined, flags, p.force === true);
    return vmOutcome(lv, dom, `console password removed, ${affectedText(flags)}`);
  },
});
