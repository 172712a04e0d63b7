/**
 * The L2 operations (CreateBridge, SetBridgeVlan, DelBridgeVlan, BindPortVlan, UnbindPortVlan,
 * DeleteBridge) through their handlers on the real local Open_vSwitch DB, cross-checked with
 * ovs-vsctl. The uplink is a veth pair made for the test (never a host NIC in use); the VM tap is an
 * internal port carrying libvirt's `external_ids:attached-mac`.
 */
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubestackError, ValidationError } from '../../../src/errors.js';
import { bindPortVlanOp } from '../../../src/executors/virtual-machine-network/bind-port-vlan.js';
import { createBridgeOp } from '../../../src/executors/virtual-machine-network/create-bridge.js';
import { delBridgeVlanOp } from '../../../src/executors/virtual-machine-network/del-bridge-vlan.js';
import { deleteBridgeOp } from '../../../src/executors/virtual-machine-network/delete-bridge.js';
import { setBridgeVlanOp } from '../../../src/executors/virtual-machine-network/set-bridge-vlan.js';
import { unbindPortVlanOp } from '../../../src/executors/virtual-machine-network/unbind-port-vlan.js';
import { planCreateBridge, UnknownColumnError } from '../../../src/ovn/index.js';
import { insert } from '../../../src/ovn/ops.js';
import { connectNet, context, type Net, run, uniq, vsctl } from './fixture.js';

let net: Net;
const id = uniq();
const br = `kst-b${id}`;
const nic = `kst-v${id}a`;
const peer = `kst-v${id}b`;
const tap = `kst-t${id}`;
const mac = '52:54:00:7a:00:01';

beforeAll(async () => {
  net = await connectNet();
  await execa('ip', ['link', 'add', nic, 'type', 'veth', 'peer', 'name', peer]);
});

afterAll(async () => {
  await vsctl('--if-exists', 'del-br', br);
  await execa('ip', ['link', 'del', nic]).catch(() => undefined);
  await net.close();
});

type BridgeInfo = {
  bridgeInfo: {
    name: string;
    uuid: string;
    ports: Array<{ name: string; vlan: string; interfaces: unknown[] }>;
  };
};

