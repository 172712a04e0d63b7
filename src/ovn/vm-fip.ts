/**
 * Floating IPs as one transaction each: the `dnat_and_snat` row of vm-network.ts plus the switch
 * router's leg on the outside switch — one router port per (router, outside switch), named
 * `<switch>-fip-<outside>`, with an address of its own (the highest free one of the outside subnet:
 * a router drops traffic to its own addresses, so a floating IP must not be one), and its peer port
 * (type router, `addresses=router`, so northd never hands that address out) on the outside switch.
 * The gateway router answers ARP for the floating IPs there. The leg is removed with the last
 * floating IP in its subnet. Every row is tagged with the switch owner.
 */
import { InUseError, NotFoundError, ValidationError } from '../errors.js';
import { formatIpv4, isIpv4, parseIpv4 } from '../ipv4.js';
import { cidrContains, type Ipv4Cidr, parseCidr } from './ip.js';
import { randomRouterMac } from './names.js';
import type { LogicalRouterPort, LogicalSwitch, Nat, NbView } from './nb.js';
import { byUuid, insert, mutate, waitAbsent, waitColumn } from './ops.js';
import { FIP, NIC_MAC, networkOwner, OWNER, ROLE, SWITCH } from './ownership.js';
import type { Mutation, Operation } from './protocol.js';
import { applyPlanned, type Plan } from './txn.js';
import { namedUuid, toMap, toSet, uuid } from './values.js';
import { type FloatingIpInput, planBindFloatingIp, portIps } from './vm-network.js';

/** Tag of the leg's rows: the outside switch they connect to. */
export const OUTSIDE = 'kubestack/outside';

export const fipLegNames = (sw: string, outside: string): { lrp: string; peer: string } => ({
  lrp: `${sw}-fip-${outside}`,
  peer: `${outside}-from-${sw}-fip`,
});

export interface BindFipInput extends FloatingIpInput {
  outsideSwitch: string;
}

/** `a.b.c.d[/plen]` → the address and the prefix (from the outside switch's subnet when absent). */
function fipWithPrefix(nb: NbView, input: BindFipInput): { ip: string; cidr: string } {
  const [addr, plen] = input.fip.split('/');
  const ipn = parseIpv4(addr as string, 'fip');
  const ip = formatIpv4(ipn);
  const outside = nb.named('Logical_Switch', input.outsideSwitch)[0];
  if (!outside)
    throw new NotFoundError('outside switch', input.outsideSwitch, { details: { field: 'outSwName' } });
  const subnetText = outside.other_config.subnet;
  if (subnetText) {
    const subnet = parseCidr(subnetText, 'subnet');
    if (!cidrContains(subnet, ipn))
      throw new ValidationError(
        `${ip} is outside ${subnetText}, the subnet of '${input.outsideSwitch}'`,
        'fip',
      );
    return { ip, cidr: `${ip}/${plen ?? subnet.prefix}` };
  }
  if (plen === undefined)
    throw new ValidationError(
      `switch '${input.outsideSwitch}' has no subnet: give fip as a.b.c.d/prefix`,
      'fip',
    );
  return { ip, cidr: `${ip}/${plen}` };
}

function legPort(nb: NbView, sw: string, outside: string): LogicalRouterPort | undefined {
  return nb.named('Logical_Router_Port', fipLegNames(sw, outside).lrp)[0];
}

/** Addresses in use on a switch: its ports' IPs and the networks of routers patched to it. */
function usedAddresses(nb: NbView, sw: LogicalSwitch): Set<number> {
  const used = new Set<number>();
  for (const p of sw.ports.map((u) => nb.get('Logical_Switch_Port', u))) {
    if (!p) continue;
    for (const ip of portIps(p)) used.add(parseIpv4(ip, 'ip'));
    const peer = p.options['router-port'];
    const lrp = peer ? nb.named('Logical_Router_Port', peer)[0] : undefined;
    for (const n of lrp?.networks ?? []) used.add(parseIpv4(n.split('/')[0] as string, 'ip'));
  }
  for (const n of nb.all('NAT')) if (isIpv4(n.external_ip)) used.add(parseIpv4(n.external_ip, 'ip'));
  return used;
}

/** The leg's own address: the highest free host address of the outside subnet. */
function legAddress(nb: NbView, outside: LogicalSwitch, subnet: Ipv4Cidr, fip: number): string {
  const used = usedAddresses(nb, outside);
  const size = 2 ** (32 - subnet.prefix);
  for (let ip = subnet.network + size - 2; ip > subnet.network; ip--) {
    if (ip !== fip && !used.has(ip)) return `${formatIpv4(ip)}/${subnet.prefix}`;
  }
  throw new InUseError(`no free address on '${outside.name}' for the router's leg`);
}

