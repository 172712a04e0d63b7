/**
 * Every operation the planners emit names real tables and columns, with values of the right shape,
 * per the schemas installed on the host (as generated into src/ovn/*-schema.gen.ts): a typo in a
 * column fails here, before any server sees it.
 */
import { describe, expect, it } from 'vitest';
import { planCreateAddress } from '../../../src/ovn/address-sets.js';
import { decode } from '../../../src/ovn/nb.js';
import { TABLES as NB } from '../../../src/ovn/nb-schema.gen.js';
import { planCreateSwitch, planModifySwitch } from '../../../src/ovn/network-ops.js';
import type { Operation, Value } from '../../../src/ovn/protocol.js';
import { isMap, isSet, toMap } from '../../../src/ovn/values.js';
import { planAddAcl, planBindFloatingIp, planBindNic, planSetQos } from '../../../src/ovn/vm-network.js';
import { OVS_MONITOR_COLUMNS } from '../../../src/ovn/vswitch.js';
import {
  planBridgeMapping,
  planCreateBridge,
  planPortVlan,
  planSetBridgeVlan,
} from '../../../src/ovn/vswitch-ops.js';
import { TABLES as OVS } from '../../../src/ovn/vswitch-schema.gen.js';
import { replica } from './replica.js';

type Tables = typeof NB;

function check(tables: Tables, ops: readonly Operation[]): string[] {
  const problems: string[] = [];
  const col = (table: string, c: string, v?: Value) => {
    const t = tables[table];
    if (!t) return problems.push(`unknown table ${table}`);
    if (c === '_uuid') return;
    const d = t.columns[c];
    if (!d) return problems.push(`unknown column ${table}.${c}`);
    if (v === undefined) return;
    if (isMap(v) && d.shape !== 'map') problems.push(`${table}.${c} is not a map`);
    if (d.shape === 'map' && !isMap(v)) problems.push(`${table}.${c} needs a map`);
    if (isSet(v) && d.shape === 'scalar' && v[1].length > 1) problems.push(`${table}.${c} holds one value`);
  };
  for (const op of ops) {
    if (!('table' in op)) continue;
    if ('row' in op) for (const [c, v] of Object.entries(op.row)) col(op.table, c, v);
    if ('where' in op) for (const [c] of op.where) col(op.table, c);
    if (op.op === 'mutate') for (const [c] of op.mutations) col(op.table, c);
    if (op.op === 'wait') for (const c of op.columns) col(op.table, c);
    if (op.op === 'select') for (const c of op.columns ?? []) col(op.table, c);
  }
  return problems;
}

const OWN = { 'kubestack/owner': 'VirtualMachineNetwork/sw1', 'kubestack/switch': 'sw1' };

describe('planned operations conform to the installed schemas', () => {
  it('Northbound: switch, address set and VM building blocks', () => {
    const empty = replica({}).nb;
    const full = replica({
      Logical_Switch: {
        ls: {
          name: 'sw1',
          ports: ['set', [['uuid', 'vif']]],
          other_config: toMap({ subnet: '10.0.0.0/24', exclude_ips: '10.0.0.1' }),
          external_ids: toMap(OWN),
        },
      },
      Logical_Switch_Port: {
        vif: {
          name: 'iface-1',
          addresses: '52:54:00:00:00:01 10.0.0.5',
          external_ids: toMap({ 'kubestack/mac': '52:54:00:00:00:01' }),
        },
      },
      Logical_Router: {
        lr: { name: 'sw1-router', external_ids: toMap({ ...OWN, 'kubestack/role': 'router' }) },
      },
      DHCP_Options: {
        d: {
          options: toMap({ router: '10.0.0.1' }),
          external_ids: toMap({ ...OWN, 'kubestack/role': 'dhcp' }),
        },
      },
    }).nb;
    const plans = [
      planCreateSwitch(empty, {
        name: 'sw1',
        subnet: '10.0.0.0/24',
        gateway: '10.0.0.1',
        dhcp: '10.0.0.1',
        bridge: 'br-ex',
        vlanId: 5,
        chassis: 'c',
      }),
      planModifySwitch(full, { name: 'sw1', mtu: 1400, gateway: '10.0.0.2' }),
      planCreateAddress(empty, 'web-1', '10.0.0.1'),
      planBindNic(full, {
        switchName: 'sw1',
        ifaceId: 'iface-2',
        mac: '52:54:00:00:00:02',
        ip: '10.0.0.6',
        vm: 'vm1',
      }),
      planBindFloatingIp(full, { switchName: 'sw1', mac: '52:54:00:00:00:01', fip: '172.16.0.5', vm: 'vm1' }),
      planAddAcl(full, { vm: 'vm1', type: 'to', rule: 'tcp.dst == 80', operator: 'allow' }),
      planSetQos(full, {
        switchName: 'sw1',
        vm: 'vm1',
        mac: '52:54:00:00:00:01',
        type: 'from',
        rule: 'ip',
        rate: 1000,
      }),
    ];
    for (const p of plans) {
      expect(p.ops.length).toBeGreaterThan(0);
      expect(check(NB, p.ops)).toEqual([]);
    }
    for (const t of Object.keys(decode)) expect(NB[t], t).toBeDefined();
  });

  it('Open_vSwitch: bridge, VLAN bridge, port tag, bridge mappings; monitored columns exist', () => {
    const { ovs } = replica({
      Open_vSwitch: { r: { external_ids: toMap({ 'system-id': 'h' }) } },
      Bridge: { b: { name: 'br-a', ports: ['set', [['uuid', 'p']]] } },
      Port: { p: { name: 'vnet0', interfaces: ['uuid', 'i'] } },
      Interface: { i: { name: 'vnet0', external_ids: toMap({ 'attached-mac': '52:54:00:00:00:01' }) } },
    });
    const plans = [
      planCreateBridge(ovs, { name: 'br-b', nic: 'eth9', vlan: 10, nicExists: () => true }),
      planSetBridgeVlan(ovs, 'br-a', 20),
      planPortVlan(ovs, 'br-a', '52:54:00:00:00:01', 30),
      planBridgeMapping(ovs, 'kst-br-a', 'br-a'),
    ];
    for (const p of plans) {
      expect(p.ops.length).toBeGreaterThan(0);
      expect(check(OVS as Tables, p.ops)).toEqual([]);
    }
    for (const [t, cols] of Object.entries(OVS_MONITOR_COLUMNS)) {
      for (const c of cols) expect(OVS[t]?.columns[c], `${t}.${c}`).toBeDefined();
    }
  });
});
