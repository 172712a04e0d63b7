/**
 * The VirtualMachineNetwork L2 operations on the local Open_vSwitch DB: bridges with an uplink NIC,
 * VLAN "fake bridges" (an internal port with a tag, usable as a libvirt bridge source), the access
 * tag of a VM's tap, and the host's `ovn-bridge-mappings`. One guarded transaction each; ownership
 * in `external_ids`; after a change, waits for ovs-vswitchd to apply it (next_cfg → cur_cfg).
 */
import { existsSync } from 'node:fs';
import { AlreadyExistsError, InUseError, NotFoundError, ValidationError } from '../errors.js';
import type { Logger } from '../log.js';
import { checkBridgeName, checkMac, checkNicName, checkVlan } from './names.js';
import { byUuid, insert, mutate, select, update, waitAbsent, waitColumn, waitIs } from './ops.js';
import { networkOwner, OWNER, ROLE } from './ownership.js';
import type { Atom, Operation } from './protocol.js';
import { applyPlanned, type Plan } from './txn.js';
import { emptySet, namedUuid, toMap, toSet, uuid } from './values.js';
import type { Bridge, Interface, OvsView, Port } from './vswitch.js';

export interface BridgeState {
  bridge: Bridge;
  ports: Array<{ port: Port; interfaces: Interface[] }>;
}

export function observeBridge(ovs: OvsView, name: string): BridgeState | undefined {
  const bridge = ovs.named('Bridge', name);
  if (!bridge) return undefined;
  const ports = bridge.ports
    .map((p) => ovs.get('Port', p))
    .filter((p) => p !== undefined)
    .map((port) => ({
      port,
      interfaces: port.interfaces.map((i) => ovs.get('Interface', i)).filter((i) => i !== undefined),
    }));
  return { bridge, ports };
}

/** The fake-bridge port carrying VLAN `vlan` on `bridge`. */
export function vlanBridgeName(bridge: string, vlan: number): string {
  const n = `${bridge}-${vlan}`;
  if (n.length > 15) {
    throw new ValidationError(
      `VLAN bridge name '${n}' exceeds 15 characters; use a shorter bridge name`,
      'vlan',
    );
  }
  return n;
}

/** The datapath new bridges use: the one OVN uses for br-int on this host, else the kernel's. */
export function hostDatapathType(ovs: OvsView): string {
  const root = ovs.root();
  const fromOvn = root?.external_ids['ovn-bridge-datapath-type'];
  if (fromOvn) return fromOvn;
  return ovs.named('Bridge', root?.external_ids['ovn-bridge'] ?? 'br-int')?.datapath_type ?? '';
}

function rootOf(ovs: OvsView): { _uuid: string } {
  const root = ovs.root();
  if (!root) throw new NotFoundError('Open_vSwitch row', '.');
  return root;
}

const isOwned = (ids: Record<string, string>, name: string): boolean => ids[OWNER] === networkOwner(name);

export interface CreateBridgeInput {
  /** Bridge name (the CR name). */
  name: string;
  /** The host NIC to enslave as uplink. */
  nic: string;
  vlan?: number | undefined;
  datapathType?: string | undefined;
  /** Whether `nic` exists on the host (default: /sys/class/net). */
  nicExists?: (nic: string) => boolean;
}

const sysNicExists = (nic: string): boolean => existsSync(`/sys/class/net/${nic}`);

