/** SetVncPassword: the console password, live (update-device) and/or in the definition. */
import { defineOperation } from '../types.js';
import { affectedText, affectFlags, affectsLive } from './affect.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { updateGraphicsPassword } from './graphics.js';
import { SetVncPassword } from './params.gen.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const setVncPassword = defineOperation({
  ...SetVncPassword,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
    const liveAsked = p.live === true || p.current === true;
    const applied = await updateGraphicsPassword(lv, dom, p.password, {
      flags,
      force: p.force === true,
      liveAsked,
    });
    const skipped = affectsLive(flags) && !affectsLive(applied);
    const note = skipped
      ? ' (the running console was started without a password: it gets one at its next start)'
      : '';
    return vmOutcome(ctx, dom, `console password set, ${affectedText(applied)}${note}`);
  },
});
