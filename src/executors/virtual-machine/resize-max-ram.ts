/**
 * ResizeMaxRAM: the VM's maximum memory (`<memory>`). QEMU cannot change it in a running VM (only
 * memory devices could), so a live request is refused with what to do instead; the definition
 * changes, and a running VM gets it at its next start (said in the result).
 */
import { DomainMemoryFlags, DomainXMLFlags } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { ResizeMaxRAM } from './params.gen.js';
import { kibOf, recoverChange } from './recover-config.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const resizeMaxRAM = defineOperation({
  ...ResizeMaxRAM,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const running = isActiveState(await domainState(lv, dom));
    await lv.domainSetMemoryFlags(dom, p.size, DomainMemoryFlags.CONFIG | DomainMemoryFlags.MAXIMUM);
    const when = running ? ' (the running VM gets it at its next start)' : '';
    return vmOutcome(ctx, dom, `maximum memory set to ${p.size} KiB in the definition${when}`);
  },
  recover: (ctx, p) =>
    recoverChange(
      ctx,
      async (lv, dom) => [
        kibOf(await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE), 'memory') === p.size,
      ],
      `maximum memory set to ${p.size} KiB in the definition`,
    ),
});