export function planCreateBridge(ovs: OvsView, input: CreateBridgeInput): Plan<{ created: boolean }> {
  const name = checkBridgeName(input.name);
  const nic = checkNicName(input.nic);
  const vlan = input.vlan === undefined ? 0 : checkVlan(input.vlan);
  const vb = vlan > 0 ? vlanBridgeName(name, vlan) : undefined;
  if (nic === name) throw new ValidationError('the uplink NIC cannot be the bridge itself', 'nic');
  const root = rootOf(ovs);
  const owner = { [OWNER]: networkOwner(name) };
  const existing = ovs.named('Bridge', name);
  const nicPort = ovs.named('Port', nic);
  if (nicPort && !(existing?.ports.includes(nicPort._uuid) ?? false)) {
    throw new InUseError(`NIC '${nic}' is already a port of another OVS bridge`);
  }
  if (!nicPort && !(input.nicExists ?? sysNicExists)(nic)) {
    throw new ValidationError(`no network interface '${nic}' on this host`, 'nic');
  }
  const ops: Operation[] = [];
  const newPorts: Atom[] = [];
  if (!nicPort) {
    ops.push(
      insert('Interface', { name: nic }, 'ui'),
      insert(
        'Port',
        { name: nic, interfaces: namedUuid('ui'), external_ids: toMap({ ...owner, [ROLE]: 'uplink' }) },
        'up',
      ),
    );
    newPorts.push(namedUuid('up'));
  }
  if (vb && !ovs.named('Port', vb)) {
    ops.push(...insertVlanBridgePort(vb, vlan, owner));
    newPorts.push(namedUuid('vp'));
  } else if (vb) {
    const p = ovs.named('Port', vb);
    if (p && !(existing?.ports.includes(p._uuid) ?? false))
      throw new InUseError(`port '${vb}' exists on another bridge`);
  }
  if (existing) {
    if (!isOwned(existing.external_ids, name)) throw new AlreadyExistsError('OVS bridge', name);
    if (ops.length === 0) return { ops: [], value: { created: false } };
    return {
      ops: [
        waitIs('Bridge', name, existing._uuid),
        ...ops,
        mutate('Bridge', byUuid(existing._uuid), [['ports', 'insert', toSet(newPorts)]]),
      ],
      value: { created: false },
    };
  }
  if (ovs.named('Port', name) || ovs.named('Interface', name)) throw new AlreadyExistsError('OVS port', name);
  ops.unshift(
    waitAbsent('Bridge', name),
    insert('Interface', { name, type: 'internal' }, 'bi'),
    insert('Port', { name, interfaces: namedUuid('bi') }, 'bp'),
  );
  ops.push(
    insert(
      'Bridge',
      {
        name,
        ports: toSet([namedUuid('bp'), ...newPorts]),
        datapath_type: input.datapathType ?? hostDatapathType(ovs),
        external_ids: toMap({ ...owner, [ROLE]: 'bridge' }),
      },
      'br',
    ),
    mutate('Open_vSwitch', byUuid(root._uuid), [['bridges', 'insert', toSet([namedUuid('br')])]]),
  );
  return { ops, value: { created: true } };
}

export function planDeleteBridge(ovs: OvsView, name: string, nic?: string): Plan<{ deleted: boolean }> {
  checkBridgeName(name);
  const state = observeBridge(ovs, name);
  if (!state) return { ops: [], value: { deleted: false } };
  if (!isOwned(state.bridge.external_ids, name)) {
    throw new InUseError(`OVS bridge '${name}' was not created by kubestack; refusing to delete it`);
  }
  const ours = (p: Port): boolean => p.name === name || p.external_ids[OWNER] === networkOwner(name);
  const others = state.ports.filter((p) => !ours(p.port));
  if (others.length > 0) {
    throw new InUseError(
      `OVS bridge '${name}' still has ${others.length} other port(s): ${others.map((p) => p.port.name).join(', ')}`,
    );
  }
  if (nic !== undefined) {
    checkNicName(nic);
    const uplink = state.ports.find((p) => p.port.external_ids[ROLE] === 'uplink');
    if (uplink && uplink.port.name !== nic) {
      throw new ValidationError(`bridge '${name}' is attached to '${uplink.port.name}', not '${nic}'`, 'nic');
    }
  }
  const root = rootOf(ovs);
  return {
    ops: [
      waitIs('Bridge', name, state.bridge._uuid),
      mutate('Open_vSwitch', byUuid(root._uuid), [['bridges', 'delete', toSet([uuid(state.bridge._uuid)])]]),
    ],
    value: { deleted: true },
  };
}

/**
 * Inserts the internal interface and the fake-bridge port `vb` tagged `vlan` (named rows 'vi' and
 * 'vp'; the caller adds 'vp' to its bridge's ports).
 */
function insertVlanBridgePort(
  vb: string,
  vlan: number,
  owner: Readonly<Record<string, string>>,
): Operation[] {
  return [
    insert('Interface', { name: vb, type: 'internal' }, 'vi'),
    insert(
      'Port',
      {
        name: vb,
        fake_bridge: true,
        tag: vlan,
        interfaces: namedUuid('vi'),
        external_ids: toMap({ ...owner, [ROLE]: 'vlan-bridge' }),
      },
      'vp',
    ),
  ];
}

/** The checked bridge, VLAN and VLAN-bridge port name of Set/DelBridgeVlan; NotFound without the bridge. */
function vlanBridgeOf(ovs: OvsView, name: string, vlanIn: number): { br: Bridge; vlan: number; vb: string } {
  checkBridgeName(name);
  const vlan = checkVlan(vlanIn, 'vlan', 1);
  const vb = vlanBridgeName(name, vlan);
  const br = ovs.named('Bridge', name);
  if (!br) throw new NotFoundError('OVS bridge', name);
  return { br, vlan, vb };
}

