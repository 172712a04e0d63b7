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
    const liveAsked = p.live === true || p.current === true;
    const applied = await updateGraphicsPassword(lv, dom, undefined, {
      flags,
      force: p.force === true,
      liveAsked,
    });
    return vmOutcome(ctx, dom, `console password removed, ${affectedText(applied)}`);
  },
});
