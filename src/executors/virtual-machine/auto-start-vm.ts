/**
 * AutoStartVM: libvirt starts the VM when the host (libvirtd) starts; `disable: true` turns it
 * off. As documented, a running VM is not affected now.
 */
import { defineOperation } from '../types.js';
import { lookupDomain } from './domains.js';
import { AutoStartVM } from './params.gen.js';
import { recoverChange } from './recover-config.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const autoStartVM = defineOperation({
  ...AutoStartVM,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const on = p.disable !== true;
    await lv.domainSetAutostart(dom, on);
    return vmOutcome(lv, dom, on ? 'the VM starts with the host' : 'the VM no longer starts with the host');
  },
  recover: (ctx, p) =>
    recoverChange(
      ctx,
      async (lv, dom) => [(await lv.domainGetAutostart(dom)) === (p.disable !== true)],
      p.disable === true ? 'the VM no longer starts with the host' : 'the VM starts with the host',
    ),
});
