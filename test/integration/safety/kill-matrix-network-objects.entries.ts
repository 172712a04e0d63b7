/**
 * The kill -9 matrix, network-objects group: the VirtualMachineNetwork operations on OVS bridges
 * (read back with ovs-vsctl), OVN switches and address sets (read back with ovn-nbctl). Each is one
 * OVSDB transaction, so a kill leaves the whole change or none of it.
 */
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { createAddressOp } from '../../../src/executors/virtual-machine-network/create-address.js';
import { createBridgeOp } from '../../../src/executors/virtual-machine-network/create-bridge.js';
import { createSwitchOp } from '../../../src/executors/virtual-machine-network/create-switch.js';
import { setBridgeVlanOp } from '../../../src/executors/virtual-machine-network/set-bridge-vlan.js';
import { runOp } from '../e2e/helpers.js';
import { nbctl, nbFind, vsctl } from '../ovn/fixture.js';
import { type MatrixEntry, type MatrixHost, removeSwitch, switchRows } from './kill-matrix.entries.js';

/** Bridge names: `hs11b` + 6 hex = 11 characters, so `<bridge>-<vlan>` stays within OVS's 15. */
const bridgeName = (): string => `hs11b${randomBytes(3).toString('hex')}`;
const uplinkOf = (br: string) => `hs11v${br.slice(5)}a`;
const peerOf = (br: string) => `hs11v${br.slice(5)}b`;
const tapOf = (br: string) => `hs11t${br.slice(5)}`;
const macOf = (br: string) => `52:54:${br.slice(5, 7)}:${br.slice(7, 9)}:${br.slice(9, 11)}:0b`;
const VLAN = '200';
const PORT_VLAN = '300';

const bridgeExists = async (br: string): Promise<boolean> =>
  (await vsctl('list-br')).split('\n').includes(br);
const portExists = async (port: string): Promise<boolean> =>
  (await vsctl('--bare', '--columns=name', 'find', 'Port', `name=${port}`)) !== '';

/** A bridge made by createBridge on a fresh veth uplink (never a host NIC in use). */
async function prepareBridge(h: MatrixHost, br: string, withVlan = false): Promise<void> {
  await execa('ip', ['link', 'add', uplinkOf(br), 'type', 'veth', 'peer', 'name', peerOf(br)]);
  await runOp(createBridgeOp, h.services, br, { nic: uplinkOf(br) });
  if (withVlan) await runOp(setBridgeVlanOp, h.services, br, { vlan: VLAN });
}

/** A VM tap (an internal port carrying libvirt's attached-mac) on the bridge. */
async function prepareTap(h: MatrixHost, br: string): Promise<void> {
  await prepareBridge(h, br);
  const tap = tapOf(br);
  await vsctl('add-port', br, tap, '--', 'set', 'Interface', tap, 'type=internal');
  await vsctl('set', 'Interface', tap, `external_ids:attached-mac="${macOf(br)}"`);
  await h.services.ovs.client.waitUntil(() => h.services.ovs.named('Port', tap) !== undefined, 5000);
}

async function removeBridge(_h: MatrixHost, br: string): Promise<void> {
  await vsctl('--if-exists', 'del-br', br);
  await execa('ip', ['link', 'del', uplinkOf(br)]).catch(() => undefined);
}

async function expectBridge(br: string, want: 'complete' | 'absent'): Promise<string[]> {
  const state = { bridge: await bridgeExists(br), uplink: await portExists(uplinkOf(br)) };
  if (want === 'absent')
    return Object.entries(state).flatMap(([k, v]) => (v ? [`orphaned ${k} of ${br}`] : []));
  return Object.entries(state).flatMap(([k, v]) => (v ? [] : [`${k} of ${br} missing`]));
}

async function expectVlanBridge(br: string, present: boolean): Promise<string[]> {
  const has = await bridgeExists(`${br}-${VLAN}`);
  return has === present ? [] : [`VLAN bridge ${br}-${VLAN} ${has ? 'present' : 'absent'}`];
}

async function expectTag(br: string, tag: string): Promise<string[]> {
  const got = await vsctl('get', 'Port', tapOf(br), 'tag');
  return got === tag ? [] : [`tap ${tapOf(br)} tag ${got}, expected ${tag}`];
}

const SUBNET = { subnet: '192.168.214.0/24', gateway: '192.168.214.1', dhcp: '192.168.214.2' };

const prepareSwitch = (h: MatrixHost, name: string) =>
  runOp(createSwitchOp, h.services, name, SUBNET).then(() => undefined);

async function expectSwitch(name: string, present: boolean): Promise<string[]> {
  const rows = await switchRows(name);
  if (!present) return rows.map((r) => `orphaned ${r}`);
  return rows.length >= 3 ? [] : [`switch ${name} incomplete: ${rows.join(', ') || 'no rows'}`];
}

