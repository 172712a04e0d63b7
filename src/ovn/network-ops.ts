/**
 * The VirtualMachineNetwork switch operations on the OVN Northbound DB: switches with their gateway
 * router, router port, DHCP options and optional provider attachment (address sets: address-sets.ts). Each
 * operation is ONE transaction planned from the replica and guarded by `wait` ops, idempotent, and
 * marks what it creates in `external_ids`. `plan…` functions are pure (unit-tested as op lists);
 * the exported verbs apply them.
 */
import {
  AlreadyExistsError,
  InUseError,
  NotFoundError,
  UnsupportedError,
  ValidationError,
} from '../errors.js';
import {
  formatCidr,
  hostAddress,
  type Ipv4Cidr,
  parseCidr,
  parseExcludeIps,
  renderDnsServers,
} from './ip.js';
import { checkCrName, checkVlan, physnetOf, randomRouterMac, switchRowNames } from './names.js';
import type {
  DhcpOptions,
  LogicalRouter,
  LogicalRouterPort,
  LogicalSwitch,
  LogicalSwitchPort,
  Nat,
  NbView,
} from './nb.js';
import { byUuid, del, insert, mutate, update, waitAbsent, waitColumn, waitIs } from './ops.js';
import { GATEWAY, isOwnedBy, networkOwner, OWNER, ROLE, SWITCH, USER_EXCLUDES } from './ownership.js';
import type { Atom, Operation, Row } from './protocol.js';
import { applyPlanned, type Plan } from './txn.js';
import { emptySet, namedUuid, toMap, toSet, uuid } from './values.js';

export const DEFAULT_LEASE_TIME = 3600;
/** A geneve overlay on a 1500-byte underlay leaves 1442 bytes for the guest. */
export const DEFAULT_OVERLAY_MTU = 1442;

export interface CreateSwitchInput {
  name: string;
  /** a.b.c.d/prefix; host bits may be set (the API's own example does). */
  subnet: string;
  /** The default route handed out by DHCP. */
  gateway: string;
  /** The router port's address and DHCP server id; without it no router and no DHCP are made. */
  dhcp?: string | undefined;
  mtu?: number | undefined;
  /** An OVS bridge on this host for a provider (localnet) attachment. */
  bridge?: string | undefined;
  vlanId?: number | undefined;
  excludeIPs?: string | undefined;
  dnsServer?: string | undefined;
  ipv6?: boolean | undefined;
  /** Chassis (OVS system-id) the gateway router is pinned to; '' makes a distributed router. */
  chassis: string;
}

/** Everything the agent reads back about a switch: the source of spec.data. */
export interface SwitchState {
  switch: LogicalSwitch;
  ports: LogicalSwitchPort[];
  router: LogicalRouter | undefined;
  routerPorts: LogicalRouterPort[];
  nat: Nat[];
  dhcp: DhcpOptions | undefined;
}

export function observeSwitch(nb: NbView, name: string): SwitchState | undefined {
  const ls = nb.named('Logical_Switch', name)[0];
  if (!ls) return undefined;
  const ports = ls.ports.map((p) => nb.get('Logical_Switch_Port', p)).filter((p) => p !== undefined);
  const router =
    nb.owned('Logical_Router', { [SWITCH]: name, [ROLE]: 'router' })[0] ??
    nb.named('Logical_Router', switchRowNames(name).router)[0];
  const routerPorts = (router?.ports ?? [])
    .map((p) => nb.get('Logical_Router_Port', p))
    .filter((p) => p !== undefined);
  const nat = (router?.nat ?? []).map((n) => nb.get('NAT', n)).filter((n) => n !== undefined);
  const dhcp = nb.owned('DHCP_Options', { [SWITCH]: name, [ROLE]: 'dhcp' })[0];
  return { switch: ls, ports, router, routerPorts, nat, dhcp };
}

interface ParsedSwitch {
  subnet: Ipv4Cidr;
  gateway: string;
  dhcp: string | undefined;
  mtu: number | undefined;
  userExcludes: string[];
  dns: string | undefined;
}

