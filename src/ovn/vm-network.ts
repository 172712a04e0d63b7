/**
 * Building blocks for the VirtualMachine operations (PlugNIC, start, BindFloatingIP, ACLs, QoS):
 * pure planners returning op lists, to be sent alone (the verbs below) or folded into a larger
 * transaction by the VM operation that needs them.
 *
 * - a l3bridge NIC's logical port: named with libvirt's interfaceid (= OVS iface-id), MAC + IP in
 *   `addresses` and `port_security`, the switch's DHCP row; it lives as long as the NIC does
 *   (not deleted when the VM stops, so the address stays reserved);
 * - a floating IP: one `dnat_and_snat` NAT row on the switch's router;
 * - per-VM ACLs on a port group holding the VM's ports (`inport == @pg`), found again by tag;
 * - per-NIC QoS rows scoped with `inport`/`outport`.
 */
import { createHash } from 'node:crypto';
import { AlreadyExistsError, InUseError, NotFoundError, ValidationError } from '../errors.js';
import { formatIpv4, parseIpv4 } from '../ipv4.js';
import { cidrContains, parseCidr } from './ip.js';
import { checkMac, ovnIdentifier } from './names.js';
import type { LogicalSwitch, LogicalSwitchPort, NbView } from './nb.js';
import { byUuid, del, insert, mutate, update, waitAbsent, waitColumn, waitIs } from './ops.js';
import { ACL_ID, FIP, NIC_MAC, OWNER, QOS_ID, ROLE, SWITCH, VM, vmOwner } from './ownership.js';
import type { Operation, Row } from './protocol.js';
import { applyPlanned, type Plan } from './txn.js';
import { namedUuid, toMap, toSet, uuid } from './values.js';

const IFACE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

function singleSwitch(nb: NbView, name: string): LogicalSwitch {
  const rows = nb.named('Logical_Switch', name);
  if (rows.length === 0) throw new NotFoundError('logical switch', name);
  if (rows.length > 1) throw new InUseError(`${rows.length} logical switches are named '${name}'`);
  return rows[0] as LogicalSwitch;
}

/** IPs an LSP holds (static in `addresses`, or northd's `dynamic_addresses`). */
export function portIps(p: LogicalSwitchPort): string[] {
  const words = [...p.addresses, p.dynamic_addresses ?? ''].flatMap((a) => a.split(/\s+/).slice(1));
  return words.filter((w) => /^\d+\.\d+\.\d+\.\d+$/.test(w));
}

function excluded(ls: LogicalSwitch, ip: number): boolean {
  for (const item of (ls.other_config.exclude_ips ?? '').split(/\s+/).filter(Boolean)) {
    const [a, b] = item.split('..');
    const lo = parseIpv4(a as string, 'exclude_ips');
    const hi = b ? parseIpv4(b, 'exclude_ips') : lo;
    if (ip >= lo && ip <= hi) return true;
  }
  return false;
}

export interface NicPortInput {
  switchName: string;
  /** libvirt's `<virtualport><parameters interfaceid=…>` (OVS `external_ids:iface-id`). */
  ifaceId: string;
  mac: string;
  /** A static IPv4 address, or `dynamic` (northd allocates from `other_config:subnet`). */
  ip: string;
  vm: string;
}

