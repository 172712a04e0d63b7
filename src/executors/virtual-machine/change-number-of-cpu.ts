/**
 * ChangeNumberOfCPU: the vCPU count, live (hot-plug up to the maximum) and/or in the definition.
 * `maximum: true` changes the definition's maximum (and topology when cores/sockets/threads are
 * given); that takes effect at the next start, so asking it live is refused. A live count above the
 * running maximum is refused naming what is needed, never silently written to the definition only.
 */
import { ValidationError } from '../../errors.js';
import { setMaxVcpus } from '../../libvirt/domain-xml/index.js';
import type { DomainRef } from '../../libvirt/index.js';
import { DomainVcpuFlags, DomainXMLFlags } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { affectedText, affectFlags, affectsConfig, affectsLive } from './affect.js';
import { domainState, isActiveState, type Libvirt, lookupDomain } from './domains.js';
import { ChangeNumberOfCPU, type ChangeNumberOfCPUParams } from './params.gen.js';
import { type PartState, recoverChange } from './recover-config.js';
import { libvirtOf, vmOutcome } from './shared.js';

async function changeMaximum(lv: Libvirt, dom: DomainRef, p: ChangeNumberOfCPUParams): Promise<string> {
  // Admission checked it: not live; topology all or none, and then exactly `count`.
  const topology =
    p.cores !== undefined && p.sockets !== undefined && p.threads !== undefined
      ? { cores: p.cores, sockets: p.sockets, threads: p.threads }
      : undefined;
  const xml = await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE | DomainXMLFlags.SECURE);
  await lv.domainDefineXMLFlags(setMaxVcpus(xml, p.count, topology), 0);
  return `maximum vCPUs set to ${p.count} in the definition (from the next start)`;
}

export const changeNumberOfCPU = defineOperation({
  ...ChangeNumberOfCPU,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    if (p.maximum) return vmOutcome(ctx, dom, await changeMaximum(lv, dom, p));
    const running = isActiveState(await domainState(lv, dom));
    let flags = affectFlags(p, running);
    if (affectsLive(flags)) {
      const max = await lv.domainGetVcpusFlags(dom, DomainVcpuFlags.LIVE | DomainVcpuFlags.MAXIMUM);
      if (p.count > max) {
        throw new ValidationError(
          `${p.count} vCPUs exceed the running VM's maximum of ${max}: raise it with maximum=true (config) and restart the VM`,
          'count',
        );
      }
    }
    if (affectsConfig(flags)) {
      const max = await lv.domainGetVcpusFlags(dom, DomainVcpuFlags.CONFIG | DomainVcpuFlags.MAXIMUM);
      if (p.count > max) {
        throw new ValidationError(
          `${p.count} vCPUs exceed the definition's maximum of ${max}: set maximum=true first`,
          'count',
        );
      }
    }
    if (p.guest) {
      if (!running) throw new ValidationError('guest=true needs a running VM with its guest agent', 'guest');
      await lv.domainSetVcpusFlags(dom, p.count, DomainVcpuFlags.GUEST);
      return vmOutcome(ctx, dom, `${p.count} vCPUs set online in the guest`);
    }
    if (p.hotpluggable && affectsLive(flags)) flags |= DomainVcpuFlags.HOTPLUGGABLE;
    await lv.domainSetVcpusFlags(dom, p.count, flags);
    return vmOutcome(ctx, dom, `${p.count} vCPUs, ${affectedText(flags)}`);
  },
  /** The counts libvirt keeps are the asked ones (one call sets live and definition together). */
  recover: (ctx, p) =>
    recoverChange(
      ctx,
      async (lv, dom): Promise<PartState[]> => {
        if (p.guest) return ['unknown'];
        const count = (flags: number) => lv.domainGetVcpusFlags(dom, flags).then((n) => n === p.count);
        if (p.maximum) return [await count(DomainVcpuFlags.CONFIG | DomainVcpuFlags.MAXIMUM)];
        const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
        return [
          ...(affectsLive(flags) ? [await count(DomainVcpuFlags.LIVE)] : []),
          ...(affectsConfig(flags) ? [await count(DomainVcpuFlags.CONFIG)] : []),
        ];
      },
      `${p.count} vCPUs`,
    ),
});
