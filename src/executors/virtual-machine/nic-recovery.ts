/**
 * Crash recovery of the NIC operations: what the domain's definitions and the VM's switch ports
 * show decides. PlugNIC creates the port before the attach, UnplugNIC removes the port after the
 * detach, so a kill in between leaves a port without its NIC: recovery removes it (plug undone,
 * unplug finished). A NIC in only some of the asked definitions is reported as unknown.
 */
import { DomainAffect } from '../../libvirt/index.js';
import { unplugNicRows } from '../../ovn/index.js';
import type { OperationContext, RecoveryResult } from '../types.js';
import { domainState, findDomain, isActiveState } from './domains.js';
import { domainNics } from './nics.js';
import { nicAffectFlags } from './plug-nic.js';
import { libvirtOf, vmOutcome } from './shared.js';

interface NicFlags {
  live?: boolean | undefined;
  config?: boolean | undefined;
  persistent?: boolean | undefined;
  current?: boolean | undefined;
}

/** Whether each definition the flags ask for holds the NIC with `mac`, and whether any does. */
async function nicPresence(ctx: OperationContext, mac: string, p: NicFlags) {
  const lv = libvirtOf(ctx);
  const dom = await findDomain(lv, ctx.name);
  if (!dom) return undefined;
  const running = isActiveState(await domainState(lv, dom));
  const flags = nicAffectFlags(p, running);
  const inLive = running && domainNics(await lv.domainGetXMLDesc(dom, 0)).some((n) => n.mac === mac);
  const inCfg = domainNics(await lv.domainGetXMLDesc(dom, 2)).some((n) => n.mac === mac);
  const wanted = [
    ...(flags & DomainAffect.LIVE ? [inLive] : []),
    ...(flags & DomainAffect.CONFIG ? [inCfg] : []),
  ];
  return { dom, all: wanted.every(Boolean), none: !wanted.some(Boolean), anywhere: inLive || inCfg };
}

export async function recoverPlugNic(
  ctx: OperationContext,
  p: NicFlags & { mac: string; type: string },
): Promise<RecoveryResult> {
  const found = await nicPresence(ctx, p.mac, p);
  if (!found) return undefined;
  if (found.all) return { outcome: await vmOutcome(ctx, found.dom, `NIC ${p.mac} plugged`) };
  if (found.anywhere) return undefined;
  // A port made before the crash, its NIC never attached: removed, so the host is as before.
  if (p.type === 'l3bridge') await unplugNicRows(ctx.services.ovnNb, ctx.name, p.mac);
  return { undone: true };
}

export async function recoverUnplugNic(
  ctx: OperationContext,
  p: NicFlags & { mac: string; type: string },
): Promise<RecoveryResult> {
  const found = await nicPresence(ctx, p.mac, p);
  if (!found) return undefined;
  if (found.none) {
    // The detach was done; the port goes once the NIC is in neither definition, as the run would.
    if (!found.anywhere && p.type !== 'bridge') await unplugNicRows(ctx.services.ovnNb, ctx.name, p.mac);
    return { outcome: await vmOutcome(ctx, found.dom, `NIC ${p.mac} unplugged`) };
  }
  return found.all ? { undone: true } : undefined;
}

/** TuneNICQoS is one libvirt call: the asked averages in every asked definition = finished. */
export async function recoverTuneNicQos(
  ctx: OperationContext,
  p: NicFlags & { _interface: string; inbound?: number | undefined; outbound?: number | undefined },
): Promise<RecoveryResult> {
  const lv = libvirtOf(ctx);
  const dom = await findDomain(lv, ctx.name);
  if (!dom) return undefined;
  const flags = nicAffectFlags(p, isActiveState(await domainState(lv, dom)));
  const xmls = [
    ...(flags & DomainAffect.LIVE ? [await lv.domainGetXMLDesc(dom, 0)] : []),
    ...(flags & DomainAffect.CONFIG ? [await lv.domainGetXMLDesc(dom, 2)] : []),
  ];
  const applied = xmls.every((xml) => {
    const nic = domainNics(xml).find((n) => n.mac === p._interface);
    if (!nic) return false;
    const same = (want: number | undefined, got: number | undefined) =>
      want === undefined || want === (got ?? 0);
    return same(p.inbound, nic.inbound) && same(p.outbound, nic.outbound);
  });
  if (applied) return { outcome: await vmOutcome(ctx, dom, `bandwidth of NIC ${p._interface} set`) };
  return { undone: true };
}