describe('OVS bridge operations', () => {
  it('CreateBridge: bridge + uplink + VLAN bridge in one transaction, userspace datapath', async () => {
    const out = await run(createBridgeOp, context(net, br), { nic, vlan: '100' });
    expect(out.spec).toEqual({ type: 'l2network' });
    const info = (out.report as BridgeInfo).bridgeInfo;
    expect(info.name).toBe(br);
    expect(info.ports.map((p) => p.name).sort()).toEqual([br, `${br}-100`, nic].sort());
    expect(info.ports.find((p) => p.name === `${br}-100`)?.vlan).toBe('100');
    // ovs-vsctl shows a fake bridge as a bridge, not as a port of its parent.
    expect(await vsctl('list-ports', br)).toBe(nic);
    expect((await vsctl('list-br')).split('\n')).toEqual(expect.arrayContaining([br, `${br}-100`]));
    expect(await vsctl('get', 'Bridge', br, 'datapath_type')).toBe('netdev');
    expect(await vsctl('br-to-parent', `${br}-100`)).toBe(br);
    expect(await vsctl('br-to-vlan', `${br}-100`)).toBe('100');
    expect(await vsctl('get', 'Bridge', br, 'external_ids:kubestack/owner')).toBe(
      `"VirtualMachineNetwork/${br}"`,
    );
  });

  it('CreateBridge replay is a no-op; a foreign bridge is refused', async () => {
    const before = await vsctl('show');
    const out = await run(createBridgeOp, context(net, br), { nic, vlan: '100' });
    expect(out.message).toMatch(/already/);
    expect(await vsctl('show')).toBe(before);
    const err = await run(createBridgeOp, context(net, 'br-int'), { nic }).catch((e: unknown) => e);
    expect((err as KubestackError).reason).toMatch(/AlreadyExists|InUse/);
  });

  it('bad input: unknown NIC, too long VLAN bridge name, VLAN out of range', async () => {
    const e1 = await run(createBridgeOp, context(net, `kst-x${id}`), { nic: 'kst-nonic' }).catch(
      (e: unknown) => e,
    );
    expect(e1).toBeInstanceOf(ValidationError);
    expect((e1 as Error).message).toMatch(/nic: no network interface 'kst-nonic'/);
    const e2 = await run(setBridgeVlanOp, context(net, br), { vlan: '4095' }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(KubestackError);
    expect((e2 as KubestackError).reason).toBe('InvalidParameter');
    const e3 = await run(createBridgeOp, context(net, `kst-long-${id}`), { nic, vlan: '4000' }).catch(
      (e: unknown) => e,
    );
    expect((e3 as Error).message).toMatch(/exceeds 15 characters/);
    expect(await vsctl('list-br')).not.toContain(`kst-x${id}`);
  });

  it('a failure in the middle of the transaction leaves nothing behind', async () => {
    const other = `kst-f${id}`;
    const plan = planCreateBridge(net.ovs, { name: other, nic: peer, vlan: 7, datapathType: 'netdev' });
    const ops = [...plan.ops];
    ops.splice(3, 0, insert('Port', { no_such_column: 1 }));
    const err = await net.ovs.client.transact(ops).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownColumnError);
    expect(await vsctl('list-br')).not.toContain(other);
    expect(await vsctl('--bare', '--columns=name', 'find', 'Port', `name=${peer}`)).toBe('');
  });

  it('SetBridgeVlan / DelBridgeVlan add and remove a VLAN bridge; replays succeed', async () => {
    await run(setBridgeVlanOp, context(net, br), { vlan: '200' });
    expect(await vsctl('br-to-vlan', `${br}-200`)).toBe('200');
    await run(setBridgeVlanOp, context(net, br), { vlan: '200' });
    const out = await run(delBridgeVlanOp, context(net, br), { vlan: '200' });
    expect((out.report as BridgeInfo).bridgeInfo.ports.map((p) => p.name)).not.toContain(`${br}-200`);
    expect(await vsctl('list-br')).not.toContain(`${br}-200`);
    await run(delBridgeVlanOp, context(net, br), { vlan: '200' });
  });

  it('BindPortVlan / UnbindPortVlan set and clear the tag of the VM tap found by MAC', async () => {
    await vsctl(
      'add-port',
      br,
      tap,
      '--',
      'set',
      'Interface',
      tap,
      'type=internal',
      `external_ids:attached-mac="${mac}"`,
      'external_ids:iface-id=kst-test',
    );
    await net.ovs.client.waitUntil(() => net.ovs.named('Port', tap) !== undefined, 5000);
    const out = await run(bindPortVlanOp, context(net, br), { mac, domain: `kst-vm-${id}`, vlan: '300' });
    expect((out.report as BridgeInfo).bridgeInfo.ports.find((p) => p.name === tap)?.vlan).toBe('300');
    expect(await vsctl('get', 'Port', tap, 'tag')).toBe('300');
    await run(unbindPortVlanOp, context(net, br), { mac, domain: `kst-vm-${id}` });
    expect(await vsctl('get', 'Port', tap, 'tag')).toBe('[]');
    const err = await run(bindPortVlanOp, context(net, br), {
      mac: '52:54:00:7a:00:99',
      domain: `kst-vm-${id}`,
      vlan: '300',
    }).catch((e: unknown) => e);
    expect((err as KubestackError).reason).toBe('NotFound');
  });

  it('DeleteBridge refuses while a VM port is on it, then removes everything it made', async () => {
    const err = await run(deleteBridgeOp, context(net, br), { nic }).catch((e: unknown) => e);
    expect((err as KubestackError).reason).toBe('InUse');
    await vsctl('del-port', br, tap);
    await net.ovs.client.waitUntil(() => net.ovs.named('Port', tap) === undefined, 5000);
    const out = await run(deleteBridgeOp, context(net, br), { nic });
    expect(out.deleteObject).toBe(true);
    expect(await vsctl('list-br')).not.toContain(br);
    expect(await vsctl('--bare', '--columns=name', 'find', 'Port', `name=${nic}`)).toBe('');
    expect((await run(deleteBridgeOp, context(net, br), { nic })).deleteObject).toBe(true);
  });
});
