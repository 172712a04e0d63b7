/**
 * ResizeRAM: the VM's current memory. Live through the balloon, within the running maximum; in the
 * definition within its maximum. Above the maximum it is refused, naming resizeMaxRAM and a restart.
 */
import { DomainMemoryFlags, DomainXMLFlags } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { affectedText, affectFlags, affectsConfig, affectsLive } from './affect.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { checkWithinMax, maxMemoryKiB } from './memory.js';
import { ResizeRAM } from './params.gen.js';
import { kibOf, type PartState, recoverChange } from './recover-config.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const resizeRAM = defineOperation({
  ...ResizeRAM,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
    if (affectsLive(flags)) checkWithinMax(p.size, await maxMemoryKiB(lv, dom, true), "running VM's");
    if (affectsConfig(flags)) checkWithinMax(p.size, await maxMemoryKiB(lv, dom, false), "definition's");
    await lv.domainSetMemoryFlags(dom, p.size, flags & (DomainMemoryFlags.LIVE | DomainMemoryFlags.CONFIG));
    return vmOutcome(ctx, dom, `memory set to ${p.size} KiB, ${affectedText(flags)}`);
  },
  /**
   * The definition's current memory is the asked one; live, the balloon's figure moves only as
   * the guest gives memory back, so a live part not yet there is unknown, not undone.
   */
  recover: (ctx, p) =>
    recoverChange(
      ctx,
      async (lv, dom): Promise<PartState[]> => {
        const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
        const at = async (f: number) => kibOf(await lv.domainGetXMLDesc(dom, f), 'currentMemory') === p.size;
        const live = affectsLive(flags) ? [(await at(0)) || ('unknown' as const)] : [];
        return [...live, ...(affectsConfig(flags) ? [await at(DomainXMLFlags.INACTIVE)] : [])];
      },
      `memory set to ${p.size} KiB`,
    ),
});
