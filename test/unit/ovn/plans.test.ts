/** The operations as data: each plan is one transaction whose op list we can read and assert on. */
import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, InUseError, UnsupportedError, ValidationError } from '../../../src/errors.js';
import { planCreateAddress, planDeleteAddress } from '../../../src/ovn/address-sets.js';
import { planCreateSwitch, planDeleteSwitch, planModifySwitch } from '../../../src/ovn/network-ops.js';
import type { Operation, Row } from '../../../src/ovn/protocol.js';
import { emptySet, toMap } from '../../../src/ovn/values.js';
import {
  planBridgeMapping,
  planCreateBridge,
  planDelBridgeVlan,
  planPortVlan,
} from '../../../src/ovn/vswitch-ops.js';
import { replica } from './replica.js';

const OWN = (name: string) => ({
  'kubestack/owner': `VirtualMachineNetwork/${name}`,
  'kubestack/switch': name,
});
const summary = (ops: Operation[]) => ops.map((o) => `${o.op}${'table' in o ? ` ${o.table}` : ''}`);

describe('planCreateSwitch', () => {
  const input = {
    name: 'sw1',
    subnet: '192.168.5.1/24',
    gateway: '192.168.5.1',
    dhcp: '192.168.5.1',
    dnsServer: '"{8.8.8.8,1.1.1.1}"',
    excludeIPs: '192.168.5.2,192.168.5.10..192.168.5.20',
    chassis: 'ch1',
  };

  it('is one transaction: guards first, children before the rows referencing them', () => {
    const { nb } = replica({});
    const plan = planCreateSwitch(nb, input, () => '00:60:2f:00:00:01');
    expect(summary(plan.ops)).toEqual([
      'wait Logical_Switch',
      'wait Logical_Router',
      'insert DHCP_Options',
      'insert Logical_Router_Port',
      'insert Logical_Router',
      'insert Logical_Switch_Port',
      'insert Logical_Switch',
    ]);
    const [, , dhcp, lrp, lr, patch, ls] = plan.ops as Array<Extract<Operation, { op: 'insert' }>>;
    expect(dhcp?.row.cidr).toBe('192.168.5.0/24');
    expect(dhcp?.row.options).toEqual(
      toMap({
        server_id: '192.168.5.1',
        server_mac: '00:60:2f:00:00:01',
        lease_time: '3600',
        router: '192.168.5.1',
        mtu: '1442',
        dns_server: '{8.8.8.8, 1.1.1.1}',
      }),
    );
    expect(lrp?.row).toMatchObject({
      name: 'sw1-router-port',
      mac: '00:60:2f:00:00:01',
      networks: '192.168.5.1/24',
    });
    expect(lr?.row).toMatchObject({
      name: 'sw1-router',
      ports: ['named-uuid', 'lrp'],
      options: toMap({ chassis: 'ch1' }),
    });
    expect(patch?.row).toMatchObject({
      name: 'mapping-to-sw1-router',
      type: 'router',
      addresses: '00:60:2f:00:00:01',
    });
    expect(ls?.row.other_config).toEqual(
      toMap({ subnet: '192.168.5.0/24', exclude_ips: '192.168.5.2 192.168.5.10..192.168.5.20 192.168.5.1' }),
    );
  });

  it('guards names with an empty-rows wait (Logical_Switch has no name index)', () => {
    const { nb } = replica({});
    const w = planCreateSwitch(nb, input).ops[0];
    expect(w).toEqual({
      op: 'wait',
      table: 'Logical_Switch',
      where: [['name', '==', 'sw1']],
      columns: ['name'],
      until: '==',
      rows: [],
      timeout: 0,
    });
  });

  it('replays as a no-op when the switch is ours, refuses one that is not', () => {
    const ours = replica({ Logical_Switch: { u1: { name: 'sw1', external_ids: toMap(OWN('sw1')) } } });
    expect(planCreateSwitch(ours.nb, input).ops).toEqual([]);
    const theirs = replica({ Logical_Switch: { u1: { name: 'sw1' } } });
    expect(() => planCreateSwitch(theirs.nb, input)).toThrow(AlreadyExistsError);
  });

  it('validates before planning', () => {
    const { nb } = replica({});
    expect(() => planCreateSwitch(nb, { ...input, subnet: '10.0.0.0/33' })).toThrow(ValidationError);
    expect(() => planCreateSwitch(nb, { ...input, dhcp: '192.168.5.255' })).toThrow(/broadcast/);
    expect(() => planCreateSwitch(nb, { ...input, dnsServer: '8.8.8' })).toThrow(/dnsServer/);
    expect(() => planCreateSwitch(nb, { ...input, ipv6: true })).toThrow(UnsupportedError);
  });
});

