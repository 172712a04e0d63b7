/**
 * Building blocks of the VM operations on the real NB + OVS + ovn-controller: a NIC's logical port
 * (MAC + IP, port security, DHCP row) bound by iface-id to an OVS port on br-int (ovn-controller
 * claims it: `up` turns true), a dnat_and_snat floating IP, port-group ACLs and per-NIC QoS.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubestackError, ValidationError } from '../../../src/errors.js';
import {
  addAcl,
  bindFloatingIp,
  bindNic,
  createSwitch,
  deleteSwitch,
  deleteVmPortGroup,
  findInterfaceByIfaceId,
  localChassis,
  removeAcl,
  setQos,
  unbindFloatingIp,
  unbindNic,
  unsetQos,
  vmPortGroupName,
  waitPortUp,
} from '../../../src/ovn/index.js';
import { connectNet, type Net, nbctl, nbFind, uniq, vsctl } from './fixture.js';

let net: Net;
const id = uniq();
const sw = `kst-vmsw-${id}`;
const vm = `kst-vm-${id}`;
const ifaceA = randomUUID();
const ifaceB = randomUUID();
const macA = '52:54:00:5a:00:01';
const macB = '52:54:00:5a:00:02';
const tap = `kst-n${id}`;

beforeAll(async () => {
  net = await connectNet();
  await createSwitch(net.nb, {
    name: sw,
    subnet: '10.88.0.0/24',
    gateway: '10.88.0.1',
    dhcp: '10.88.0.1',
    chassis: localChassis(net.ovs),
  });
});

afterAll(async () => {
  await vsctl('--if-exists', 'del-port', 'br-int', tap);
  await nbctl('--if-exists', 'destroy', 'Port_Group', vmPortGroupName(vm)).catch(() => undefined);
  await nbctl('--if-exists', 'ls-del', sw);
  await nbctl('--if-exists', 'lr-del', `${sw}-router`);
  for (const d of await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${sw}`)) {
    await nbctl('dhcp-options-del', d);
  }
  await net.close();
});

describe('VM NIC logical port', () => {
  it('binds a static address with port security and the switch DHCP row', async () => {
    await bindNic(net.nb, { switchName: sw, ifaceId: ifaceA, mac: macA, ip: '10.88.0.10', vm });
    expect(await nbctl('lsp-get-addresses', ifaceA)).toBe(`${macA} 10.88.0.10`);
    expect(await nbctl('lsp-get-port-security', ifaceA)).toBe(`${macA} 10.88.0.10`);
    const dhcp = await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${sw}`);
    expect(await nbctl('lsp-get-dhcpv4-options', ifaceA)).toContain(dhcp[0]);
    // Replay: nothing to do.
    const again = await bindNic(net.nb, { switchName: sw, ifaceId: ifaceA, mac: macA, ip: '10.88.0.10', vm });
    expect(again.noop).toBe(true);
  });

  it('refuses an address in use, outside the subnet or excluded', async () => {
    const inUse = await bindNic(net.nb, {
      switchName: sw,
      ifaceId: ifaceB,
      mac: macB,
      ip: '10.88.0.10',
      vm,
    }).catch((e: unknown) => e);
    expect((inUse as KubestackError).reason).toBe('InUse');
    const outside = await bindNic(net.nb, {
      switchName: sw,
      ifaceId: ifaceB,
      mac: macB,
      ip: '10.1.0.10',
      vm,
    }).catch((e: unknown) => e);
    expect(outside).toBeInstanceOf(ValidationError);
    const gw = await bindNic(net.nb, {
      switchName: sw,
      ifaceId: ifaceB,
      mac: macB,
      ip: '10.88.0.1',
      vm,
    }).catch((e: unknown) => e);
    expect((gw as Error).message).toMatch(/excluded/);
  });

  it('a dynamic address is allocated by northd from the switch subnet', async () => {
    await bindNic(net.nb, { switchName: sw, ifaceId: ifaceB, mac: macB, ip: 'dynamic', vm });
    await net.nb.client.waitUntil(
      () => (net.nb.named('Logical_Switch_Port', ifaceB)[0]?.dynamic_addresses ?? '').includes('10.88.0.'),
      10_000,
    );
  });

  it('ovn-controller claims the port once an OVS interface carries its iface-id', async () => {
    await vsctl(
      'add-port',
      'br-int',
      tap,
      '--',
      'set',
      'Interface',
      tap,
      'type=internal',
      `external_ids:iface-id=${ifaceA}`,
      `external_ids:attached-mac="${macA}"`,
    );
    await net.ovs.client.waitUntil(() => findInterfaceByIfaceId(net.ovs, ifaceA)?.name === tap, 5000);
    await waitPortUp(net.nb, ifaceA, 20_000);
    expect(await nbctl('lsp-get-up', ifaceA)).toBe('up');
  });

  it('floating IP: one dnat_and_snat row on the router, removed by tag', async () => {
    await bindFloatingIp(net.nb, { switchName: sw, mac: macA, fip: '172.30.9.50/24', vm });
    const nat = await nbctl('lr-nat-list', `${sw}-router`);
    expect(nat).toMatch(/dnat_and_snat\s+172\.30\.9\.50\s+10\.88\.0\.10/);
    expect((await bindFloatingIp(net.nb, { switchName: sw, mac: macA, fip: '172.30.9.50', vm })).noop).toBe(
      true,
    );
    const taken = await bindFloatingIp(net.nb, { switchName: sw, mac: macB, fip: '172.30.9.50', vm }).catch(
      (e: unknown) => e,
    );
    expect((taken as KubestackError).reason).toBe('AlreadyExists');
    await unbindFloatingIp(net.nb, sw, '172.30.9.50');
    expect(await nbctl('lr-nat-list', `${sw}-router`)).toBe('');
  });

  it('ACLs live on the VM port group and parse; removal by the same arguments', async () => {
    await addAcl(net.nb, { vm, type: 'from', rule: "'tcp.dst == 22'", operator: 'drop', priority: 1001 });
    const pg = vmPortGroupName(vm);
    expect(await nbctl('get', 'Port_Group', pg, 'ports')).toContain(
      await nbctl('get', 'Logical_Switch_Port', ifaceA, '_uuid'),
    );
    const acls = await nbctl('acl-list', pg);
    expect(acls).toContain(`from-lport  1001 (inport == @${pg} && (tcp.dst == 22)) drop`);
    // Same arguments with another verdict: updated in place, not duplicated.
    await addAcl(net.nb, { vm, type: 'from', rule: 'tcp.dst == 22', operator: 'allow', priority: 1001 });
    expect((await nbctl('acl-list', pg)).split('\n')).toHaveLength(1);
    await removeAcl(net.nb, { vm, type: 'from', rule: 'tcp.dst == 22', priority: 1001 });
    expect(await nbctl('acl-list', pg)).toBe('');
    const bad = await addAcl(net.nb, { vm, type: 'to', rule: 'ip4; rm -rf /', operator: 'drop' }).catch(
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(ValidationError);
  });

  it('QoS is scoped to the NIC port and replaced in place', async () => {
    await setQos(net.nb, {
      switchName: sw,
      vm,
      mac: macA,
      type: 'from',
      rule: 'ip',
      rate: 10000,
      burst: 100,
    });
    expect(await nbctl('qos-list', sw)).toContain(
      `from-lport   100 (inport == "${ifaceA}" && (ip)) rate=10000 burst=100`,
    );
    await setQos(net.nb, {
      switchName: sw,
      vm,
      mac: macA,
      type: 'from',
      rule: 'ip',
      rate: 20000,
      burst: 100,
    });
    const rows = (await nbctl('qos-list', sw)).split('\n');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('rate=20000');
    await unsetQos(net.nb, { switchName: sw, vm, mac: macA, type: 'from', rule: 'ip' });
    expect(await nbctl('qos-list', sw)).toBe('');
  });

  it('unbinding removes the ports; the switch can then be deleted', async () => {
    await vsctl('del-port', 'br-int', tap);
    await unbindNic(net.nb, ifaceA);
    await unbindNic(net.nb, ifaceB);
    expect(await nbFind('Logical_Switch_Port', 'name', `name=${ifaceA}`)).toEqual([]);
    expect((await unbindNic(net.nb, ifaceA)).noop).toBe(true);
    // The port group is the VM's (DeleteVM removes it); its weak port references were cleared.
    expect(await nbctl('get', 'Port_Group', vmPortGroupName(vm), 'ports')).toBe('[]');
    expect((await deleteVmPortGroup(net.nb, vm)).noop).toBe(false);
    expect(await nbFind('Port_Group', 'name', `name=${vmPortGroupName(vm)}`)).toEqual([]);
    const r = await deleteSwitch(net.nb, sw);
    expect(r.deleted).toBe(true);
  });
});