/** Creates or updates (same switch) the NIC's logical port. */
export function planBindNic(nb: NbView, input: NicPortInput): Plan<{ port: string }> {
  if (!IFACE_ID.test(input.ifaceId))
    throw new ValidationError(`'${input.ifaceId}' is not a valid interface id`, 'ifaceId');
  const mac = checkMac(input.mac);
  const ls = singleSwitch(nb, input.switchName);
  let addresses: string;
  let security: string;
  if (input.ip === 'dynamic') {
    if (!ls.other_config.subnet) {
      throw new ValidationError(
        `switch '${input.switchName}' has no subnet: dynamic addresses need one`,
        'ip',
      );
    }
    addresses = `${mac} dynamic`;
    security = mac;
  } else {
    const ipn = parseIpv4(input.ip, 'ip');
    const ip = formatIpv4(ipn);
    if (ls.other_config.subnet) {
      const subnet = parseCidr(ls.other_config.subnet, 'subnet');
      if (!cidrContains(subnet, ipn))
        throw new ValidationError(`${ip} is outside ${ls.other_config.subnet}`, 'ip');
      if (excluded(ls, ipn))
        throw new ValidationError(`${ip} is excluded on switch '${input.switchName}'`, 'ip');
    }
    const holder = ls.ports
      .map((p) => nb.get('Logical_Switch_Port', p))
      .find((p) => p !== undefined && p.name !== input.ifaceId && portIps(p).includes(ip));
    if (holder)
      throw new InUseError(`${ip} is already used by port '${holder.name}' on '${input.switchName}'`);
    addresses = `${mac} ${ip}`;
    security = addresses;
  }
  const dhcp = nb.owned('DHCP_Options', { [SWITCH]: input.switchName, [ROLE]: 'dhcp' })[0];
  const row: Row = {
    addresses,
    port_security: security,
    dhcpv4_options: dhcp ? uuid(dhcp._uuid) : toSet([]),
    external_ids: toMap({
      [OWNER]: vmOwner(input.vm),
      [VM]: input.vm,
      [NIC_MAC]: mac,
      [SWITCH]: input.switchName,
      [ROLE]: 'nic',
    }),
  };
  const existing = nb.named('Logical_Switch_Port', input.ifaceId)[0];
  if (existing) {
    if (!ls.ports.includes(existing._uuid)) {
      throw new InUseError(`port '${input.ifaceId}' exists on another switch; unbind it first`);
    }
    const same =
      existing.addresses.join() === addresses &&
      existing.port_security.join() === security &&
      existing.dhcpv4_options === dhcp?._uuid;
    if (same) return { ops: [], value: { port: input.ifaceId } };
    return {
      ops: [
        waitIs('Logical_Switch_Port', input.ifaceId, existing._uuid),
        update('Logical_Switch_Port', byUuid(existing._uuid), row),
      ],
      value: { port: input.ifaceId },
    };
  }
  return {
    ops: [
      waitIs('Logical_Switch', input.switchName, ls._uuid),
      waitAbsent('Logical_Switch_Port', input.ifaceId),
      insert('Logical_Switch_Port', { name: input.ifaceId, ...row }, 'vif'),
      mutate('Logical_Switch', byUuid(ls._uuid), [['ports', 'insert', toSet([namedUuid('vif')])]]),
    ],
    value: { port: input.ifaceId },
  };
}

/** Removes the NIC's logical port (on UnplugNIC / DeleteVM, not on stop). */
export function planUnbindNic(nb: NbView, ifaceId: string): Plan<{ removed: boolean }> {
  const lsp = nb.named('Logical_Switch_Port', ifaceId)[0];
  if (!lsp) return { ops: [], value: { removed: false } };
  const parents = nb.where('Logical_Switch', (ls) => ls.ports.includes(lsp._uuid));
  return {
    ops: parents.map((ls) =>
      mutate('Logical_Switch', byUuid(ls._uuid), [['ports', 'delete', toSet([uuid(lsp._uuid)])]]),
    ),
    value: { removed: true },
  };
}

// ---- floating IP -----------------------------------------------------------------------------

export interface FloatingIpInput {
  switchName: string;
  /** The VM NIC whose IP the floating IP maps to (its LSP is found by MAC tag). */
  mac: string;
  /** The floating IP, with or without /prefix. */
  fip: string;
  vm: string;
}

function nicPortByMac(nb: NbView, switchName: string, mac: string): LogicalSwitchPort {
  const ls = singleSwitch(nb, switchName);
  const m = checkMac(mac);
  const lsp = ls.ports
    .map((p) => nb.get('Logical_Switch_Port', p))
    .find(
      (p) =>
        p !== undefined && (p.external_ids[NIC_MAC] === m || p.addresses.some((a) => a.startsWith(`${m} `))),
    );
  if (!lsp) throw new NotFoundError(`port with MAC on switch '${switchName}'`, m);
  return lsp;
}