export function planSetBridgeVlan(ovs: OvsView, name: string, vlanIn: number): Plan<{ port: string }> {
  const { br, vlan, vb } = vlanBridgeOf(ovs, name, vlanIn);
  const existing = ovs.named('Port', vb);
  if (existing) {
    if (br.ports.includes(existing._uuid) && existing.tag === vlan && existing.fake_bridge) {
      return { ops: [], value: { port: vb } };
    }
    throw new AlreadyExistsError('OVS port', vb);
  }
  return {
    ops: [
      waitIs('Bridge', name, br._uuid),
      waitAbsent('Port', vb),
      ...insertVlanBridgePort(vb, vlan, { [OWNER]: networkOwner(name) }),
      mutate('Bridge', byUuid(br._uuid), [['ports', 'insert', toSet([namedUuid('vp')])]]),
    ],
    value: { port: vb },
  };
}

export function planDelBridgeVlan(ovs: OvsView, name: string, vlanIn: number): Plan<{ deleted: boolean }> {
  const { br, vb } = vlanBridgeOf(ovs, name, vlanIn);
  const port = ovs.named('Port', vb);
  if (!port) return { ops: [], value: { deleted: false } };
  if (!br.ports.includes(port._uuid) || !port.fake_bridge) {
    throw new InUseError(`port '${vb}' is not a VLAN bridge of '${name}'`);
  }
  return {
    ops: [
      waitIs('Port', vb, port._uuid),
      mutate('Bridge', byUuid(br._uuid), [['ports', 'delete', toSet([uuid(port._uuid)])]]),
    ],
    value: { deleted: true },
  };
}

/** The tap port of the VM NIC with MAC `mac` (libvirt writes `attached-mac` on its Interface). */
export function findVmPort(ovs: OvsView, mac: string): { port: Port; iface: Interface } | undefined {
  const m = checkMac(mac);
  const ifaces = ovs.where('Interface', (i) => i.external_ids['attached-mac']?.toLowerCase() === m);
  if (ifaces.length > 1) throw new InUseError(`${ifaces.length} OVS interfaces carry MAC ${m}`);
  const iface = ifaces[0];
  if (!iface) return undefined;
  const port = ovs.where('Port', (p) => p.interfaces.includes(iface._uuid))[0];
  return port ? { port, iface } : undefined;
}

/** The OVS interface bound to logical port `ifaceId` (libvirt writes `external_ids:iface-id`). */
export function findInterfaceByIfaceId(ovs: OvsView, ifaceId: string): Interface | undefined {
  return ovs.where('Interface', (i) => i.external_ids['iface-id'] === ifaceId)[0];
}

/** Sets (vlan) or clears (undefined) the access tag of the VM's tap on `bridge` (or its VLAN bridges). */
export function planPortVlan(
  ovs: OvsView,
  bridge: string,
  mac: string,
  vlan: number | undefined,
): Plan<{ port: string }> {
  if (vlan !== undefined) checkVlan(vlan, 'vlan', 1);
  const br = ovs.named('Bridge', checkBridgeName(bridge));
  if (!br) throw new NotFoundError('OVS bridge', bridge);
  const found = findVmPort(ovs, mac);
  if (!found || !br.ports.includes(found.port._uuid)) {
    throw new NotFoundError(`VM port on bridge '${bridge}' with MAC`, mac);
  }
  const { port } = found;
  if (port.tag === vlan) return { ops: [], value: { port: port.name } };
  return {
    ops: [
      waitColumn('Port', port._uuid, 'name', port.name),
      update('Port', byUuid(port._uuid), { tag: vlan === undefined ? emptySet : vlan }),
    ],
    value: { port: port.name },
  };
}

/** Parses `ovn-bridge-mappings` ("physnet:bridge,…"). */
export function parseBridgeMappings(text: string | undefined): Array<[string, string]> {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const i = s.indexOf(':');
      return [s.slice(0, i), s.slice(i + 1)] as [string, string];
    });
}

/** Adds (bridge) or removes (undefined) the mapping of `physnet`, editing the list as data. */
export function planBridgeMapping(
  ovs: OvsView,
  physnet: string,
  bridge: string | undefined,
): Plan<{ changed: boolean }> {
  const root = ovs.root();
  if (!root) throw new NotFoundError('Open_vSwitch row', '.');
  const current = parseBridgeMappings(root.external_ids['ovn-bridge-mappings']);
  const rest = current.filter(([p]) => p !== physnet);
  const at = current.findIndex(([p]) => p === physnet);
  // Replace in place (order kept), append when new, drop when bridge is undefined.
  const next: Array<[string, string]> =
    bridge === undefined
      ? rest
      : at >= 0
        ? current.map(([p, b]) => (p === physnet ? [p, bridge] : [p, b]))
        : [...current, [physnet, bridge]];
  const text = next.map(([p, b]) => `${p}:${b}`).join(',');
  if (text === (root.external_ids['ovn-bridge-mappings'] ?? ''))
    return { ops: [], value: { changed: false } };
  const ids = { ...root.external_ids };
  if (text) ids['ovn-bridge-mappings'] = text;
  else delete ids['ovn-bridge-mappings'];
  return {
    ops: [
      waitColumn('Open_vSwitch', root._uuid, 'external_ids', toMap(root.external_ids)),
      update('Open_vSwitch', byUuid(root._uuid), { external_ids: toMap(ids) }),
    ],
    value: { changed: true },
  };
}