async function dhcpMtu(name: string): Promise<string | undefined> {
  const dhcp = await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${name}`);
  if (dhcp.length !== 1) return `${dhcp.length} DHCP rows`;
  return (await nbctl('dhcp-options-get-options', dhcp[0] as string)).match(/^mtu=(\d+)$/m)?.[1];
}

const addressSetOf = (name: string) => name.replace(/-/g, '_');
const ADDRESSES = '10.214.0.7,10.214.0.8';

async function expectAddresses(name: string, want: string[] | undefined): Promise<string[]> {
  const rows = await nbFind('Address_Set', 'addresses', `name=${addressSetOf(name)}`);
  if (want === undefined) return rows.length ? [`orphaned Address_Set ${addressSetOf(name)}`] : [];
  if (rows.length !== 1) return [`${rows.length} Address_Set rows ${addressSetOf(name)}, expected 1`];
  const got = (rows[0] as string).split(/\s+/).sort();
  return got.join(',') === [...want].sort().join(',') ? [] : [`addresses ${got.join(',')}, expected ${want}`];
}

const prepareAddress = (h: MatrixHost, name: string) =>
  runOp(createAddressOp, h.services, name, { address: ADDRESSES }).then(() => undefined);
const removeAddress = async (_h: MatrixHost, name: string) => {
  await nbctl('--if-exists', 'destroy', 'Address_Set', addressSetOf(name)).catch(() => undefined);
};

const bridgeEntry = (e: Omit<MatrixEntry, 'kind' | 'objectName' | 'cleanup'>): MatrixEntry => ({
  kind: 'VirtualMachineNetwork',
  objectName: bridgeName,
  cleanup: removeBridge,
  ...e,
});

export const NETWORK_OBJECTS_MATRIX: readonly MatrixEntry[] = [
  bridgeEntry({
    operation: 'createBridge',
    typicalMs: 150,
    prepare: (_h, br) =>
      execa('ip', ['link', 'add', uplinkOf(br), 'type', 'veth', 'peer', 'name', peerOf(br)]).then(
        () => undefined,
      ),
    request: (_h, br) => ({ nic: uplinkOf(br), vlan: VLAN }),
    orphans: async (_h, br, ok) => [
      ...(await expectBridge(br, ok ? 'complete' : 'absent')),
      ...(await expectVlanBridge(br, ok)),
    ],
  }),
  bridgeEntry({
    operation: 'deleteBridge',
    typicalMs: 150,
    deletesObject: true,
    prepare: (h, br) => prepareBridge(h, br, true),
    request: (_h, br) => ({ nic: uplinkOf(br) }),
    orphans: async (_h, br, ok) => [
      ...(await expectBridge(br, ok ? 'absent' : 'complete')),
      ...(await expectVlanBridge(br, !ok)),
    ],
  }),
  bridgeEntry({
    operation: 'setBridgeVlan',
    typicalMs: 100,
    prepare: (h, br) => prepareBridge(h, br),
    request: () => ({ vlan: VLAN }),
    orphans: (_h, br, ok) => expectVlanBridge(br, ok),
  }),
  bridgeEntry({
    operation: 'delBridgeVlan',
    typicalMs: 100,
    prepare: (h, br) => prepareBridge(h, br, true),
    request: () => ({ vlan: VLAN }),
    orphans: (_h, br, ok) => expectVlanBridge(br, !ok),
  }),
  bridgeEntry({
    operation: 'bindPortVlan',
    typicalMs: 100,
    prepare: prepareTap,
    request: (_h, br) => ({ mac: macOf(br), domain: `${br}-vm`, vlan: PORT_VLAN }),
    orphans: (_h, br, ok) => expectTag(br, ok ? PORT_VLAN : '[]'),
  }),
  bridgeEntry({
    operation: 'unbindPortVlan',
    typicalMs: 100,
    prepare: async (h, br) => {
      await prepareTap(h, br);
      await vsctl('set', 'Port', tapOf(br), `tag=${PORT_VLAN}`);
    },
    request: (_h, br) => ({ mac: macOf(br), domain: `${br}-vm` }),
    orphans: (_h, br, ok) => expectTag(br, ok ? '[]' : PORT_VLAN),
  }),
  {
    operation: 'deleteSwitch',
    kind: 'VirtualMachineNetwork',
    typicalMs: 150,
    deletesObject: true,
    prepare: prepareSwitch,
    request: () => ({}),
    orphans: (_h, name, ok) => expectSwitch(name, !ok),
    cleanup: (_h, name) => removeSwitch(name),
  },
  {
    operation: 'modifySwitch',
    kind: 'VirtualMachineNetwork',
    typicalMs: 150,
    prepare: prepareSwitch,
    request: () => ({ mtu: '1400' }),
    orphans: async (_h, name, ok) => {
      const problems = await expectSwitch(name, true);
      const mtu = await dhcpMtu(name);
      if ((mtu === '1400') !== ok)
        problems.push(`DHCP mtu ${mtu ?? 'unset'} after ${ok ? 'success' : 'failure'}`);
      return problems;
    },
    cleanup: (_h, name) => removeSwitch(name),
  },
  {
    operation: 'createAddress',
    kind: 'VirtualMachineNetwork',
    typicalMs: 100,
    request: () => ({ address: ADDRESSES }),
    orphans: (_h, name, ok) => expectAddresses(name, ok ? ADDRESSES.split(',') : undefined),
    cleanup: removeAddress,
  },
  {
    operation: 'deleteAddress',
    kind: 'VirtualMachineNetwork',
    typicalMs: 100,
    deletesObject: true,
    prepare: prepareAddress,
    request: () => ({}),
    orphans: (_h, name, ok) => expectAddresses(name, ok ? undefined : ADDRESSES.split(',')),
    cleanup: removeAddress,
  },
  {
    operation: 'modifyAddress',
    kind: 'VirtualMachineNetwork',
    typicalMs: 100,
    prepare: prepareAddress,
    request: () => ({ address: '10.214.0.9' }),
    orphans: (_h, name, ok) => expectAddresses(name, ok ? ['10.214.0.9'] : ADDRESSES.split(',')),
    cleanup: removeAddress,
  },
];