function parseSwitchInput(input: CreateSwitchInput): ParsedSwitch {
  checkCrName(input.name);
  if (input.ipv6) throw new UnsupportedError('ipv6: IPv6 switches are not supported on this agent yet');
  const subnet = parseCidr(input.subnet, 'subnet', [8, 30]);
  const gateway = hostAddress(subnet, input.gateway, 'gateway');
  const dhcp = input.dhcp ? hostAddress(subnet, input.dhcp, 'dhcp') : undefined;
  if (input.mtu !== undefined && (!Number.isInteger(input.mtu) || input.mtu < 68 || input.mtu > 65535)) {
    throw new ValidationError(`MTU ${input.mtu} out of range 68–65535`, 'mtu');
  }
  if (input.vlanId !== undefined && input.vlanId !== 0) {
    checkVlan(input.vlanId, 'vlanId', 1);
    if (!input.bridge)
      throw new ValidationError('a VLAN id needs a bridge (provider network) to tag', 'vlanId');
  }
  return {
    subnet,
    gateway,
    dhcp,
    mtu: input.mtu,
    userExcludes: input.excludeIPs ? parseExcludeIps(input.excludeIPs, subnet) : [],
    dns: input.dnsServer ? renderDnsServers(input.dnsServer) : undefined,
  };
}

/** `exclude_ips`: the user's list plus the gateway and router addresses, so dynamic IPs avoid them. */
function excludeIps(userExcludes: readonly string[], ...reserved: (string | undefined)[]): string {
  const all = [...userExcludes];
  for (const r of reserved) if (r && !all.includes(r)) all.push(r);
  return all.join(' ');
}

function dhcpOptionsMap(p: {
  server: string;
  mac: string;
  gateway: string;
  mtu: number | undefined;
  dns: string | undefined;
}): Record<string, string> {
  const o: Record<string, string> = {
    server_id: p.server,
    server_mac: p.mac,
    lease_time: String(DEFAULT_LEASE_TIME),
    router: p.gateway,
  };
  if (p.mtu !== undefined) o.mtu = String(p.mtu);
  if (p.dns !== undefined) o.dns_server = p.dns;
  return o;
}

