/**
 * RedirectUsb: SPICE USB redirection channels in the definition (`on`: `number` of them, default
 * 4; `off`: none). As documented a running VM gets them at its next start. They need a SPICE
 * console: without one the request is refused, naming updateGraphic.
 */
import { ValidationError } from '../../errors.js';
import { attrOf, deviceElements, setSpiceRedirdevs } from '../../libvirt/domain-xml/index.js';
import { DomainAffect, DomainXMLFlags } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { RedirectUsb } from './params.gen.js';
import { recoverChange } from './recover-change.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const DEFAULT_REDIRECTED_USB = 4;

export const redirectUsb = defineOperation({
  ...RedirectUsb,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const xml = await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE | DomainXMLFlags.SECURE);
    const count = p.action === 'on' ? (p.number ?? DEFAULT_REDIRECTED_USB) : 0;
    if (count > 0 && !deviceElements(xml, 'graphics').some((g) => attrOf(g, 'type') === 'spice')) {
      throw new ValidationError(
        'USB redirection needs a SPICE console: change it with updateGraphic type=spice',
        'action',
      );
    }
    await lv.domainDefineXMLFlags(setSpiceRedirdevs(xml, count), 0);
    const running = isActiveState(await domainState(lv, dom));
    return vmOutcome(ctx, dom, `${count} USB redirection channels${running ? ' (from the next start)' : ''}`);
  },
  /** The definition with exactly the channels asked = done (a define is all or nothing). */
  recover(ctx, p) {
    const count = p.action === 'on' ? (p.number ?? DEFAULT_REDIRECTED_USB) : 0;
    const channels = (xml: string) =>
      deviceElements(xml, 'redirdev').filter((r) => attrOf(r, 'type') === 'spicevmc').length;
    return recoverChange(
      ctx,
      {},
      { flags: () => DomainAffect.CONFIG, has: (xml) => channels(xml) === count },
    );
  },
});
