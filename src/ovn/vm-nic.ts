/**
 * The VM operations' Northbound transactions, composed from the building blocks of vm-network.ts
 * so that each operation is ONE transaction: plug a NIC (its port, and its membership of the VM's
 * port group when ACLs exist), remove a NIC's rows (port, QoS, floating IPs, and the port group with
 * its ACLs once the VM has no OVN NIC left), remove everything of a VM (DeleteVM), and the ACL/QoS
 * variants that act on several rows at once.
 */
import { ValidationError } from '../errors.js';
import type { Acl, LogicalSwitchPort, Nat, NbView, Qos } from './nb.js';
import { byUuid, mutate } from './ops.js';
import { ACL_ID, NIC_MAC, OWNER, ROLE, VM, vmOwner } from './ownership.js';
import type { Mutation, Operation } from './protocol.js';
import { applyPlanned, type Plan } from './txn.js';
import { namedUuid, toSet, uuid } from './values.js';
import { planFipRowsRemoval } from './vm-fip.js';
import {
  type NicPortInput,
  planBindNic,
  planDeleteVmPortGroup,
  planSetQos,
  type QosInput,
  vmPortGroupName,
} from './vm-network.js';

/** Gives every named uuid of `ops` a suffix, so plans that each use `qos`/`vif` can share one txn. */
export function withUuidSuffix(ops: readonly Operation[], suffix: string): Operation[] {
  const rename = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      if (v.length === 2 && v[0] === 'named-uuid' && typeof v[1] === 'string')
        return ['named-uuid', `${v[1]}${suffix}`];
      return v.map(rename);
    }
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, k === 'uuid-name' ? `${x}${suffix}` : rename(x)]),
      );
    }
    return v;
  };
  return ops.map((op) => rename(op) as Operation);
}

/** The VM's NIC ports (tag `kubestack/vm`), optionally only the one with MAC `mac`. */
export function vmNicPorts(nb: NbView, vm: string, mac?: string): LogicalSwitchPort[] {
  const tags: Record<string, string> = { [VM]: vm, [ROLE]: 'nic' };
  if (mac !== undefined) tags[NIC_MAC] = mac;
  return nb.owned('Logical_Switch_Port', tags);
}

/** The switch a port belongs to (by reference, not by tag). */
export function switchOfPort(nb: NbView, lsp: LogicalSwitchPort): string | undefined {
  return nb.where('Logical_Switch', (ls) => ls.ports.includes(lsp._uuid))[0]?.name;
}

/** The NIC's port and, when the VM has a port group (ACLs), its membership: one transaction. */
export function planPlugNic(nb: NbView, input: NicPortInput): Plan<{ port: string }> {
  const bind = planBindNic(nb, input);
  const pg = nb.named('Port_Group', vmPortGroupName(input.vm))[0];
  if (!pg) return bind;
  const existing = nb.named('Logical_Switch_Port', input.ifaceId)[0];
  if (existing && pg.ports.includes(existing._uuid)) return bind;
  const member = existing ? uuid(existing._uuid) : namedUuid('vif');
  return {
    ops: [...bind.ops, mutate('Port_Group', byUuid(pg._uuid), [['ports', 'insert', toSet([member])]])],
    value: bind.value,
  };
}

type QosRow = Qos;
type NatRow = Nat;

/** Removes the given NIC ports, the QoS rows and the floating IPs selected: mutates of their parents. */
function rowsRemoval(
  nb: NbView,
  ports: readonly LogicalSwitchPort[],
  qosPick: (q: QosRow) => boolean,
  natPick: (n: NatRow) => boolean,
): Operation[] {
  const ops: Operation[] = [];
  const portIds = new Set(ports.map((p) => p._uuid));
  const qosIds = new Set(nb.where('QoS', qosPick).map((q) => q._uuid));
  for (const ls of nb.all('Logical_Switch')) {
    const mutations: Mutation[] = [];
    const myPorts = ls.ports.filter((p) => portIds.has(p));
    const myQos = ls.qos_rules.filter((q) => qosIds.has(q));
    if (myPorts.length > 0) mutations.push(['ports', 'delete', toSet(myPorts.map(uuid))]);
    if (myQos.length > 0) mutations.push(['qos_rules', 'delete', toSet(myQos.map(uuid))]);
    if (mutations.length > 0) ops.push(mutate('Logical_Switch', byUuid(ls._uuid), mutations));
  }
  ops.push(...planFipRowsRemoval(nb, natPick));
  return ops;
}

/**
 * UnplugNIC: the NIC's port with its QoS rows and floating IPs; the VM's port group (and so its
 * ACLs) too when this was its last OVN NIC. Nothing to remove = an empty plan.
 */
