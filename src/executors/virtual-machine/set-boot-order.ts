/**
 * SetBootOrder: per-disk boot order in the definition (libvirt cannot change it in a running VM);
 * a running VM boots that way after its next start, as documented.
 */
import { parseBootOrder, setBootOrder as withBootOrder } from '../../libvirt/domain-xml/index.js';
import { DomainXMLFlags } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { SetBootOrder } from './params.gen.js';
import { bootTargets, recoverChange } from './recover-config.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const setBootOrder = defineOperation({
  ...SetBootOrder,
  async handler(ctx, p) {
    const order = parseBootOrder(p.order);
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const xml = await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE | DomainXMLFlags.SECURE);
    await lv.domainDefineXMLFlags(withBootOrder(xml, order), 0);
    const running = isActiveState(await domainState(lv, dom));
    return vmOutcome(ctx, dom, `boot order ${order.join(', ')}${running ? ' (from the next start)' : ''}`);
  },
  /** The definition boots the disks in the asked order (one define: whole or not at all). */
  recover: (ctx, p) => {
    const order = parseBootOrder(p.order);
    return recoverChange(
      ctx,
      async (lv, dom) => {
        const xml = await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE);
        return [bootTargets(xml).join(',') === order.join(',')];
      },
      `boot order ${order.join(', ')}`,
    );
  },
});