/** One `dnat_and_snat` row on the switch's router, pinned to the VM IP read from its port. */
export function planBindFloatingIp(
  nb: NbView,
  input: FloatingIpInput,
): Plan<{ nat: string; logicalIp: string }> {
  const fip = formatIpv4(parseIpv4(input.fip.split('/')[0] as string, 'fip'));
  const router = nb.owned('Logical_Router', { [SWITCH]: input.switchName, [ROLE]: 'router' })[0];
  if (!router) throw new NotFoundError('router of switch', input.switchName);
  const lsp = nicPortByMac(nb, input.switchName, input.mac);
  const ip = portIps(lsp)[0];
  if (!ip) throw new InUseError(`port '${lsp.name}' has no IP address yet`);
  const nats = router.nat.map((n) => nb.get('NAT', n)).filter((n) => n !== undefined);
  const same = nats.find((n) => n.external_ip === fip);
  if (same) {
    if (same.type === 'dnat_and_snat' && same.logical_ip === ip)
      return { ops: [], value: { nat: same._uuid, logicalIp: ip } };
    throw new AlreadyExistsError('floating IP', fip);
  }
  return {
    ops: [
      waitColumn('Logical_Switch_Port', lsp._uuid, 'addresses', toSet(lsp.addresses)),
      waitColumn('Logical_Router', router._uuid, 'nat', toSet(router.nat.map(uuid))),
      insert(
        'NAT',
        {
          type: 'dnat_and_snat',
          external_ip: fip,
          logical_ip: ip,
          external_ids: toMap({
            [OWNER]: vmOwner(input.vm),
            [VM]: input.vm,
            [FIP]: fip,
            [NIC_MAC]: checkMac(input.mac),
            [SWITCH]: input.switchName,
          }),
        },
        'fip',
      ),
      mutate('Logical_Router', byUuid(router._uuid), [['nat', 'insert', toSet([namedUuid('fip')])]]),
    ],
    value: { nat: '', logicalIp: ip },
  };
}

export function planUnbindFloatingIp(
  nb: NbView,
  switchName: string,
  fipText: string,
): Plan<{ removed: boolean }> {
  const fip = formatIpv4(parseIpv4(fipText.split('/')[0] as string, 'fip'));
  const nats = nb.where('NAT', (n) => n.external_ids[FIP] === fip && n.external_ids[SWITCH] === switchName);
  if (nats.length === 0) return { ops: [], value: { removed: false } };
  const ids = new Set(nats.map((n) => n._uuid));
  const ops: Operation[] = nb
    .where('Logical_Router', (lr) => lr.nat.some((n) => ids.has(n)))
    .map((lr) =>
      mutate('Logical_Router', byUuid(lr._uuid), [
        ['nat', 'delete', toSet(lr.nat.filter((n) => ids.has(n)).map(uuid))],
      ]),
    );
  return { ops, value: { removed: true } };
}

// ---- per-VM ACLs (port groups) ---------------------------------------------------------------

/** The VM's port group: an identifier-safe name, referenced as `@name` in matches. */
export const vmPortGroupName = (vm: string): string => ovnIdentifier(`kst-${vm}`);

