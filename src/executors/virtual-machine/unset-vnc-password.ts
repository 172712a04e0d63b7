/** UnsetVncPassword: removes the console password, live (update-device) and/or in the definition. */
import { DomainXMLFlags } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { affectedText, affectFlags, affectsConfig, affectsLive } from './affect.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { updateGraphicsPassword } from './graphics.js';
import { UnsetVncPassword } from './params.gen.js';
import { consoleOf, recoverChange } from './recover-config.js';
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
  /** Each asked definition's console has no password (one update-device per definition). */
  recover: (ctx, p) =>
    recoverChange(
      ctx,
      async (lv, dom) => {
        const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
        const none = async (f: number) =>
          !consoleOf(await lv.domainGetXMLDesc(dom, f | DomainXMLFlags.SECURE)).hasPassword;
        return [
          ...(affectsLive(flags) ? [await none(0)] : []),
          ...(affectsConfig(flags) ? [await none(DomainXMLFlags.INACTIVE)] : []),
        ];
      },
      'console password removed',
    ),
});