export function planCreateSwitch(
  nb: NbView,
  input: CreateSwitchInput,
  routerMac: () => string = () => randomRouterMac(takenMacs(nb)),
): Plan<{ created: boolean }> {
  const p = parseSwitchInput(input);
  const { name } = input;
  const names = switchRowNames(name);
  const existing = nb.named('Logical_Switch', name);
  if (existing.length > 0) {
    if (existing.every((ls) => isOwnedBy(ls.external_ids, name)))
      return { ops: [], value: { created: false } };
    throw new AlreadyExistsError('logical switch', name);
  }
  const owner = { [OWNER]: networkOwner(name), [SWITCH]: name };
  const ops: Operation[] = [waitAbsent('Logical_Switch', name)];
  const ports: Atom[] = [];
  if (p.dhcp) {
    if (nb.named('Logical_Router', names.router).length > 0)
      throw new AlreadyExistsError('logical router', names.router);
    if (nb.named('Logical_Router_Port', names.routerPort).length > 0) {
      throw new AlreadyExistsError('logical router port', names.routerPort);
    }
    const mac = routerMac();
    const mtu = p.mtu ?? (input.bridge ? undefined : DEFAULT_OVERLAY_MTU);
    ops.push(
      waitAbsent('Logical_Router', names.router),
      insert(
        'DHCP_Options',
        {
          cidr: formatCidr(p.subnet),
          options: toMap(dhcpOptionsMap({ server: p.dhcp, mac, gateway: p.gateway, mtu, dns: p.dns })),
          external_ids: toMap({ ...owner, [ROLE]: 'dhcp' }),
        },
        'dhcp',
      ),
      insert(
        'Logical_Router_Port',
        {
          name: names.routerPort,
          mac,
          networks: `${p.dhcp}/${p.subnet.prefix}`,
          external_ids: toMap({ ...owner, [ROLE]: 'router-port' }),
        },
        'lrp',
      ),
      insert(
        'Logical_Router',
        {
          name: names.router,
          ports: namedUuid('lrp'),
          options: input.chassis ? toMap({ chassis: input.chassis }) : emptyMap(),
          external_ids: toMap({ ...owner, [ROLE]: 'router' }),
        },
        'lr',
      ),
      insert(
        'Logical_Switch_Port',
        {
          name: names.routerPatch,
          type: 'router',
          addresses: mac,
          options: toMap({ 'router-port': names.routerPort }),
          external_ids: toMap({ ...owner, [ROLE]: 'router-patch' }),
        },
        'rp',
      ),
    );
    ports.push(namedUuid('rp'));
  }
  if (input.bridge) {
    if (nb.named('Logical_Switch_Port', names.localnet).length > 0) {
      throw new AlreadyExistsError('logical switch port', names.localnet);
    }
    const row: Row = {
      name: names.localnet,
      type: 'localnet',
      addresses: 'unknown',
      options: toMap({ network_name: physnetOf(input.bridge) }),
      external_ids: toMap({ ...owner, [ROLE]: 'localnet' }),
    };
    if (input.vlanId) row.tag = input.vlanId;
    ops.push(insert('Logical_Switch_Port', row, 'ln'));
    ports.push(namedUuid('ln'));
  }
  const otherConfig: Record<string, string> = { subnet: formatCidr(p.subnet) };
  const ex = excludeIps(p.userExcludes, p.gateway, p.dhcp);
  if (ex) otherConfig.exclude_ips = ex;
  ops.push(
    insert(
      'Logical_Switch',
      {
        name,
        ports: toSet(ports),
        other_config: toMap(otherConfig),
        external_ids: toMap({
          ...owner,
          [ROLE]: 'switch',
          [USER_EXCLUDES]: p.userExcludes.join(' '),
          [GATEWAY]: p.gateway,
        }),
      },
      'ls',
    ),
  );
  return { ops, value: { created: true } };
}

const emptyMap = (): Row[string] => ['map', []];

function takenMacs(nb: NbView): Set<string> {
  return new Set(nb.all('Logical_Router_Port').map((p) => p.mac.toLowerCase()));
}

export interface SwitchResult {
  state: SwitchState;
  /** False when the switch already existed as asked (idempotent replay). */
  changed: boolean;
}

export async function createSwitch(nb: NbView, input: CreateSwitchInput): Promise<SwitchResult> {
  const applied = await applyPlanned(nb.client, () => planCreateSwitch(nb, input), {
    comment: `kubestack: createSwitch ${input.name}`,
  });
  return { state: mustObserve(nb, input.name), changed: !applied.noop };
}

function mustObserve(nb: NbView, name: string): SwitchState {
  const s = observeSwitch(nb, name);
  if (!s) throw new NotFoundError('logical switch', name);
  return s;
}

function ownedSwitch(nb: NbView, name: string): LogicalSwitch | undefined {
  const rows = nb.named('Logical_Switch', name);
  if (rows.length === 0) return undefined;
  const foreign = rows.filter((r) => !isOwnedBy(r.external_ids, name));
  if (foreign.length > 0) {
    throw new InUseError(`logical switch '${name}' was not created by kubestack; refusing to change it`);
  }
  if (rows.length > 1) throw new InUseError(`${rows.length} logical switches are named '${name}'`);
  return rows[0];
}

