/**
 * AutoStartVM: libvirt starts the VM when the host (libvirtd) starts; `disable: true` turns it
 * off. As documented, a running VM is not affected now.
 */
import { defineOperation } from '../types.js';
import { lookupDomain } from './domains.js';
import { AutoStartVM } from './params.gen.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const autoStartVM = defineOperation({
  ...AutoStartVM,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const on = p.disable !== true;
    await lv.domainSetAutostart(dom, on);
    return vmOutcome(ctx, dom, on ? 'the VM starts with the host' : 'the VM no longer starts with the host');
  },
});