export function planUnplugNicRows(nb: NbView, vm: string, mac: string): Plan<{ removed: boolean }> {
  const ports = vmNicPorts(nb, vm, mac);
  const ofNic = (ids: Record<string, string>): boolean => ids[VM] === vm && ids[NIC_MAC] === mac;
  const ops = rowsRemoval(
    nb,
    ports,
    (q) => ofNic(q.external_ids),
    (n) => ofNic(n.external_ids),
  );
  const others = vmNicPorts(nb, vm).filter((p) => !ports.some((q) => q._uuid === p._uuid));
  if (others.length === 0) ops.push(...planDeleteVmPortGroup(nb, vm).ops);
  return { ops, value: { removed: ops.length > 0 } } as Plan<{ removed: boolean }>;
}

/** DeleteVM: every NIC port, QoS row, floating IP, the port group and its ACLs of the VM. */
export function planRemoveVmNetwork(nb: NbView, vm: string): Plan<{ removed: boolean }> {
  const ofVm = (ids: Record<string, string>): boolean => ids[VM] === vm && ids[OWNER] === vmOwner(vm);
  const ops = rowsRemoval(
    nb,
    vmNicPorts(nb, vm),
    (q) => ofVm(q.external_ids),
    (n) => ofVm(n.external_ids),
  );
  ops.push(...planDeleteVmPortGroup(nb, vm).ops);
  return { ops, value: { removed: ops.length > 0 } } as Plan<{ removed: boolean }>;
}

export interface AclFilter {
  type?: 'from' | 'to' | undefined;
  priority?: number | undefined;
}

/** The VM's ACLs (on its port group), optionally only those of one direction and/or priority. */
export function vmAcls(nb: NbView, vm: string, filter: AclFilter = {}): Acl[] {
  const pg = nb.named('Port_Group', vmPortGroupName(vm))[0];
  if (!pg) return [];
  const direction =
    filter.type === undefined ? undefined : filter.type === 'from' ? 'from-lport' : 'to-lport';
  return nb.where(
    'ACL',
    (a) =>
      pg.acls.includes(a._uuid) &&
      a.external_ids[ACL_ID] !== undefined &&
      (direction === undefined || a.direction === direction) &&
      (filter.priority === undefined || a.priority === filter.priority),
  );
}

/** Removes the VM's ACLs matching `filter` (all of them with an empty filter): one mutate. */
export function planRemoveAcls(nb: NbView, vm: string, filter: AclFilter = {}): Plan<{ removed: number }> {
  const acls = vmAcls(nb, vm, filter);
  const pg = nb.named('Port_Group', vmPortGroupName(vm))[0];
  if (!pg || acls.length === 0) return { ops: [], value: { removed: 0 } };
  return {
    ops: [
      mutate('Port_Group', byUuid(pg._uuid), [['acls', 'delete', toSet(acls.map((a) => uuid(a._uuid)))]]),
    ],
    value: { removed: acls.length },
  };
}

/** Sets the same QoS rule on several NIC ports of the VM (SetQoS names a switch, not a NIC). */
export function planSetQosOnNics(
  nb: NbView,
  base: Omit<QosInput, 'mac'>,
  macs: readonly string[],
): Plan<{ qos: string[] }> {
  if (macs.length === 0) {
    throw new ValidationError(`VM '${base.vm}' has no NIC on switch '${base.switchName}'`, 'swName');
  }
  const plans = macs.map((mac) => planSetQos(nb, { ...base, mac }));
  const ops = plans.flatMap((p, i) => withUuidSuffix(p.ops, `_${i}`));
  return { ops, value: { qos: plans.map((p) => p.value.qos) } } as Plan<{ qos: string[] }>;
}

// ---- verbs -------------------------------------------------------------------------------------

export const plugNicPort = (nb: NbView, input: NicPortInput) =>
  applyPlanned(nb.client, () => planPlugNic(nb, input), { comment: `kubestack: plug NIC ${input.ifaceId}` });
export const unplugNicRows = (nb: NbView, vm: string, mac: string) =>
  applyPlanned(nb.client, () => planUnplugNicRows(nb, vm, mac), {
    comment: `kubestack: unplug NIC ${mac} of ${vm}`,
  });
export const removeVmNetwork = (nb: NbView, vm: string) =>
  applyPlanned(nb.client, () => planRemoveVmNetwork(nb, vm), {
    comment: `kubestack: remove network of ${vm}`,
  });
export const removeAcls = (nb: NbView, vm: string, filter: AclFilter = {}) =>
  applyPlanned(nb.client, () => planRemoveAcls(nb, vm, filter), {
    comment: `kubestack: remove ACLs of ${vm}`,
  });
export const setQosOnNics = (nb: NbView, base: Omit<QosInput, 'mac'>, macs: readonly string[]) =>
  applyPlanned(nb.client, () => planSetQosOnNics(nb, base, macs), {
    comment: `kubestack: set QoS for ${base.vm}`,
  });