describe('planModifySwitch / planDeleteSwitch', () => {
  const state = () =>
    replica({
      Logical_Switch: {
        ls: {
          name: 'sw1',
          ports: ['set', [['uuid', 'p1']]],
          other_config: toMap({ subnet: '10.0.0.0/24', exclude_ips: '10.0.0.1' }),
          external_ids: toMap({ ...OWN('sw1'), 'kubestack/exclude-ips': '' }),
        },
      },
      Logical_Switch_Port: { p1: { name: 'mapping-to-sw1-router', type: 'router' } },
      Logical_Router: {
        lr: { name: 'sw1-router', external_ids: toMap({ ...OWN('sw1'), 'kubestack/role': 'router' }) },
      },
      Logical_Router_Port: {
        lrp: {
          name: 'sw1-router-port',
          networks: '10.0.0.1/24',
          external_ids: toMap({ ...OWN('sw1'), 'kubestack/role': 'router-port' }),
        },
      },
      DHCP_Options: {
        d: {
          options: toMap({
            server_id: '10.0.0.1',
            router: '10.0.0.1',
            lease_time: '3600',
            dns_server: '8.8.8.8',
            x: 'keep',
          }),
          external_ids: toMap({ ...OWN('sw1'), 'kubestack/role': 'dhcp' }),
        },
      },
    });

  it('modify pins what it read and merges options', () => {
    const { nb } = state();
    const plan = planModifySwitch(nb, { name: 'sw1', mtu: 1400, dhcp: '10.0.0.2' });
    expect(summary(plan.ops)).toEqual([
      'wait Logical_Switch',
      'wait DHCP_Options',
      'update DHCP_Options',
      'update Logical_Router_Port',
      'wait Logical_Switch',
      'update Logical_Switch',
    ]);
    const upd = plan.ops[2] as Extract<Operation, { op: 'update' }>;
    expect(upd.row.options).toEqual(
      toMap({
        server_id: '10.0.0.2',
        router: '10.0.0.1',
        lease_time: '3600',
        dns_server: '8.8.8.8',
        x: 'keep',
        mtu: '1400',
      }),
    );
    expect(planModifySwitch(nb, { name: 'sw1' }).ops).toEqual([]);
  });

  it('delete removes the roots it owns in one transaction', () => {
    const { nb } = state();
    expect(summary(planDeleteSwitch(nb, 'sw1').ops)).toEqual([
      'wait Logical_Switch',
      'delete Logical_Switch',
      'delete Logical_Router',
      'delete DHCP_Options',
    ]);
    expect(planDeleteSwitch(replica({}).nb, 'sw1').ops).toEqual([]);
  });
});

describe('address set plans', () => {
  it('names become OVN identifiers; deletion refused while an ACL uses the set', () => {
    const { nb } = replica({});
    const plan = planCreateAddress(nb, '1web-servers', '10.0.0.1, 10.0.0.2');
    const ins = plan.ops[1] as Extract<Operation, { op: 'insert' }>;
    expect(ins.row.name).toBe('_1web_servers');
    expect(ins.row.addresses).toEqual(['set', ['10.0.0.1', '10.0.0.2']]);
    const used = replica({
      Address_Set: {
        a: { name: 'web', external_ids: toMap({ 'kubestack/owner': 'VirtualMachineNetwork/web' }) },
      },
      ACL: { x: { match: 'ip4.src == $web && tcp' } },
    });
    expect(() => planDeleteAddress(used.nb, 'web')).toThrow(InUseError);
    const free = replica({
      Address_Set: {
        a: { name: 'web', external_ids: toMap({ 'kubestack/owner': 'VirtualMachineNetwork/web' }) },
      },
      ACL: { x: { match: 'ip4.src == $web2' } },
    });
    expect(summary(planDeleteAddress(free.nb, 'web').ops)).toEqual([
      'wait Address_Set',
      'delete Address_Set',
    ]);
  });
});