/** Deletes the switch bundle: switch, router (its ports, NAT, routes), DHCP row, owned rows elsewhere. */
export function planDeleteSwitch(nb: NbView, name: string): Plan<{ deleted: boolean; physnets: string[] }> {
  checkCrName(name);
  const ls = ownedSwitch(nb, name);
  if (!ls) return { ops: [], value: { deleted: false, physnets: [] } };
  const ports = ls.ports.map((p) => nb.get('Logical_Switch_Port', p)).filter((p) => p !== undefined);
  const vifs = ports.filter((p) => p.type === '');
  if (vifs.length > 0) {
    throw new InUseError(
      `logical switch '${name}' still has ${vifs.length} VM port(s): ${vifs
        .slice(0, 5)
        .map((p) => p.name)
        .join(', ')}`,
    );
  }
  const ops: Operation[] = [
    waitIs('Logical_Switch', name, ls._uuid),
    del('Logical_Switch', byUuid(ls._uuid)),
  ];
  for (const lr of nb.owned('Logical_Router', { [SWITCH]: name }))
    ops.push(del('Logical_Router', byUuid(lr._uuid)));
  for (const d of nb.owned('DHCP_Options', { [SWITCH]: name }))
    ops.push(del('DHCP_Options', byUuid(d._uuid)));
  for (const pg of nb.owned('Port_Group', { [SWITCH]: name })) ops.push(del('Port_Group', byUuid(pg._uuid)));
  // Rows this switch owns on other switches (floating-IP peer ports): cut them out of their parents.
  const foreignPorts = new Set(
    nb
      .owned('Logical_Switch_Port', { [SWITCH]: name })
      .map((p) => p._uuid)
      .filter((u) => !ls.ports.includes(u)),
  );
  if (foreignPorts.size > 0) {
    for (const other of nb.all('Logical_Switch')) {
      const mine = other.ports.filter((p) => foreignPorts.has(p));
      if (mine.length > 0) {
        ops.push(mutate('Logical_Switch', byUuid(other._uuid), [['ports', 'delete', toSet(mine.map(uuid))]]));
      }
    }
  }
  const physnets = ports
    .filter((p) => p.type === 'localnet')
    .map((p) => p.options.network_name)
    .filter((n): n is string => n !== undefined);
  return { ops, value: { deleted: true, physnets } };
}

export async function deleteSwitch(
  nb: NbView,
  name: string,
): Promise<{ deleted: boolean; physnets: string[] }> {
  const applied = await applyPlanned(nb.client, () => planDeleteSwitch(nb, name), {
    comment: `kubestack: deleteSwitch ${name}`,
  });
  return applied.value;
}

/** Whether any logical switch still attaches to provider network `physnet`. */
export function physnetInUse(nb: NbView, physnet: string): boolean {
  return nb
    .all('Logical_Switch_Port')
    .some((p) => p.type === 'localnet' && p.options.network_name === physnet);
}

export interface ModifySwitchInput {
  name: string;
  gateway?: string | undefined;
  mtu?: number | undefined;
  dnsServer?: string | undefined;
  dhcp?: string | undefined;
  vlanId?: number | undefined;
  ipv6?: boolean | undefined;
}

/**
 * Changes DHCP options (merged: untouched keys are kept), the router port address in place (no
 * delete/re-add window) and the provider VLAN tag; every value read is pinned with a `wait`.
 */