const RULE = /^[A-Za-z0-9 .,/{}()$&=<>|!:_"@-]{2,200}$/;

/** An ACL/QoS rule: the SDK wraps it in single quotes for its shell; those are removed. */
export function checkRule(rule: string, field = 'rule'): string {
  const r = rule
    .trim()
    .replace(/^'(.*)'$/s, '$1')
    .trim();
  if (!RULE.test(r)) throw new ValidationError(`'${rule}' is not an acceptable match expression`, field);
  return r;
}

export interface AclInput {
  vm: string;
  /** `from` (traffic sent by the VM, from-lport) or `to` (to-lport). */
  type: 'from' | 'to';
  rule: string;
  operator: 'allow' | 'drop';
  priority?: number;
}

export const aclKey = (vm: string, type: string, rule: string, priority: number): string =>
  createHash('sha256').update(`${vm}\n${type}\n${priority}\n${rule}`).digest('hex').slice(0, 16);

/** Adds an ACL on the VM's port group (created with the VM's NIC ports if missing). */
export function planAddAcl(nb: NbView, input: AclInput): Plan<{ acl: string }> {
  const rule = checkRule(input.rule);
  const priority = input.priority ?? 100;
  if (!Number.isInteger(priority) || priority < 0 || priority > 32767) {
    throw new ValidationError(`priority ${priority} out of range 0–32767`, 'priority');
  }
  const key = aclKey(input.vm, input.type, rule, priority);
  const pgName = vmPortGroupName(input.vm);
  const pg = nb.named('Port_Group', pgName)[0];
  const direction = input.type === 'from' ? 'from-lport' : 'to-lport';
  const port = input.type === 'from' ? 'inport' : 'outport';
  const action = input.operator === 'allow' ? 'allow-related' : 'drop';
  const existing = pg
    ? nb.where('ACL', (a) => pg.acls.includes(a._uuid) && a.external_ids[ACL_ID] === key)[0]
    : undefined;
  if (existing) {
    if (existing.action === action) return { ops: [], value: { acl: key } };
    return { ops: [update('ACL', byUuid(existing._uuid), { action })], value: { acl: key } };
  }
  const acl = insert(
    'ACL',
    {
      direction,
      priority,
      match: `${port} == @${pgName} && (${rule})`,
      action,
      name: `kst-${key}`,
      external_ids: toMap({ [OWNER]: vmOwner(input.vm), [VM]: input.vm, [ACL_ID]: key, [ROLE]: 'acl' }),
    },
    'acl',
  );
  if (pg) {
    return {
      ops: [
        waitIs('Port_Group', pgName, pg._uuid),
        acl,
        mutate('Port_Group', byUuid(pg._uuid), [['acls', 'insert', toSet([namedUuid('acl')])]]),
      ],
      value: { acl: key },
    };
  }
  const ports = nb.owned('Logical_Switch_Port', { [VM]: input.vm, [ROLE]: 'nic' }).map((p) => uuid(p._uuid));
  return {
    ops: [
      waitAbsent('Port_Group', pgName),
      acl,
      insert('Port_Group', {
        name: pgName,
        ports: toSet(ports),
        acls: toSet([namedUuid('acl')]),
        external_ids: toMap({ [OWNER]: vmOwner(input.vm), [VM]: input.vm, [ROLE]: 'port-group' }),
      }),
    ],
    value: { acl: key },
  };
}

export function planRemoveAcl(nb: NbView, input: Omit<AclInput, 'operator'>): Plan<{ removed: boolean }> {
  const rule = checkRule(input.rule);
  const key = aclKey(input.vm, input.type, rule, input.priority ?? 100);
  const pg = nb.named('Port_Group', vmPortGroupName(input.vm))[0];
  const acl = pg
    ? nb.where('ACL', (a) => pg.acls.includes(a._uuid) && a.external_ids[ACL_ID] === key)[0]
    : undefined;
  if (!pg || !acl) return { ops: [], value: { removed: false } };
  return {
    ops: [mutate('Port_Group', byUuid(pg._uuid), [['acls', 'delete', toSet([uuid(acl._uuid)])]])],
    value: { removed: true },
  };
}

/** Adds the VM's NIC port to its port group (when a NIC is plugged after ACLs exist). */
export function planJoinPortGroup(nb: NbView, vm: string, ifaceId: string): Plan<{ joined: boolean }> {
  const pg = nb.named('Port_Group', vmPortGroupName(vm))[0];
  const lsp = nb.named('Logical_Switch_Port', ifaceId)[0];
  if (!pg || !lsp || pg.ports.includes(lsp._uuid)) return { ops: [], value: { joined: false } };
  return {
    ops: [mutate('Port_Group', byUuid(pg._uuid), [['ports', 'insert', toSet([uuid(lsp._uuid)])]])],
    value: { joined: true },
  };
}

/** Deletes the VM's port group and with it its ACLs (DeleteVM). */
export function planDeleteVmPortGroup(nb: NbView, vm: string): Plan<{ removed: boolean }> {
  const pg = nb.named('Port_Group', vmPortGroupName(vm))[0];
  if (!pg) return { ops: [], value: { removed: false } };
  if (pg.external_ids[OWNER] !== vmOwner(vm)) {
    throw new InUseError(`port group '${pg.name}' was not created by kubestack; refusing to delete it`);
  }
  return {
    ops: [waitIs('Port_Group', pg.name, pg._uuid), del('Port_Group', byUuid(pg._uuid))],
    value: { removed: true },
  };
}

// ---- QoS ---------------------------------------------------------------------------------------

export interface QosInput {
  switchName: string;
  vm: string;
  mac: string;
  type: 'from' | 'to';
  rule: string;
  /** kbps, 1–4294967295. */
  rate: number;
  /** kbit. */
  burst?: number;
  priority?: number;
}

export const qosKey = (mac: string, type: string, rule: string, priority: number): string =>
  createHash('sha256').update(`${mac}\n${type}\n${priority}\n${rule}`).digest('hex').slice(0, 16);

/** Sets (insert, or replace the bandwidth of) a QoS row scoped to the NIC's port. */
export function planSetQos(nb: NbView, input: QosInput): Plan<{ qos: string }> {
  const rule = checkRule(input.rule);
  const priority = input.priority ?? 100;
  for (const [v, f] of [
    [input.rate, 'rate'],
    [input.burst ?? 1, 'burst'],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 4294967295)
      throw new ValidationError(`${v} out of range 1–4294967295`, f);
  }
  if (!Number.isInteger(priority) || priority < 0 || priority > 32767) {
    throw new ValidationError(`priority ${priority} out of range 0–32767`, 'priority');
  }
  const ls = singleSwitch(nb, input.switchName);
  const lsp = nicPortByMac(nb, input.switchName, input.mac);
  const key = qosKey(checkMac(input.mac), input.type, rule, priority);
  const bandwidth: Record<string, number> = { rate: input.rate };
  if (input.burst !== undefined) bandwidth.burst = input.burst;
  const existing = nb.where(
    'QoS',
    (q) => ls.qos_rules.includes(q._uuid) && q.external_ids[QOS_ID] === key,
  )[0];
  if (existing) {
    const cur = existing.bandwidth;
    if (cur.rate === input.rate && cur.burst === input.burst) {
      return { ops: [], value: { qos: key } };
    }
    return {
      ops: [update('QoS', byUuid(existing._uuid), { bandwidth: toMap(bandwidth) })],
      value: { qos: key },
    };
  }
  const port = input.type === 'from' ? 'inport' : 'outport';
  return {
    ops: [
      insert(
        'QoS',
        {
          direction: input.type === 'from' ? 'from-lport' : 'to-lport',
          priority,
          match: `${port} == "${lsp.name}" && (${rule})`,
          bandwidth: toMap(bandwidth),
          external_ids: toMap({
            [OWNER]: vmOwner(input.vm),
            [VM]: input.vm,
            [QOS_ID]: key,
            [NIC_MAC]: checkMac(input.mac),
            [ROLE]: 'qos',
          }),
        },
        'qos',
      ),
      mutate('Logical_Switch', byUuid(ls._uuid), [['qos_rules', 'insert', toSet([namedUuid('qos')])]]),
    ],
    value: { qos: key },
  };
}

export function planUnsetQos(
  nb: NbView,
  input: Omit<QosInput, 'rate' | 'burst'>,
): Plan<{ removed: boolean }> {
  const rule = checkRule(input.rule);
  const key = qosKey(checkMac(input.mac), input.type, rule, input.priority ?? 100);
  const ls = singleSwitch(nb, input.switchName);
  const q = nb.where('QoS', (r) => ls.qos_rules.includes(r._uuid) && r.external_ids[QOS_ID] === key)[0];
  if (!q) return { ops: [], value: { removed: false } };
  return {
    ops: [mutate('Logical_Switch', byUuid(ls._uuid), [['qos_rules', 'delete', toSet([uuid(q._uuid)])]])],
    value: { removed: true },
  };
}

// ---- verbs -------------------------------------------------------------------------------------

export const bindNic = (nb: NbView, input: NicPortInput) =>
  applyPlanned(nb.client, () => planBindNic(nb, input), { comment: `kubestack: bind NIC ${input.ifaceId}` });
export const unbindNic = (nb: NbView, ifaceId: string) =>
  applyPlanned(nb.client, () => planUnbindNic(nb, ifaceId), { comment: `kubestack: unbind NIC ${ifaceId}` });
export const bindFloatingIp = (nb: NbView, input: FloatingIpInput) =>
  applyPlanned(nb.client, () => planBindFloatingIp(nb, input), {
    comment: `kubestack: bind FIP ${input.fip}`,
  });
export const unbindFloatingIp = (nb: NbView, switchName: string, fip: string) =>
  applyPlanned(nb.client, () => planUnbindFloatingIp(nb, switchName, fip), {
    comment: `kubestack: unbind FIP ${fip}`,
  });
export const addAcl = (nb: NbView, input: AclInput) =>
  applyPlanned(nb.client, () => planAddAcl(nb, input), { comment: `kubestack: add ACL for ${input.vm}` });
export const removeAcl = (nb: NbView, input: Omit<AclInput, 'operator'>) =>
  applyPlanned(nb.client, () => planRemoveAcl(nb, input), {
    comment: `kubestack: remove ACL for ${input.vm}`,
  });
export const setQos = (nb: NbView, input: QosInput) =>
  applyPlanned(nb.client, () => planSetQos(nb, input), { comment: `kubestack: set QoS for ${input.vm}` });
export const unsetQos = (nb: NbView, input: Omit<QosInput, 'rate' | 'burst'>) =>
  applyPlanned(nb.client, () => planUnsetQos(nb, input), { comment: `kubestack: unset QoS for ${input.vm}` });
export const deleteVmPortGroup = (nb: NbView, vm: string) =>
  applyPlanned(nb.client, () => planDeleteVmPortGroup(nb, vm), {
    comment: `kubestack: delete port group of ${vm}`,
  });

/**
 * Waits until ovn-controller has claimed the NIC's port (northd sets `up`), i.e. the data plane is
 * wired (the original never checked). Fails with Timeout; honours `signal`.
 */
export async function waitPortUp(
  nb: NbView,
  ifaceId: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  await nb.client.waitUntil(
    () => nb.named('Logical_Switch_Port', ifaceId)[0]?.up === true,
    timeoutMs,
    signal,
  );
}