describe('Open_vSwitch plans', () => {
  const root: Record<string, Record<string, Row>> = {
    Open_vSwitch: {
      r: { bridges: emptySet, external_ids: toMap({ 'ovn-bridge-datapath-type': 'netdev' }) },
    },
  };

  it('createBridge: ports and bridge inserted, Open_vSwitch.bridges mutated, no read-modify-write', () => {
    const { ovs } = replica(root);
    const plan = planCreateBridge(ovs, { name: 'br-a', nic: 'eth9', vlan: 10, nicExists: () => true });
    expect(summary(plan.ops)).toEqual([
      'wait Bridge',
      'insert Interface',
      'insert Port',
      'insert Interface',
      'insert Port',
      'insert Interface',
      'insert Port',
      'insert Bridge',
      'mutate Open_vSwitch',
    ]);
    const bridge = plan.ops[7] as Extract<Operation, { op: 'insert' }>;
    expect(bridge.row.datapath_type).toBe('netdev');
    const fake = plan.ops[6] as Extract<Operation, { op: 'insert' }>;
    expect(fake.row).toMatchObject({ name: 'br-a-10', fake_bridge: true, tag: 10 });
  });

  it('createBridge refuses a NIC that does not exist or sits on another bridge', () => {
    const { ovs } = replica(root);
    expect(() => planCreateBridge(ovs, { name: 'br-a', nic: 'eth9', nicExists: () => false })).toThrow(
      /no network/,
    );
    const taken = replica({
      ...root,
      Bridge: { b: { name: 'br-x', ports: ['uuid', 'p'] } },
      Port: { p: { name: 'eth9' } },
    });
    expect(() => planCreateBridge(taken.ovs, { name: 'br-a', nic: 'eth9', nicExists: () => true })).toThrow(
      InUseError,
    );
  });

  it('port VLAN: finds the tap by attached-mac and sets or clears the tag', () => {
    const { ovs } = replica({
      ...root,
      Bridge: { b: { name: 'br-a', ports: ['set', [['uuid', 'p']]] } },
      Port: { p: { name: 'vnet0', interfaces: ['uuid', 'i'], tag: ['set', []] } },
      Interface: { i: { name: 'vnet0', external_ids: toMap({ 'attached-mac': '52:54:00:00:00:01' }) } },
    });
    const set = planPortVlan(ovs, 'br-a', '52:54:00:00:00:01', 100);
    expect(set.ops[1]).toEqual({
      op: 'update',
      table: 'Port',
      where: [['_uuid', '==', ['uuid', 'p']]],
      row: { tag: 100 },
    });
    expect(planPortVlan(ovs, 'br-a', '52:54:00:00:00:01', undefined).ops).toEqual([]);
    expect(planDelBridgeVlan(ovs, 'br-a', 5).ops).toEqual([]);
  });

  it('bridge mappings are edited as a list, guarded by the value read', () => {
    const { ovs } = replica({
      Open_vSwitch: {
        r: { external_ids: toMap({ 'ovn-bridge-mappings': 'a:br-a,kst-x:br-x', 'system-id': 'h' }) },
      },
    });
    const rm = planBridgeMapping(ovs, 'kst-x', undefined);
    expect(rm.ops[0]?.op).toBe('wait');
    expect((rm.ops[1] as Extract<Operation, { op: 'update' }>).row.external_ids).toEqual(
      toMap({ 'ovn-bridge-mappings': 'a:br-a', 'system-id': 'h' }),
    );
    expect(planBridgeMapping(ovs, 'a', 'br-a').ops).toEqual([]);
  });
});
