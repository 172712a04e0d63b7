/**
 * What the NIC operations share: the NICs a domain XML lists, PlugNIC's `source` string, the checks
 * that the bridge a NIC joins exists, the wait for a guest to release a NIC, and finding the OVN
 * port of a VM's NIC on a switch (ACL/QoS/floating-IP operations name the NIC by MAC and switch).
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { NotFoundError, UnsupportedError, ValidationError } from '../../errors.js';
import { isIpv4 } from '../../ipv4.js';
import type { InterfaceSpec } from '../../libvirt/domain-xml/index.js';
import { domainXmlToJson } from '../../libvirt/xml-json.js';
import { assertResourceName } from '../../names.js';
import {
  type NbView,
  type OvsView,
  plugNicPort,
  portIps,
  removeVmNetwork,
  switchOfPort,
  unplugNicRows,
  vmNicPorts,
} from '../../ovn/index.js';
import type { LogicalSwitchPort } from '../../ovn/nb.js';
import { splitKeyValues } from '../params/kv.js';

/** One `<interface>` of a domain, as its XML says. */
export interface DomainNic {
  mac: string;
  /** `bridge` (Linux bridge) or `ovs` (a `<virtualport type='openvswitch'>`). */
  kind: 'bridge' | 'ovs';
  bridge: string;
  interfaceId: string | undefined;
  target: string | undefined;
  model: string | undefined;
  alias: string | undefined;
  vlan: number | undefined;
  inbound: number | undefined;
  outbound: number | undefined;
}

// domainXmlToJson renames `interface` to `_interface` and `interfaceid` to `__interfaceid` (the SDK's names).
type J = Record<string, unknown>;
const obj = (v: unknown): J => (v && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {});
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const num = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v ? [v] : []);

export function domainNics(xml: string): DomainNic[] {
  const devices = obj(domainXmlToJson(xml).devices);
  return list(devices._interface).map((raw) => {
    const i = obj(raw);
    const vp = obj(i.virtualport);
    const bw = obj(i.bandwidth);
    return {
      mac: (str(obj(i.mac)._address) ?? '').toLowerCase(),
      kind: str(vp._type) === 'openvswitch' ? 'ovs' : 'bridge',
      bridge: str(obj(i.source)._bridge) ?? '',
      interfaceId: str(obj(vp.parameters).__interfaceid),
      target: str(obj(i.target)._dev),
      model: str(obj(i.model)._type),
      alias: str(obj(i.alias)._name),
      vlan: num(obj(list(obj(i.vlan).tag)[0])._id),
      inbound: num(obj(bw.inbound)._average),
      outbound: num(obj(bw.outbound)._average),
    };
  });
}

/** The NIC types of the API, as a domain XML shows them. */
export const nicKindOf = (type: string): 'bridge' | 'ovs' => (type === 'bridge' ? 'bridge' : 'ovs');

export interface NicSource {
  bridge: string;
  /** l3bridge: a static IPv4, or `dynamic` (the default). */
  ip: string;
  switchName: string | undefined;
}

/** PlugNIC `source`: `source=<bridge>[,ip=<ip>|dynamic][,switch=<switch>]` (checked by the schema). */
export function parseNicSource(value: string, type: string): NicSource {
  const pairs = new Map(splitKeyValues(value, 'source').pairs);
  const bridge = pairs.get('source') ?? '';
  // The name becomes a /sys/class/net path segment: no `.`/`..` (the schema allows dots).
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,14}$/.test(bridge) || bridge.includes('..'))
    throw new ValidationError(`source=${bridge} is not a bridge name`, 'source');
  const ip = pairs.get('ip') ?? 'dynamic';
  const sw = pairs.get('switch');
  if (ip !== 'dynamic' && !isIpv4(ip)) throw new ValidationError(`ip=${ip} is not an IPv4 address`, 'source');
  if (type === 'l3bridge' && sw === undefined)
    throw new ValidationError('type l3bridge needs switch=<OVN switch> in source', 'source');
  return {
    bridge,
    ip,
    switchName: sw === undefined ? undefined : assertResourceName(sw, 'source', 'switch'),
  };
}

/** The bridge must exist on this host: a Linux bridge for `bridge`, an OVS bridge otherwise. */
export async function checkBridge(ovs: OvsView, type: string, bridge: string): Promise<void> {
  if (type === 'bridge') {
    const st = await stat(`/sys/class/net/${bridge}/bridge`).catch(() => undefined);
    if (!st) throw new NotFoundError('Linux bridge', bridge, { details: { field: 'source' } });
    return;
  }
  if (!ovs.named('Bridge', bridge))
    throw new NotFoundError('Open vSwitch bridge', bridge, { details: { field: 'source' } });
}

