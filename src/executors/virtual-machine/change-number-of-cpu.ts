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
import { libvirtOf, vmOutcome } from './shared.js';

async function changeMaximum(lv: Libvirt, dom: DomainRef, p: ChangeNumberOfCPUParams): Promise<string> {
  if (p.live || p.hotpluggable) {
    throw new ValidationError(
      'the maximum vCPU count cannot change in a running VM: use config (it takes effect after a restart)',
      'maximum',
    );
  }
  const given = [p.cores, p.sockets, p.threads].filter((v) => v !== undefined).length;
  if (given !== 0 && given !== 3) {
    throw new ValidationError('give all of cores, sockets and threads, or none', 'cores');
  }
  const topology =
    given === 3
      ? { cores: p.cores as number, sockets: p.sockets as number, threads: p.threads as number }
      : undefined;
  if (topology && topology.cores * topology.sockets * topology.threads !== p.count) {
    throw new ValidationError(
      `the maximum (${p.count}) must equal cores×sockets×threads = ${topology.cores * topology.sockets * topology.threads}`,
      'count',
    );
  }
  const xml = await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE | DomainXMLFlags.SECURE);
  await lv.domainDefineXMLFlags(setMaxVcpus(xml, p.count, topology), 0);
  return `maximum vCPUs set to ${p.count} in the definition (from the next start)`;
}

export const changeNumberOfCPU = defineOperation({
  ...ChangeNumberOfCPU,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    if (p.maximum) return vmOutcome(lv, dom, await changeMaximum(lv, dom, p));
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
      return vmOutcome(lv, dom, `${p.count} vCPUs set online in the guest`);
    }
    if (p.hotpluggable && affectsLive(flags)) flags |= DomainVcpuFlags.HOTPLUGGABLE;
    await lv.domainSetVcpusFlags(dom, p.count, flags);
    return vmOutcome(lv, dom, `${p.count} vCPUs, ${affectedText(flags)}`);
  },
});