export function planModifySwitch(nb: NbView, input: ModifySwitchInput): Plan<{ changed: boolean }> {
  checkCrName(input.name);
  if (input.ipv6) throw new UnsupportedError('ipv6: IPv6 switches are not supported on this agent yet');
  const ls = ownedSwitch(nb, input.name);
  if (!ls) throw new NotFoundError('logical switch', input.name);
  const subnetText = ls.other_config.subnet;
  if (!subnetText) throw new InUseError(`logical switch '${input.name}' has no subnet`);
  const subnet = parseCidr(subnetText, 'subnet');
  const gateway = input.gateway ? hostAddress(subnet, input.gateway, 'gateway') : undefined;
  const dhcpIp = input.dhcp ? hostAddress(subnet, input.dhcp, 'dhcp') : undefined;
  if (input.mtu !== undefined && (!Number.isInteger(input.mtu) || input.mtu < 68 || input.mtu > 65535)) {
    throw new ValidationError(`MTU ${input.mtu} out of range 68–65535`, 'mtu');
  }
  const dns = input.dnsServer ? renderDnsServers(input.dnsServer) : undefined;
  const ops: Operation[] = [waitIs('Logical_Switch', input.name, ls._uuid)];
  const dhcp = nb.owned('DHCP_Options', { [SWITCH]: input.name, [ROLE]: 'dhcp' })[0];
  const wantsDhcp =
    gateway !== undefined || dhcpIp !== undefined || input.mtu !== undefined || dns !== undefined;
  let oldGateway: string | undefined;
  let oldServer: string | undefined;
  if (wantsDhcp) {
    if (!dhcp) {
      throw new ValidationError(`switch '${input.name}' was created without dhcp: nothing to modify`, 'dhcp');
    }
    oldGateway = dhcp.options.router;
    oldServer = dhcp.options.server_id;
    const next = { ...dhcp.options };
    if (gateway) next.router = gateway;
    if (dhcpIp) next.server_id = dhcpIp;
    if (input.mtu !== undefined) next.mtu = String(input.mtu);
    if (dns) next.dns_server = dns;
    if (!sameRecord(next, dhcp.options)) {
      ops.push(
        waitColumn('DHCP_Options', dhcp._uuid, 'options', toMap(dhcp.options)),
        update('DHCP_Options', byUuid(dhcp._uuid), { options: toMap(next) }),
      );
    }
  }
  if (dhcpIp) {
    const lrp = nb.owned('Logical_Router_Port', { [SWITCH]: input.name, [ROLE]: 'router-port' })[0];
    if (!lrp) throw new NotFoundError('router port of switch', input.name);
    const networks = `${dhcpIp}/${subnet.prefix}`;
    if (lrp.networks.length !== 1 || lrp.networks[0] !== networks) {
      ops.push(update('Logical_Router_Port', byUuid(lrp._uuid), { networks }));
    }
  }
  if (gateway || dhcpIp) {
    const user = (ls.external_ids[USER_EXCLUDES] ?? '').split(' ').filter(Boolean);
    const ex = excludeIps(user, gateway ?? oldGateway, dhcpIp ?? oldServer);
    const ids = gateway ? { ...ls.external_ids, [GATEWAY]: gateway } : ls.external_ids;
    if (ex !== (ls.other_config.exclude_ips ?? '') || !sameRecord(ids, ls.external_ids)) {
      const oc = { ...ls.other_config, exclude_ips: ex };
      ops.push(
        waitColumn('Logical_Switch', ls._uuid, 'other_config', toMap(ls.other_config)),
        update('Logical_Switch', byUuid(ls._uuid), { other_config: toMap(oc), external_ids: toMap(ids) }),
      );
    }
  }
  if (input.vlanId !== undefined) {
    if (input.vlanId !== 0) checkVlan(input.vlanId, 'vlanId', 1);
    const ln = nb
      .owned('Logical_Switch_Port', { [SWITCH]: input.name, [ROLE]: 'localnet' })
      .find((p) => ls.ports.includes(p._uuid));
    if (!ln)
      throw new ValidationError(`switch '${input.name}' has no provider (bridge) attachment`, 'vlanId');
    if ((ln.tag ?? 0) !== input.vlanId) {
      ops.push(
        update('Logical_Switch_Port', byUuid(ln._uuid), {
          tag: input.vlanId === 0 ? emptySet : input.vlanId,
        }),
      );
    }
  }
  if (ops.length === 1) return { ops: [], value: { changed: false } };
  return { ops, value: { changed: true } };
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

export async function modifySwitch(nb: NbView, input: ModifySwitchInput): Promise<SwitchResult> {
  const applied = await applyPlanned(nb.client, () => planModifySwitch(nb, input), {
    comment: `kubestack: modifySwitch ${input.name}`,
  });
  return { state: mustObserve(nb, input.name), changed: !applied.noop };
}