/**
 * Applies a plan on the local DB and, like the OVS command line without --no-wait, waits until ovs-vswitchd
 * has applied it (cur_cfg reaches the next_cfg this transaction set).
 */
export async function applyOvs<T>(
  ovs: OvsView,
  plan: () => Plan<T>,
  opts: { comment: string; log?: Logger; vswitchdWaitMs?: number },
): Promise<{ value: T; changed: boolean }> {
  const root = () => rootOf(ovs)._uuid;
  const applied = await applyPlanned(
    ovs.client,
    () => {
      const p = plan();
      if (p.ops.length === 0) return p;
      return {
        ops: [
          ...p.ops,
          mutate('Open_vSwitch', byUuid(root()), [['next_cfg', '+=', 1]]),
          select('Open_vSwitch', byUuid(root()), ['next_cfg']),
        ],
        value: p.value,
      };
    },
    { comment: opts.comment },
  );
  if (!applied.noop) {
    const sel = applied.results[applied.results.length - 2]?.rows?.[0]?.next_cfg;
    if (typeof sel === 'number') {
      const done = (): boolean => {
        const cur = ovs.client.cache.get('Open_vSwitch', root())?.cur_cfg;
        return typeof cur === 'number' && cur >= sel;
      };
      await ovs.client.waitUntil(done, opts.vswitchdWaitMs ?? 5000).catch(() => {
        opts.log?.warn({ next_cfg: sel }, 'ovs-vswitchd has not applied the change yet');
      });
    }
  }
  return { value: applied.value, changed: !applied.noop };
}

export async function createBridge(ovs: OvsView, input: CreateBridgeInput, log?: Logger) {
  const r = await applyOvs(ovs, () => planCreateBridge(ovs, input), {
    comment: `kubestack: createBridge ${input.name}`,
    ...(log ? { log } : {}),
  });
  return { ...r, state: observeBridge(ovs, input.name) };
}

export async function deleteBridge(ovs: OvsView, name: string, nic?: string, log?: Logger) {
  return applyOvs(ovs, () => planDeleteBridge(ovs, name, nic), {
    comment: `kubestack: deleteBridge ${name}`,
    ...(log ? { log } : {}),
  });
}

export async function setBridgeVlan(ovs: OvsView, name: string, vlan: number, log?: Logger) {
  const r = await applyOvs(ovs, () => planSetBridgeVlan(ovs, name, vlan), {
    comment: `kubestack: setBridgeVlan ${name} ${vlan}`,
    ...(log ? { log } : {}),
  });
  return { ...r, state: observeBridge(ovs, name) };
}

export async function delBridgeVlan(ovs: OvsView, name: string, vlan: number, log?: Logger) {
  const r = await applyOvs(ovs, () => planDelBridgeVlan(ovs, name, vlan), {
    comment: `kubestack: delBridgeVlan ${name} ${vlan}`,
    ...(log ? { log } : {}),
  });
  return { ...r, state: observeBridge(ovs, name) };
}

export async function bindPortVlan(ovs: OvsView, bridge: string, mac: string, vlan: number, log?: Logger) {
  const r = await applyOvs(ovs, () => planPortVlan(ovs, bridge, mac, vlan), {
    comment: `kubestack: bindPortVlan ${mac} ${vlan}`,
    ...(log ? { log } : {}),
  });
  return { ...r, state: observeBridge(ovs, bridge) };
}

export async function unbindPortVlan(ovs: OvsView, bridge: string, mac: string, log?: Logger) {
  const r = await applyOvs(ovs, () => planPortVlan(ovs, bridge, mac, undefined), {
    comment: `kubestack: unbindPortVlan ${mac}`,
    ...(log ? { log } : {}),
  });
  return { ...r, state: observeBridge(ovs, bridge) };
}

export async function setBridgeMapping(
  ovs: OvsView,
  physnet: string,
  bridge: string | undefined,
  log?: Logger,
) {
  return applyOvs(ovs, () => planBridgeMapping(ovs, physnet, bridge), {
    comment: `kubestack: bridge mapping ${physnet}`,
    ...(log ? { log } : {}),
  });
}

/** The chassis name of this host (OVS `system-id`), which OVN gateway routers are pinned to. */
export function localChassis(ovs: OvsView): string {
  return ovs.root()?.external_ids['system-id'] ?? '';
}
