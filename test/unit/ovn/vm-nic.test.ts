/** The VM networking transactions as data: what one UnplugNIC / DeleteVM removes, and only that. */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../src/ovn/protocol.js';
import { toMap, toSet, uuid } from '../../../src/ovn/values.js';
import { planRemoveVmNetwork, planUnplugNicRows, withUuidSuffix } from '../../../src/ovn/vm-nic.js';
import { replica } from './replica.js';

const nic = (vm: string, mac: string) =>
  toMap({
    'kubestack/owner': `VirtualMachine/${vm}`,
    'kubestack/vm': vm,
    'kubestack/mac': mac,
    'kubestack/role': 'nic',
  });
const M1 = '52:54:00:00:00:01';
const M2 = '52:54:00:00:00:02';

function bed(withSecondNic: boolean) {
  const ports = withSecondNic ? ['p1', 'p2', 'x'] : ['p1', 'x'];
  return replica({
    Logical_Switch: {
      s1: { name: 'sw1', ports: toSet(ports.map(uuid)), qos_rules: toSet([uuid('q1'), uuid('qx')]) },
    },
    Logical_Switch_Port: {
      p1: { name: 'i1', external_ids: nic('vm1', M1) },
      ...(withSecondNic ? { p2: { name: 'i2', external_ids: nic('vm1', M2) } } : {}),
      x: { name: 'other', external_ids: nic('vm2', M1) },
    },
    QoS: {
      q1: {
        external_ids: toMap({
          'kubestack/owner': 'VirtualMachine/vm1',
          'kubestack/vm': 'vm1',
          'kubestack/mac': M1,
        }),
      },
      qx: {
        external_ids: toMap({
          'kubestack/owner': 'VirtualMachine/vm2',
          'kubestack/vm': 'vm2',
          'kubestack/mac': M1,
        }),
      },
    },
    Port_Group: {
      g1: {
        name: 'kst_vm1',
        ports: toSet([uuid('p1')]),
        external_ids: toMap({ 'kubestack/owner': 'VirtualMachine/vm1' }),
      },
    },
  }).nb;
}

const mutations = (ops: Operation[]) =>
  ops.flatMap((o) =>
    o.op === 'mutate' ? o.mutations.map((m) => `${o.table}.${m[0]} ${m[1]} ${JSON.stringify(m[2])}`) : [],
  );

describe('planUnplugNicRows', () => {
  it("removes the NIC's port and QoS row in one mutate, keeps the port group while another NIC remains", () => {
    const plan = planUnplugNicRows(bed(true), 'vm1', M1);
    expect(mutations(plan.ops)).toEqual([
      'Logical_Switch.ports delete ["set",[["uuid","p1"]]]',
      'Logical_Switch.qos_rules delete ["set",[["uuid","q1"]]]',
    ]);
    expect(plan.ops.some((o) => o.op === 'delete')).toBe(false);
  });

  it('deletes the port group (and so the ACLs) with the last OVN NIC of the VM', () => {
    const plan = planUnplugNicRows(bed(false), 'vm1', M1);
    expect(plan.ops.filter((o) => o.op === 'delete').map((o) => ('table' in o ? o.table : ''))).toEqual([
      'Port_Group',
    ]);
  });

  it('has nothing to do for a NIC without rows', () => {
    expect(planUnplugNicRows(bed(true), 'vm1', '52:54:00:00:00:09').ops).toEqual([]);
  });
});

describe('planRemoveVmNetwork', () => {
  it("removes every row of the VM and none of another VM's with the same MAC", () => {
    const plan = planRemoveVmNetwork(bed(true), 'vm1');
    const text = JSON.stringify(plan.ops);
    expect(text).toContain('"p1"');
    expect(text).toContain('"p2"');
    expect(text).toContain('"q1"');
    expect(text).not.toContain('"x"');
    expect(text).not.toContain('"qx"');
  });
});

describe('withUuidSuffix', () => {
  it('renames the named uuids of an op list consistently', () => {
    const ops: Operation[] = [
      { op: 'insert', table: 'QoS', row: {}, 'uuid-name': 'qos' },
      {
        op: 'mutate',
        table: 'Logical_Switch',
        where: [],
        mutations: [['qos_rules', 'insert', ['set', [['named-uuid', 'qos']]]]],
      },
    ];
    expect(JSON.stringify(withUuidSuffix(ops, '_1'))).toBe(
      JSON.stringify(ops).replaceAll('"qos"', '"qos_1"'),
    );
  });
});
