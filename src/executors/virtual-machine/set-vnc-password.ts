/** SetVncPassword: the console password, live (update-device) and/or in the definition. */
import { attrOf } from '../../libvirt/domain-xml/index.js';
import { DomainAffect } from '../../libvirt/index.js';
import { defineOperation, type OperationContext, type RecoveryResult } from '../types.js';
import { affectedText, affectFlags, affectsConfig, affectsLive } from './affect.js';
import { domainState, findDomain, isActiveState, lookupDomain } from './domains.js';
import { graphicsOf, updateGraphicsPassword } from './graphics.js';
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
  recover: recoverPasswordMix,
});

/**
 * The password is a secret the journal does not keep, so whether it was set cannot be seen. What
 * can: a request for both definitions goes live first, then to the definition, so a crash between
 * the two leaves them different — the live one new, the definition's as before. The live password
 * is put back to the definition's (undone: a resubmit sets both); the two asked to be equal are then
 * equal again. Anything else is reported as interrupted (either value is consistent).
 */
async function recoverPasswordMix(
  ctx: OperationContext,
  p: { live?: boolean; config?: boolean; current?: boolean; persistent?: boolean },
): Promise<RecoveryResult> {
  const lv = libvirtOf(ctx);
  const dom = await findDomain(lv, ctx.name);
  if (!dom) return undefined;
  const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
  if (!affectsLive(flags) || !affectsConfig(flags)) return undefined;
  const passwd = async (config: boolean) => attrOf(await graphicsOf(lv, dom, config), 'passwd');
  const [live, defined] = [await passwd(false), await passwd(true)];
  // No live password: the handler leaves a console started without one as it is (not a mix).
  if (live === undefined || live === defined) return undefined;
  await updateGraphicsPassword(lv, dom, defined, {
    flags: DomainAffect.LIVE,
    force: false,
    liveAsked: true,
  });
  return { undone: true };
}
