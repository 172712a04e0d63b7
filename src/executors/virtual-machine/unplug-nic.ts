/**
 * UnplugNIC: remove a NIC (by MAC) from the persistent definition and/or the running VM. From a
 * running VM libvirt only requests the removal; the NIC counts as gone on the device-removed event
 * (a guest that never acknowledges gets a clear Timeout). Once the NIC is in neither definition its
 * OVN rows go in one transaction: the port, its QoS rows and floating IPs, and the VM's port group
 * with its ACLs if it was the VM's last OVN NIC. A NIC already gone whose rows remain (a crash in
 * between) is finished on replay.
 */
import { NotFoundError, TimeoutError, ValidationError } from '../../errors.js';
import { buildInterfaceXml, type InterfaceSpec } from '../../libvirt/domain-xml/index.js';
import { DomainAffect } from '../../libvirt/index.js';
import { unplugNicRows } from '../../ovn/index.js';
import { defineOperation } from '../types.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { DEFAULT_UNPLUG_TIMEOUT_MS, detachLive } from './live-detach.js';
import { recoverUnplugNic } from './nic-recovery.js';
import { type DomainNic, domainNics, nicKindOf } from './nics.js';
import { UnplugNIC } from './params.gen.js';
import { nicAffectFlags } from './plug-nic.js';
import { libvirtOf, vmOutcome } from './shared.js';

function detachXml(n: DomainNic): string {
  const spec: InterfaceSpec = {
    type: n.kind === 'ovs' ? 'l2bridge' : 'bridge',
    bridge: n.bridge,
    mac: n.mac,
    model: (n.model ?? 'virtio') as InterfaceSpec['model'],
    target: n.target,
    interfaceId: n.interfaceId,
  };
  return buildInterfaceXml(spec);
}

export const unplugNIC = defineOperation({
  ...UnplugNIC,
  async handler(ctx, p) {
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const running = isActiveState(await domainState(lv, dom));
    const flags = nicAffectFlags(p, running);
    const liveNics = running ? domainNics(await lv.domainGetXMLDesc(dom, 0)) : [];
    const cfgNics = domainNics(await lv.domainGetXMLDesc(dom, 2));
    const liveNic = flags & DomainAffect.LIVE ? liveNics.find((n) => n.mac === p.mac) : undefined;
    const cfgNic = flags & DomainAffect.CONFIG ? cfgNics.find((n) => n.mac === p.mac) : undefined;
    const nic = liveNic ?? cfgNic;
    const nb = ctx.services.ovnNb;
    if (!nic) {
      const anywhere = [...liveNics, ...cfgNics].some((n) => n.mac === p.mac);
      if (!anywhere && p.type !== 'bridge' && !(await unplugNicRows(nb, ctx.name, p.mac)).noop) {
        return vmOutcome(ctx, dom, `NIC ${p.mac} was already unplugged; its network rows are removed`);
      }
      throw new NotFoundError(`NIC of VM '${ctx.name}'`, p.mac, { details: { field: 'mac' } });
    }
    if (nic.kind !== nicKindOf(p.type)) {
      throw new ValidationError(
        `NIC ${p.mac} is ${nic.kind === 'ovs' ? 'an OVS' : 'a Linux bridge'} NIC, not ${p.type}`,
        'type',
      );
    }
    if (cfgNic) await lv.domainDetachDeviceFlags(dom, detachXml(cfgNic), DomainAffect.CONFIG);
    if (liveNic) {
      const timeoutMs = ctx.services.unplugTimeoutMs ?? DEFAULT_UNPLUG_TIMEOUT_MS;
      const released = await detachLive(lv, dom, {
        xml: detachXml(liveNic),
        isOurs: (alias) => alias === liveNic.alias,
        stillListed: (xml) => domainNics(xml).some((n) => n.mac === liveNic.mac),
        timeoutMs,
        signal: ctx.signal,
      });
      if (!released) {
        throw new TimeoutError(
          `the guest of VM '${ctx.name}' did not release NIC ${p.mac} within ${Math.round(timeoutMs / 1000)} s: ` +
            'the removal was requested, but only a guest OS can acknowledge it; the NIC and its network port stay' +
            (cfgNic ? ' (it is already removed from the persistent definition)' : ''),
          { details: { mac: p.mac, timeoutMs } },
        );
      }
    }
    const stillLive =
      isActiveState(await domainState(lv, dom)) &&
      domainNics(await lv.domainGetXMLDesc(dom, 0)).some((n) => n.mac === p.mac);
    const stillCfg = domainNics(await lv.domainGetXMLDesc(dom, 2)).some((n) => n.mac === p.mac);
    let message = `NIC ${p.mac} unplugged`;
    if (nic.kind === 'ovs' && !stillLive && !stillCfg) {
      const r = await unplugNicRows(nb, ctx.name, p.mac);
      if (!r.noop) message += '; its network port and rows are removed';
    }
    return vmOutcome(ctx, dom, message);
  },
  recover: recoverUnplugNic,
});