/** The OVN port of the VM's NIC `mac` on switch `swName`; a clear error naming the parameter else. */
export function vmNicPortOn(
  nb: NbView,
  vm: string,
  mac: string,
  swName: string,
  macField = 'vmmac',
): LogicalSwitchPort {
  if (!nb.named('Logical_Switch', swName)[0])
    throw new NotFoundError('logical switch', swName, { details: { field: 'swName' } });
  const port = vmNicPorts(nb, vm, mac)[0];
  if (!port) throw new NotFoundError(`l3bridge NIC of VM '${vm}'`, mac, { details: { field: macField } });
  const sw = switchOfPort(nb, port);
  if (sw !== swName)
    throw new ValidationError(`NIC ${mac} of VM '${vm}' is on switch '${sw}', not '${swName}'`, 'swName');
  return port;
}

/** MACs of the VM's NICs on switch `swName`. */
export function vmMacsOn(nb: NbView, vm: string, swName: string): string[] {
  if (!nb.named('Logical_Switch', swName)[0])
    throw new NotFoundError('logical switch', swName, { details: { field: 'swName' } });
  return vmNicPorts(nb, vm)
    .filter((p) => switchOfPort(nb, p) === swName)
    .map((p) => p.external_ids['kubestack/mac'] ?? '')
    .filter(Boolean);
}

/** Waits (bounded) for northd to fill a dynamic address; the port's IPs, possibly none yet. */
export async function portAddress(
  nb: NbView,
  port: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string[]> {
  const ips = (): string[] => {
    const p = nb.named('Logical_Switch_Port', port)[0];
    return p ? portIps(p) : [];
  };
  await nb.client.waitUntil(() => ips().length > 0, timeoutMs, signal).catch(() => undefined);
  return ips();
}

/**
 * libvirt shapes `<bandwidth>` with tc (htb + sfq for inbound, an ingress police filter for
 * outbound); a kernel without those fails the attach/update/start. Say so, naming the parameter.
 */
export function bandwidthError(
  err: unknown,
  limits: { inbound?: number | undefined; outbound?: number | undefined },
): unknown {
  const text = err instanceof Error ? err.message : String(err);
  if (!/qdisc|\btc\b|sfq|htb|police|TC action|bandwidth/i.test(text)) return err;
  const field = (limits.inbound ?? 0) > 0 ? 'inbound' : 'outbound';
  return new UnsupportedError(
    `this host cannot apply the NIC bandwidth limit '${field}': libvirt shapes it with tc (htb, sfq, police) and the kernel refused (${text})`,
    { cause: err, details: { field } },
  );
}

/** DeleteVM: the VM's OVN rows (NIC ports, QoS, floating IPs, port group + ACLs), one transaction. */
export async function releaseVmNetwork(nb: NbView | undefined, vm: string): Promise<void> {
  if (nb) await removeVmNetwork(nb, vm);
}

/**
 * Create-time NICs (`network=type=l3bridge,…,switch=…`): each gets an interfaceid and its OVN port
 * before the domain is defined, so the VM is on its switch from its first boot. `release` removes
 * the ports again when the create fails.
 */
export async function bindCreateTimeNics(
  nb: NbView | undefined,
  vm: string,
  nics: readonly InterfaceSpec[],
): Promise<{ nics: InterfaceSpec[]; release: () => Promise<void> }> {
  const out: InterfaceSpec[] = [];
  const bound: string[] = [];
  const release = async (): Promise<void> => {
    for (const mac of bound) if (nb) await unplugNicRows(nb, vm, mac).catch(() => undefined);
  };
  for (const nic of nics) {
    if (nic.type !== 'l3bridge' || nic.ovnSwitch === undefined) {
      out.push(nic);
      continue;
    }
    if (!nb) throw new UnsupportedError('l3bridge NICs need the OVN Northbound connection of the agent');
    const withId = { ...nic, interfaceId: nic.interfaceId ?? randomUUID() };
    try {
      const input = {
        switchName: nic.ovnSwitch,
        ifaceId: withId.interfaceId,
        mac: nic.mac,
        ip: nic.ovnIp ?? 'dynamic',
        vm,
      };
      const r = await plugNicPort(nb, input);
      if (!r.noop) bound.push(nic.mac);
    } catch (err) {
      await release();
      throw err;
    }
    out.push(withId);
  }
  return { nics: out, release };
}