/** The leg (created when missing); nothing to do when it exists. */
function planLeg(nb: NbView, input: BindFipInput, fip: { ip: string; cidr: string }): Operation[] {
  const owner = {
    [OWNER]: networkOwner(input.switchName),
    [SWITCH]: input.switchName,
    [OUTSIDE]: input.outsideSwitch,
  };
  const names = fipLegNames(input.switchName, input.outsideSwitch);
  const existing = legPort(nb, input.switchName, input.outsideSwitch);
  if (existing) {
    if (existing.networks.some((n) => n.split('/')[0] === fip.ip))
      throw new InUseError(`${fip.ip} is the router's own address on '${input.outsideSwitch}'`);
    return [];
  }
  const router = nb.owned('Logical_Router', { [SWITCH]: input.switchName, [ROLE]: 'router' })[0];
  const outside = nb.named('Logical_Switch', input.outsideSwitch)[0];
  if (!router || !outside) return [];
  const subnet = parseCidr(fip.cidr, 'fip');
  const networks = legAddress(nb, outside, subnet, parseIpv4(fip.ip, 'fip'));
  const mac = randomRouterMac(new Set(nb.all('Logical_Router_Port').map((p) => p.mac.toLowerCase())));
  return [
    waitAbsent('Logical_Router_Port', names.lrp),
    waitAbsent('Logical_Switch_Port', names.peer),
    waitColumn('Logical_Switch', outside._uuid, 'ports', toSet(outside.ports.map(uuid))),
    insert(
      'Logical_Router_Port',
      { name: names.lrp, mac, networks, external_ids: toMap({ ...owner, [ROLE]: 'router-port' }) },
      'leg',
    ),
    mutate('Logical_Router', byUuid(router._uuid), [['ports', 'insert', toSet([namedUuid('leg')])]]),
    insert(
      'Logical_Switch_Port',
      {
        name: names.peer,
        type: 'router',
        addresses: 'router',
        options: toMap({ 'router-port': names.lrp }),
        external_ids: toMap({ ...owner, [ROLE]: 'router-patch' }),
      },
      'peer',
    ),
    mutate('Logical_Switch', byUuid(outside._uuid), [['ports', 'insert', toSet([namedUuid('peer')])]]),
  ];
}

/** BindFloatingIP: the NAT row and the router's leg on the outside switch, one transaction. */
export function planBindFip(nb: NbView, input: BindFipInput): Plan<{ logicalIp: string }> {
  const fip = fipWithPrefix(nb, input);
  const nat = planBindFloatingIp(nb, input);
  const leg = planLeg(nb, input, fip);
  const ops = [...leg, ...nat.ops];
  return { ops, value: { logicalIp: nat.value.logicalIp } } as Plan<{ logicalIp: string }>;
}

/**
 * Removes the NAT rows `pick` selects from their routers, and a leg (port + peer) left without a
 * floating IP in its subnet. Pure op list, folded into the caller's transaction.
 */
export function planFipRowsRemoval(nb: NbView, pick: (n: Nat) => boolean): Operation[] {
  const nats = nb.where('NAT', (n) => n.external_ids[FIP] !== undefined && pick(n));
  if (nats.length === 0) return [];
  const ids = new Set(nats.map((n) => n._uuid));
  const ops: Operation[] = [];
  for (const lr of nb.where('Logical_Router', (r) => r.nat.some((n) => ids.has(n)))) {
    const mutations: Mutation[] = [['nat', 'delete', toSet(lr.nat.filter((n) => ids.has(n)).map(uuid))]];
    const kept = lr.nat
      .filter((n) => !ids.has(n))
      .map((n) => nb.get('NAT', n))
      .filter((n) => n !== undefined && n.external_ids[FIP] !== undefined && isIpv4(n.external_ip));
    for (const lrp of lr.ports.map((p) => nb.get('Logical_Router_Port', p))) {
      const outside = lrp?.external_ids[OUTSIDE];
      if (!lrp || outside === undefined || !lrp.networks[0]) continue;
      const subnet = parseCidr(lrp.networks[0], 'networks');
      if (kept.some((n) => cidrContains(subnet, parseIpv4(n?.external_ip ?? '', 'fip')))) continue;
      mutations.push(['ports', 'delete', toSet([uuid(lrp._uuid)])]);
      const peer = nb.named(
        'Logical_Switch_Port',
        fipLegNames(lrp.external_ids[SWITCH] ?? '', outside).peer,
      )[0];
      const holder = peer && nb.where('Logical_Switch', (ls) => ls.ports.includes(peer._uuid))[0];
      if (peer && holder)
        ops.push(
          mutate('Logical_Switch', byUuid(holder._uuid), [['ports', 'delete', toSet([uuid(peer._uuid)])]]),
        );
    }
    ops.push(mutate('Logical_Router', byUuid(lr._uuid), mutations));
  }
  return ops;
}

export interface UnbindFipInput {
  switchName: string;
  fip: string;
  /** When given, the floating IP must map to this VM address / belong to this NIC. */
  vmIp?: string | undefined;
  mac?: string | undefined;
}

/** UnbindFloatingIP: the NAT row and the leg's address (the leg too when it was the last). */
export function planUnbindFip(nb: NbView, input: UnbindFipInput): Plan<{ removed: boolean }> {
  const fip = formatIpv4(parseIpv4(input.fip.split('/')[0] as string, 'fip'));
  const pick = (n: Nat): boolean =>
    n.external_ids[FIP] === fip && n.external_ids[SWITCH] === input.switchName;
  const nat = nb.where('NAT', (n) => n.external_ids[FIP] !== undefined && pick(n))[0];
  if (!nat) return { ops: [], value: { removed: false } };
  if (input.vmIp !== undefined && nat.logical_ip !== input.vmIp)
    throw new ValidationError(`floating IP ${fip} maps to ${nat.logical_ip}, not ${input.vmIp}`, 'vmip');
  if (input.mac !== undefined && nat.external_ids[NIC_MAC] !== input.mac)
    throw new ValidationError(`floating IP ${fip} belongs to another NIC than ${input.mac}`, 'vmmac');
  return { ops: planFipRowsRemoval(nb, pick), value: { removed: true } } as Plan<{ removed: boolean }>;
}

export const bindFip = (nb: NbView, input: BindFipInput) =>
  applyPlanned(nb.client, () => planBindFip(nb, input), { comment: `kubestack: bind FIP ${input.fip}` });
export const unbindFip = (nb: NbView, input: UnbindFipInput) =>
  applyPlanned(nb.client, () => planUnbindFip(nb, input), { comment: `kubestack: unbind FIP ${input.fip}` });
