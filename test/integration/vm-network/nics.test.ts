/**
 * The VM networking operations end to end on the real test bed: an OS-less VM (libvirtd), its
 * NICs on a Linux bridge, an OVS bridge and br-int bound to OVN switch ports (NB + ovn-controller),
 * ACLs, QoS and floating IPs — handlers run as the agent runs them (raw SDK-shaped parameters
 * validated first); every effect cross-checked with virsh, ovn-nbctl and ovs-vsctl, bad input
 * proven to change nothing, and deleteVM proven to leave no NB row of the VM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubestackError, NotFoundError, ValidationError } from '../../../src/errors.js';
import { vmPortGroupName, waitPortUp } from '../../../src/ovn/index.js';
import { sdkModelOf, sdkViolations } from '../../../src/sdk-model.js';
import { nbctl, nbFind, vsctl } from '../ovn/fixture.js';
import {
  type Bed,
  createVm,
  domiflist,
  dropSwitch,
  env,
  makeSwitch,
  openBed,
  removeVm,
  runVm,
  uniq,
  virsh,
  vmRows,
} from './fixture.js';

const id = uniq();
// MACs unique per run: the host tap name (fe + the last five octets) follows the MAC.
const nicMac = (n: number): string => `52:54:${id.slice(0, 2)}:${id.slice(2, 4)}:${id.slice(4, 6)}:0${n}`;
const sw = `nw14-sw-${id}`;
const out = `nw14-out-${id}`;
const vm = `nw14-vm-${id}`;
const l2 = `nw14-l2${id}`;
const MAC1 = nicMac(1);
const MAC2 = nicMac(2);
const MAC3 = nicMac(3);
const MAC4 = nicMac(4);
const MAC5 = nicMac(5);
let bed: Bed;

const fail = (p: Promise<unknown>): Promise<KubestackError> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as KubestackError,
  );
const lspOf = async (mac: string): Promise<string | undefined> =>
  (
    await nbFind(
      'Logical_Switch_Port',
      'name',
      `external_ids:kubestack/mac="${mac}"`,
      `external_ids:kubestack/vm=${vm}`,
    )
  )[0];

beforeAll(async () => {
  bed = await openBed();
  await makeSwitch(bed, sw, '10.141.0.0/24', '10.141.0.1');
  await makeSwitch(bed, out, '172.31.141.0/24', '172.31.141.1');
  await vsctl('--may-exist', 'add-br', l2, '--', 'set', 'Bridge', l2, 'datapath_type=netdev');
});

afterAll(async () => {
  await removeVm(vm);
  for (const s of [sw, out]) await dropSwitch(s);
  for (const r of await vmRows(vm))
    await nbctl('--if-exists', 'destroy', ...r.split(' ')).catch(() => undefined);
  await vsctl('--if-exists', 'del-br', l2);
  // libvirt leaves the OVS QoS/Queue rows it made for a NIC's bandwidth behind (its rows, tagged ifname).
  for (const table of ['QoS', 'Queue']) {
    for (const mac of [MAC1, MAC2]) {
      const ifname = `fe${mac.replace(/:/g, '').slice(2)}`;
      for (const u of (
        await vsctl('--bare', '--columns=_uuid', 'find', table, `external_ids:ifname="${ifname}"`)
      )
        .split('\n')
        .filter(Boolean))
        await vsctl('destroy', table, u).catch(() => undefined);
    }
  }
  await bed?.close();
});

describe('NICs', () => {
  it('createAndStartVMFromISO network=type=l3bridge: the VM is on its OVN switch from its first boot', async () => {
    await createVm(bed, vm, `type=l3bridge,source=br-int,ip=10.141.0.10,switch=${sw},mac=${MAC1}`);
    const lsp = await lspOf(MAC1);
    expect(lsp).toBeDefined();
    expect(await nbctl('lsp-get-addresses', lsp as string)).toBe(`${MAC1} 10.141.0.10`);
    expect(await nbctl('lsp-get-port-security', lsp as string)).toBe(`${MAC1} 10.141.0.10`);
    expect(await nbctl('lsp-get-ls', lsp as string)).toContain(sw);
    // libvirt put the tap on br-int with our interfaceid as iface-id; ovn-controller claims it.
    expect(
      await vsctl('get', 'Interface', `fe${MAC1.replace(/:/g, '').slice(2)}`, 'external_ids:iface-id'),
    ).toBe(`"${lsp}"`);
    await waitPortUp(bed.net.nb, lsp as string, 20_000);
  });

  it('plugNIC l3bridge with a dynamic IP: northd allocates it from the subnet; a replay converges', async () => {
    const o = await runVm(bed, vm, 'plugNIC', {
      type: 'l3bridge',
      source: `source=br-int,switch=${sw}`,
      mac: MAC2,
    });
    expect(o.message).toMatch(/IP 10\.141\.0\.\d+/);
    // What is written under spec fits the Java SDK's model (spec.domain with the new NIC).
    expect(sdkViolations(sdkModelOf('VirtualMachine'), { domain: o.report, ...o.spec })).toEqual([]);
    type Nic = { mac: { _address: string }; source?: { _network?: string }; ip?: { _address: string }[] };
    const devices = o.report?.devices as { _interface: Nic[] } | undefined;
    const nics = devices?._interface ?? [];
    expect(nics.map((n) => n.mac._address)).toContain(MAC2);
    const lsp = (await lspOf(MAC2)) as string;
    const dynamic = await nbctl('get', 'Logical_Switch_Port', lsp, 'dynamic_addresses');
    expect(dynamic).toMatch(/10\.141\.0\./);
    // the NIC reports its switch and the address northd allocated; the static one its own
    const reported = nics.find((n) => n.mac._address === MAC2);
    expect(reported?.source?._network).toBe(sw);
    expect(reported?.ip).toEqual([
      { _address: dynamic.split(' ')[1]?.replace(/"/g, ''), _family: 'ipv4', _prefix: '24' },
    ]);
    expect(nics.find((n) => n.mac._address === MAC1)?.ip?.[0]?._address).toBe('10.141.0.10');
    expect(await domiflist(vm)).toContain(MAC2);
    expect(await domiflist(vm, true)).toContain(MAC2);
    await runVm(bed, vm, 'plugNIC', { type: 'l3bridge', source: `source=br-int,switch=${sw}`, mac: MAC2 });
    expect(await nbFind('Logical_Switch_Port', 'name', `external_ids:kubestack/mac="${MAC2}"`)).toHaveLength(
      1,
    );
    expect((await domiflist(vm)).split(MAC2)).toHaveLength(2);
  });

  it('plugNIC bridge (Linux bridge) and l2bridge (OVS bridge)', async () => {
    await runVm(bed, vm, 'plugNIC', { type: 'bridge', source: `source=${env.testBridge}`, mac: MAC3 });
    expect(await domiflist(vm)).toMatch(new RegExp(`bridge\\s+${env.testBridge}\\s+\\S+\\s+${MAC3}`));
    await runVm(bed, vm, 'plugNIC', { type: 'l2bridge', source: `source=${l2}`, mac: MAC4 });
    expect(await vsctl('port-to-br', `fe${MAC4.replace(/:/g, '').slice(2)}`)).toBe(l2);
  });

  it('bad input: a clear error naming the parameter, nothing changed', async () => {
    const before = await domiflist(vm, true);
    const outside = await fail(
      runVm(bed, vm, 'plugNIC', {
        type: 'l3bridge',
        source: `source=br-int,ip=10.9.9.9,switch=${sw}`,
        mac: '52:54:00:14:00:09',
      }),
    );
    expect(outside).toBeInstanceOf(ValidationError);
    expect(outside.message).toMatch(/outside 10\.141\.0\.0\/24/);
    const noSwitch = await fail(
      runVm(bed, vm, 'plugNIC', { type: 'l3bridge', source: 'source=br-int', mac: '52:54:00:14:00:09' }),
    );
    expect(noSwitch.message).toMatch(/switch/);
    const noBridge = await fail(
      runVm(bed, vm, 'plugNIC', { type: 'l2bridge', source: 'source=nw14-nobr', mac: '52:54:00:14:00:09' }),
    );
    expect(noBridge).toBeInstanceOf(NotFoundError);
    const dots = await fail(
      runVm(bed, vm, 'plugNIC', { type: 'bridge', source: 'source=..', mac: '52:54:00:14:00:09' }),
    );
    expect(dots.details?.field).toBe('source');
    expect(await domiflist(vm, true)).toBe(before);
    expect(await lspOf('52:54:00:14:00:09')).toBeUndefined();
  });

  it('NIC bandwidth: an OVS NIC is shaped by OVS; a Linux-bridge NIC needs tc, which this host lacks (no sfq): the error says so and names the parameter', async () => {
    const plug = await fail(
      runVm(bed, vm, 'plugNIC', {
        type: 'bridge',
        source: `source=${env.testBridge}`,
        mac: MAC5,
        inbound: 1000,
      }),
    );
    expect(plug.reason).toBe('Unsupported');
    expect(plug.message).toMatch(/inbound/);
    expect(await domiflist(vm, true)).not.toContain(MAC5);
    const live = await fail(runVm(bed, vm, 'tuneNICQoS', { _interface: MAC3, outbound: 2000, live: true }));
    expect(`${live.reason}: ${live.message}`).toMatch(/^Unsupported: .*outbound/);
    // On the OVS NIC libvirt applies it through OVS (ingress policing): no tc needed.
    await runVm(bed, vm, 'tuneNICQoS', { _interface: MAC1, inbound: 1000, live: true, config: true });
    expect(await virsh('domiftune', vm, MAC1, '--config')).toMatch(/inbound.average\s*:\s*1000/);
    await runVm(bed, vm, 'tuneNICQoS', { _interface: MAC1, inbound: 0, live: true, config: true });
    expect(await virsh('domiftune', vm, MAC1, '--config')).toMatch(/inbound.average\s*:\s*0/);
  });
});

describe('ACLs on the VM port group', () => {
  const pg = () => vmPortGroupName(vm);
  const acl = {
    swName: sw,
    vmmac: MAC1,
    type: 'from',
    rule: "'tcp.dst == 22'",
    operator: 'drop',
    priority: '100',
  };

  it('addACL adds one ACL (replay: no-op); the same rule with another verdict is refused', async () => {
    await runVm(bed, vm, 'addACL', acl);
    await runVm(bed, vm, 'addACL', acl);
    expect(await nbctl('acl-list', pg())).toBe(
      `from-lport   100 (inport == @${pg()} && (tcp.dst == 22)) drop`,
    );
    const ports = await nbctl('get', 'Port_Group', pg(), 'ports');
    expect(ports.split(',')).toHaveLength(2);
    const again = await fail(runVm(bed, vm, 'addACL', { ...acl, operator: 'allow' }));
    expect(again.reason).toBe('AlreadyExists');
  });

  it('modifyACL changes the verdict in place; deprecatedACL removes it', async () => {
    await runVm(bed, vm, 'modifyACL', { ...acl, operator: 'allow' });
    expect(await nbctl('acl-list', pg())).toMatch(/allow-related$/);
    expect((await nbctl('acl-list', pg())).split('\n')).toHaveLength(1);
    await runVm(bed, vm, 'deprecatedACL', {
      swName: sw,
      vmmac: MAC1,
      type: 'from',
      rule: 'tcp.dst == 22',
      priority: '100',
    });
    expect(await nbctl('acl-list', pg())).toBe('');
    const missing = await fail(runVm(bed, vm, 'modifyACL', { ...acl, operator: 'allow' }));
    expect(missing).toBeInstanceOf(NotFoundError);
  });

  it('batchDeprecatedACL removes every ACL of the VM; bad rules and foreign NICs are refused', async () => {
    await runVm(bed, vm, 'addACL', acl);
    await runVm(bed, vm, 'addACL', { ...acl, type: 'to', rule: 'icmp4', priority: '200' });
    expect((await nbctl('acl-list', pg())).split('\n')).toHaveLength(2);
    await runVm(bed, vm, 'batchDeprecatedACL', {});
    expect(await nbctl('acl-list', pg())).toBe('');
    const bad = await fail(runVm(bed, vm, 'addACL', { ...acl, rule: 'ip4; rm -rf /' }));
    expect(bad).toBeInstanceOf(ValidationError);
    const foreign = await fail(runVm(bed, vm, 'addACL', { ...acl, vmmac: '52:54:00:99:99:99' }));
    expect(foreign.details?.field).toBe('vmmac');
  });
});

describe('QoS per NIC port', () => {
  const qos = { swName: sw, type: 'from', rule: 'ip', rate: '1000', burst: '100' };

  it('setQoS scopes one row to each of the VM NICs on the switch; modifyQoS replaces the rate', async () => {
    await runVm(bed, vm, 'setQoS', qos);
    const rows = (await nbctl('qos-list', sw)).split('\n');
    expect(rows).toHaveLength(2);
    for (const mac of [MAC1, MAC2]) {
      const lsp = (await lspOf(mac)) as string;
      expect(rows.some((r) => r.includes(`(inport == "${lsp}" && (ip)) rate=1000 burst=100`))).toBe(true);
    }
    await runVm(bed, vm, 'modifyQoS', { ...qos, rate: '2000' });
    expect((await nbctl('qos-list', sw)).split('\n').every((r) => r.includes('rate=2000'))).toBe(true);
    const missing = await fail(runVm(bed, vm, 'modifyQoS', { ...qos, rule: 'icmp4' }));
    expect(missing).toBeInstanceOf(NotFoundError);
  });

  it('unsetQoS removes the row of one NIC', async () => {
    const lsp2 = (await lspOf(MAC2)) as string;
    await runVm(bed, vm, 'unsetQoS', { swName: sw, type: 'from', rule: 'ip', priority: '100', vmmac: MAC2 });
    const rows = await nbctl('qos-list', sw);
    expect(rows.split('\n')).toHaveLength(1);
    expect(rows).not.toContain(lsp2);
  });
});

describe('floating IPs', () => {
  const leg = `${sw}-fip-${out}`;

  it('bindFloatingIP: one dnat_and_snat row and the router leg on the outside switch; replay no-op', async () => {
    const o = await runVm(bed, vm, 'bindFloatingIP', {
      swName: sw,
      outSwName: out,
      fip: '172.31.141.50/24',
      vmmac: MAC1,
    });
    expect(o.message).toMatch(/10\.141\.0\.10/);
    expect(await nbctl('lr-nat-list', `${sw}-router`)).toMatch(
      /dnat_and_snat\s+172\.31\.141\.50\s+10\.141\.0\.10/,
    );
    // The leg has an address of its own (the highest free one): a router drops traffic to its own IPs.
    expect(await nbctl('get', 'Logical_Router_Port', leg, 'networks')).toBe('["172.31.141.254/24"]');
    expect(await nbctl('lsp-get-ls', `${out}-from-${sw}-fip`)).toContain(out);
    await runVm(bed, vm, 'bindFloatingIP', {
      swName: sw,
      outSwName: out,
      fip: '172.31.141.50/24',
      vmmac: MAC1,
    });
    expect((await nbctl('lr-nat-list', `${sw}-router`)).split('\n')).toHaveLength(2);
    await runVm(bed, vm, 'bindFloatingIP', { swName: sw, outSwName: out, fip: '172.31.141.51', vmmac: MAC2 });
    expect(await nbctl('lr-nat-list', `${sw}-router`)).toMatch(
      /dnat_and_snat\s+172\.31\.141\.51\s+10\.141\.0\./,
    );
    const outside = await fail(
      runVm(bed, vm, 'bindFloatingIP', { swName: sw, outSwName: out, fip: '10.1.1.1', vmmac: MAC1 }),
    );
    expect(outside.details?.field).toBe('fip');
  });

  it('unbindFloatingIP checks vmip, removes the row and the address from the leg', async () => {
    const wrong = await fail(
      runVm(bed, vm, 'unbindFloatingIP', {
        swName: sw,
        vmmac: MAC1,
        fip: '172.31.141.50',
        vmip: '10.141.0.99',
      }),
    );
    expect(wrong.details?.field).toBe('vmip');
    await runVm(bed, vm, 'unbindFloatingIP', {
      swName: sw,
      vmmac: MAC1,
      fip: '172.31.141.50',
      vmip: '10.141.0.10',
    });
    expect(await nbctl('lr-nat-list', `${sw}-router`)).not.toContain('172.31.141.50');
    // .51 still uses the leg.
    expect(await nbctl('get', 'Logical_Router_Port', leg, 'networks')).toBe('["172.31.141.254/24"]');
  });
});

describe('unplug, stop and delete', () => {
  it('a live unplug of an OS-less VM is never acknowledged: Timeout, NIC and port stay', async () => {
    const t = await fail(runVm(bed, vm, 'unplugNIC', { type: 'l3bridge', mac: MAC2, live: true }));
    expect(t.reason).toBe('Timeout');
    expect(t.message).toMatch(/guest OS/);
    expect(await domiflist(vm)).toContain(MAC2);
    expect(await lspOf(MAC2)).toBeDefined();
  });

  it('a stopped VM keeps its IP reservation (the port stays)', async () => {
    await runVm(bed, vm, 'stopVMForce', {});
    expect(await nbctl('lsp-get-addresses', (await lspOf(MAC1)) as string)).toBe(`${MAC1} 10.141.0.10`);
  });

  it('unplugNIC removes the NIC, its port, its QoS row and floating IP (and the leg with the last one)', async () => {
    const wrongType = await fail(runVm(bed, vm, 'unplugNIC', { type: 'bridge', mac: MAC2 }));
    expect(wrongType.details?.field).toBe('type');
    await runVm(bed, vm, 'unplugNIC', { type: 'l3bridge', mac: MAC2 });
    expect(await domiflist(vm, true)).not.toContain(MAC2);
    expect(await lspOf(MAC2)).toBeUndefined();
    expect(await nbctl('lr-nat-list', `${sw}-router`)).toBe('');
    expect(await nbFind('Logical_Router_Port', 'name', `name=${sw}-fip-${out}`)).toEqual([]);
    expect(await nbFind('Logical_Switch_Port', 'name', `name=${out}-from-${sw}-fip`)).toEqual([]);
    await runVm(bed, vm, 'unplugNIC', { type: 'bridge', mac: MAC3 });
    await runVm(bed, vm, 'unplugNIC', { type: 'l2bridge', mac: MAC4 });
    expect(await domiflist(vm, true)).not.toMatch(/52:54:00:14:00:0[34]/);
  });

  it('deleteVM leaves no port, port group, ACL, QoS or NAT row of the VM', async () => {
    await runVm(bed, vm, 'addACL', { swName: sw, vmmac: MAC1, type: 'to', rule: 'icmp4', operator: 'drop' });
    await runVm(bed, vm, 'setQoS', { swName: sw, type: 'to', rule: 'ip', rate: '500', burst: '50' });
    await runVm(bed, vm, 'bindFloatingIP', { swName: sw, outSwName: out, fip: '172.31.141.52', vmmac: MAC1 });
    expect((await vmRows(vm)).length).toBeGreaterThanOrEqual(5);
    await runVm(bed, vm, 'deleteVM', {});
    expect(await vmRows(vm)).toEqual([]);
    expect(await nbctl('qos-list', sw)).toBe('');
    expect(await nbctl('lr-nat-list', `${sw}-router`)).toBe('');
    expect(await nbFind('Logical_Router_Port', 'name', `name=${sw}-fip-${out}`)).toEqual([]);
  });
});
