/**
 * PlugNIC: add a NIC to a VM — on a Linux bridge (`bridge`), an OVS bridge (`l2bridge`), or br-int
 * bound to an OVN logical switch port (`l3bridge`: the port is created first, named with the
 * interfaceid the agent puts in the XML, with the requested or a dynamic IP, DHCP and port
 * security). Live and/or persistent as the flags say. If libvirt refuses, what this call added
 * (the port, the persistent NIC) is removed again. A replay with the same MAC and bridge converges.
 */
import { randomUUID } from 'node:crypto';
import { AlreadyExistsError } from '../../errors.js';
import { buildInterfaceXml, type InterfaceSpec } from '../../libvirt/domain-xml/index.js';
import { DomainAffect } from '../../libvirt/index.js';
import { lockNames } from '../../lock-names.js';
import { plugNicPort, unplugNicRows } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { affectFlags } from './affect.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { recoverPlugNic } from './nic-recovery.js';
import { bandwidthError, checkBridge, domainNics, nicKindOf, parseNicSource, portAddress } from './nics.js';
import { PlugNIC } from './params.gen.js';
import { libvirtOf, vmOutcome } from './shared.js';

/** live/config/persistent as given; `current` = the state the VM is in; none = plug-disk's rule. */
export function nicAffectFlags(
  p: { live?: boolean; config?: boolean; persistent?: boolean; current?: boolean },
  running: boolean,
): number {
  if (p.current && !p.live && !p.config && !p.persistent)
    return running ? DomainAffect.LIVE : DomainAffect.CONFIG;
  return affectFlags(p, running);
}

export const plugNIC = defineOperation({
  ...PlugNIC,
  locks: (p) => {
    const sw = /(?:^|,)switch=([^,]+)/.exec(p.source)?.[1];
    return sw ? [lockNames.network(sw)] : [];
  },
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const src = parseNicSource(p.source, p.type);
    const dom = await lookupDomain(lv, ctx.name);
    const running = isActiveState(await domainState(lv, dom));
    const flags = nicAffectFlags(p, running);
    await checkBridge(ctx.services.ovs, p.type, src.bridge);
    const liveNic = running
      ? domainNics(await lv.domainGetXMLDesc(dom, 0)).find((n) => n.mac === p.mac)
      : undefined;
    const cfgNic = domainNics(await lv.domainGetXMLDesc(dom, 2)).find((n) => n.mac === p.mac);
    const existing = liveNic ?? cfgNic;
    if (existing && (existing.bridge !== src.bridge || existing.kind !== nicKindOf(p.type))) {
      throw new AlreadyExistsError(`NIC of VM '${ctx.name}' (on bridge ${existing.bridge})`, p.mac, {
        details: { field: 'mac' },
      });
    }
    const nic: InterfaceSpec = {
      type: p.type,
      bridge: src.bridge,
      mac: p.mac,
      model: (existing?.model as InterfaceSpec['model'] | undefined) ?? 'virtio',
      interfaceId: p.type === 'l3bridge' ? (existing?.interfaceId ?? randomUUID()) : undefined,
      inbound: p.inbound,
      outbound: p.outbound,
    };
    const nb = ctx.services.ovnNb;
    let portAdded = false;
    if (p.type === 'l3bridge' && src.switchName !== undefined && nic.interfaceId !== undefined) {
      const r = await plugNicPort(nb, {
        switchName: src.switchName,
        ifaceId: nic.interfaceId,
        mac: p.mac,
        ip: src.ip,
        vm: ctx.name,
      });
      portAdded = !r.noop && existing === undefined;
    }
    const xml = buildInterfaceXml(nic);
    let cfgAdded = false;
    try {
      if (flags & DomainAffect.CONFIG && !cfgNic) {
        await lv.domainAttachDeviceFlags(dom, xml, DomainAffect.CONFIG);
        cfgAdded = true;
      }
      if (flags & DomainAffect.LIVE && !liveNic)
        await lv.domainAttachDeviceFlags(dom, xml, DomainAffect.LIVE);
    } catch (err) {
      ctx.log.warn({ mac: p.mac }, 'NIC attach failed; removing what this call added');
      if (cfgAdded) await lv.domainDetachDeviceFlags(dom, xml, DomainAffect.CONFIG).catch(() => undefined);
      if (portAdded) await unplugNicRows(nb, ctx.name, p.mac).catch(() => undefined);
      throw bandwidthError(err, nic);
    }
    let message = `NIC ${p.mac} plugged on ${src.bridge}`;
    if (src.switchName !== undefined && nic.interfaceId !== undefined) {
      const ips = await portAddress(nb, nic.interfaceId, 5000, ctx.signal);
      message += `, switch ${src.switchName}, IP ${ips[0] ?? 'pending (dynamic)'}`;
    }
    return vmOutcome(ctx, dom, message);
  },
  recover: recoverPlugNic,
});
