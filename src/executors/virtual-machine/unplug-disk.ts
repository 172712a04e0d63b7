/**
 * UnplugDisk: detach a disk by its target. From the persistent definition it is immediate; from a
 * running VM libvirt only REQUESTS the removal and the guest OS must release the device. We count
 * the disk as gone only when libvirt reports the device-removed event (or the live XML no longer
 * lists it); a guest that never acknowledges (no OS, or it ignores the request) gets a clear
 * Timeout saying what happened to each definition.
 */
import { NotFoundError, TimeoutError } from '../../errors.js';
import { buildDiskDeviceXml, type ResolvedDiskBus } from '../../libvirt/domain-xml/index.js';
import { DomainAffect } from '../../libvirt/index.js';
import { defineOperation } from '../types.js';
import { affectFlags } from './affect.js';
import { removeDiskDeviceFile } from './device-files.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { DEFAULT_UNPLUG_TIMEOUT_MS, detachLive } from './live-detach.js';
import { UnplugDisk } from './params.gen.js';
import { recoverChange } from './recover-change.js';
import { type DomainDisk, domainDisks, libvirtOf, vmOutcome } from './shared.js';

function deviceXml(d: DomainDisk): string {
  return buildDiskDeviceXml({
    source: d.source,
    sourceType: d.type === 'block' ? 'block' : 'file',
    device: d.device as 'disk' | 'cdrom' | 'floppy' | 'lun',
    format: d.format === 'qcow2' ? 'qcow2' : 'raw',
    bus: (d.bus || 'virtio') as ResolvedDiskBus,
    target: d.target,
    readonly: false,
    shareable: false,
  });
}

export const unplugDisk = defineOperation({
  ...UnplugDisk,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const running = isActiveState(await domainState(lv, dom));
    const flags = p.current ? (running ? DomainAffect.LIVE : DomainAffect.CONFIG) : affectFlags(p, running);
    const live = (flags & DomainAffect.LIVE) !== 0;
    const config = (flags & DomainAffect.CONFIG) !== 0;
    const liveDisk = live
      ? domainDisks(await lv.domainGetXMLDesc(dom, 0)).find((d) => d.target === p.target)
      : undefined;
    const cfgDisk = config
      ? domainDisks(await lv.domainGetXMLDesc(dom, 2)).find((d) => d.target === p.target)
      : undefined;
    const disk = liveDisk ?? cfgDisk;
    if (!disk) {
      throw new NotFoundError(`disk target of VM '${ctx.name}'`, p.target, { details: { field: 'target' } });
    }
    if (cfgDisk) await lv.domainDetachDeviceFlags(dom, deviceXml(cfgDisk), DomainAffect.CONFIG);
    if (liveDisk) {
      const timeoutMs = ctx.services.unplugTimeoutMs ?? DEFAULT_UNPLUG_TIMEOUT_MS;
      const released = await detachLive(lv, dom, {
        xml: deviceXml(liveDisk),
        isOurs: (alias) => alias === liveDisk.alias || alias === liveDisk.target,
        stillListed: (xml) => domainDisks(xml).some((d) => d.target === p.target),
        timeoutMs,
        signal: ctx.signal,
        pollMs: 1000,
      });
      if (!released) {
        throw new TimeoutError(
          `the guest of VM '${ctx.name}' did not release disk ${p.target} within ${Math.round(timeoutMs / 1000)} s: ` +
            'the removal was requested, but only a guest OS can acknowledge it (a VM without a running OS never does); ' +
            `the disk is still attached to the running VM${cfgDisk ? ', and already removed from its persistent definition' : ''}`,
          { details: { target: p.target, timeoutMs } },
        );
      }
    }
    await removeDiskDeviceFile(ctx.name, p.target);
    return vmOutcome(ctx, dom);
  },
  /** The target gone from every definition asked = unplugged: its device file goes now. */
  recover: (ctx, p) =>
    recoverChange(ctx, p, {
      flags: (running) =>
        p.current ? (running ? DomainAffect.LIVE : DomainAffect.CONFIG) : affectFlags(p, running),
      has: (xml) => !domainDisks(xml).some((d) => d.target === p.target),
      finish: () => removeDiskDeviceFile(ctx.name, p.target),
    }),
});
