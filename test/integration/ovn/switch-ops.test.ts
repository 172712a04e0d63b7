/**
 * CreateSwitch / ModifySwitch / DeleteSwitch through their handlers on the real Northbound DB,
 * cross-checked with ovn-nbctl: one transaction each, idempotent, owned rows tagged, the anchor's
 * defects fixed (subnet for dynamic addresses, `{a, b}` DNS syntax, no marker ports, no leaks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubestackError, ValidationError } from '../../../src/errors.js';
import { createSwitchOp } from '../../../src/executors/virtual-machine-network/create-switch.js';
import { deleteSwitchOp } from '../../../src/executors/virtual-machine-network/delete-switch.js';
import { modifySwitchOp } from '../../../src/executors/virtual-machine-network/modify-switch.js';
import {
  createSwitch,
  deleteSwitch,
  localChassis,
  planCreateSwitch,
  UnknownColumnError,
} from '../../../src/ovn/index.js';
import { insert } from '../../../src/ovn/ops.js';
import { connectNet, context, type Net, nbctl, nbFind, run, uniq, vsctl } from './fixture.js';

let net: Net;
const id = uniq();
const sw = `kst-sw-${id}`;
const sw2 = `kst-sw2-${id}`;
const sw3 = `kst-sw3-${id}`;
const br = `kst-br${id}`;

beforeAll(async () => {
  net = await connectNet();
});

afterAll(async () => {
  for (const s of [sw, sw2, sw3]) {
    await nbctl('--if-exists', 'ls-del', s);
    await nbctl('--if-exists', 'lr-del', `${s}-router`);
    for (const d of await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${s}`)) {
      await nbctl('dhcp-options-del', d);
    }
  }
  await vsctl('--if-exists', 'del-br', br);
  await net.close();
});

const createParams = {
  subnet: '192.168.2.0/24',
  gateway: '192.168.2.1',
  dhcp: '192.168.2.1',
  mtu: '1450',
  excludeIPs: '192.168.2.2 192.168.2.200..192.168.2.254',
  dnsServer: '8.8.8.8,1.1.1.1',
};

describe('CreateSwitch', () => {
  it('creates switch, gateway router, router port and DHCP options in one transaction', async () => {
    const out = await run(createSwitchOp, context(net, sw), createParams);
    expect(out.spec).toEqual({ type: 'l3network' });
    const data = out.report as {
      switchInfo: {
        id: string;
        name: string;
        ports: Array<{ name: string; type: string; router_port: string }>;
      };
      routerInfo: { name: string; ports: Array<{ name: string; networks: string; mac: string }> };
      gatewayInfo: { id: string; server_id: string; router: string; lease_time: string; server_mac: string };
    };
    expect(data.switchInfo.name).toBe(sw);
    expect(data.switchInfo.ports).toEqual([
      {
        name: `mapping-to-${sw}-router`,
        type: 'router',
        addresses: expect.any(String),
        router_port: `${sw}-router-port`,
      },
    ]);
    expect(data.routerInfo.name).toBe(`${sw}-router`);
    expect(data.routerInfo.ports[0]?.networks).toBe('["192.168.2.1/24"]');
    expect(data.gatewayInfo).toMatchObject({
      server_id: '192.168.2.1',
      router: '192.168.2.1',
      lease_time: '3600',
    });

    // Cross-check with ovn-nbctl.
    expect(await nbctl('get', 'Logical_Switch', sw, 'other_config:subnet')).toBe('"192.168.2.0/24"');
    expect(await nbctl('get', 'Logical_Switch', sw, 'other_config:exclude_ips')).toBe(
      '"192.168.2.2 192.168.2.200..192.168.2.254 192.168.2.1"',
    );
    const chassis = await nbctl('get', 'Logical_Router', `${sw}-router`, 'options:chassis');
    expect(chassis.replace(/^"|"$/g, '')).toBe(localChassis(net.ovs));
    expect(await nbctl('lrp-get-enabled', `${sw}-router-port`)).toBe('enabled');
    const dhcp = await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${sw}`);
    expect(dhcp).toEqual([data.gatewayInfo.id]);
    const opts = await nbctl('dhcp-options-get-options', data.gatewayInfo.id);
    expect(opts.split('\n').sort()).toEqual(
      [
        'dns_server={8.8.8.8, 1.1.1.1}',
        'lease_time=3600',
        'mtu=1450',
        'router=192.168.2.1',
        'server_id=192.168.2.1',
        `server_mac=${data.gatewayInfo.server_mac}`,
      ].sort(),
    );
    // No marker port: the DHCP row is found by its tag.
    expect(await nbctl('lsp-list', sw)).not.toMatch(/dhcpv4id/);
    expect(await nbctl('get', 'Logical_Switch', sw, 'external_ids:kubestack/owner')).toBe(
      `"VirtualMachineNetwork/${sw}"`,
    );
  });

  it('a dynamic address now gets an IP from the subnet, avoiding excluded ones', async () => {
    await nbctl(
      'lsp-add',
      sw,
      `${sw}-dyn`,
      '--',
      'lsp-set-addresses',
      `${sw}-dyn`,
      '52:54:00:aa:00:01 dynamic',
    );
    const deadline = Date.now() + 10_000;
    let dyn = '';
    while (Date.now() < deadline) {
      dyn = await nbctl('get', 'Logical_Switch_Port', `${sw}-dyn`, 'dynamic_addresses');
      if (dyn !== '[]') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(dyn).toMatch(/^"52:54:00:aa:00:01 192\.168\.2\.(\d+)"$/);
    const last = Number(/\.(\d+)"$/.exec(dyn)?.[1]);
    expect(last).toBeGreaterThan(2);
    expect(last).toBeLessThan(200);
    await nbctl('lsp-del', `${sw}-dyn`);
  });

  it('is idempotent: a replay changes nothing', async () => {
    const before = await nbctl('show', sw);
    const out = await run(createSwitchOp, context(net, sw), createParams);
    expect(out.message).toMatch(/already/);
    expect(await nbctl('show', sw)).toBe(before);
    expect(await nbFind('Logical_Router', 'name', `name=${sw}-router`)).toHaveLength(1);
  });

  it('concurrent creates of one name from two agents make exactly one switch (guards, not luck)', async () => {
    const other = await connectNet();
    try {
      const name = `kst-race-${id}`;
      const input = { name, subnet: '10.44.0.0/24', gateway: '10.44.0.1', dhcp: '10.44.0.1', chassis: 'vm' };
      const results = await Promise.all([
        createSwitch(net.nb, input),
        createSwitch(other.nb, input),
        createSwitch(net.nb, input),
      ]);
      expect(results.filter((r) => r.changed)).toHaveLength(1);
      expect(await nbFind('Logical_Switch', 'name', `name=${name}`)).toHaveLength(1);
      expect(await nbFind('Logical_Router', 'name', `name=${name}-router`)).toHaveLength(1);
      expect(await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${name}`)).toHaveLength(1);
      await deleteSwitch(other.nb, name);
    } finally {
      await other.close();
    }
  });

  it('refuses a switch name taken by something it does not own', async () => {
    await nbctl('ls-add', sw3);
    const err = await run(createSwitchOp, context(net, sw3), createParams).catch((e: unknown) => e);
    expect((err as KubestackError).reason).toBe('AlreadyExists');
    await nbctl('ls-del', sw3);
  });

  it('bad input fails with a clear ValidationError and writes nothing', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...createParams, gateway: '10.0.0.1' }, /gateway: 10\.0\.0\.1 is outside the subnet/],
      [{ ...createParams, dhcp: '192.168.3.1' }, /dhcp: .* outside the subnet/],
      [{ ...createParams, subnet: '192.168.2.0' }, /subnet/],
      [{ ...createParams, excludeIPs: '192.168.9.9' }, /excludeIPs/],
      [{ ...createParams, vlanId: '20' }, /vlanId: a VLAN id needs a bridge/],
      [{ ...createParams, bridge: 'kst-nobridge' }, /bridge: no OVS bridge/],
    ];
    for (const [params, msg] of cases) {
      const err = await run(createSwitchOp, context(net, sw3), params).catch((e: unknown) => e);
      expect(err, JSON.stringify(params)).toBeInstanceOf(ValidationError);
      expect((err as Error).message).toMatch(msg);
    }
    expect(await nbFind('Logical_Switch', 'name', `name=${sw3}`)).toEqual([]);
  });

  it('a failure in the middle of the transaction leaves nothing behind', async () => {
    const plan = planCreateSwitch(net.nb, {
      name: sw3,
      subnet: '10.33.0.0/24',
      gateway: '10.33.0.1',
      dhcp: '10.33.0.1',
      chassis: localChassis(net.ovs),
    });
    const ops = [...plan.ops];
    // Force a failing op between the DHCP/router inserts and the switch insert.
    ops.splice(4, 0, insert('Logical_Switch_Port', { no_such_column: 'x' }));
    const err = await net.nb.client.transact(ops).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownColumnError);
    expect(await nbFind('Logical_Switch', 'name', `name=${sw3}`)).toEqual([]);
    expect(await nbFind('Logical_Router', 'name', `name=${sw3}-router`)).toEqual([]);
    expect(await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${sw3}`)).toEqual([]);
  });

  it('attaches a provider network on a bridge with a VLAN tag and maps it on this host', async () => {
    await vsctl('add-br', br, '--', 'set', 'Bridge', br, 'datapath_type=netdev');
    await net.ovs.client.waitUntil(() => net.ovs.named('Bridge', br) !== undefined, 5000);
    const out = await run(createSwitchOp, context(net, sw2), {
      subnet: '172.31.40.0/24',
      gateway: '172.31.40.1',
      bridge: br,
      vlanId: '20',
    });
    const ports = (
      out.report as { switchInfo: { ports: Array<{ name: string; type: string; tag?: string }> } }
    ).switchInfo.ports;
    expect(ports).toEqual([
      expect.objectContaining({ name: `${sw2}-localnet`, type: 'localnet', tag: '20' }),
    ]);
    expect(await nbctl('get', 'Logical_Switch_Port', `${sw2}-localnet`, 'options:network_name')).toBe(
      `kst-${br}`,
    );
    expect(await vsctl('get', 'Open_vSwitch', '.', 'external_ids:ovn-bridge-mappings')).toContain(
      `kst-${br}:${br}`,
    );
    // No dhcp: no router, no DHCP row (the original's rule), but the subnet is still set.
    expect(await nbFind('Logical_Router', 'name', `name=${sw2}-router`)).toEqual([]);
    expect(await nbctl('get', 'Logical_Switch', sw2, 'other_config:subnet')).toBe('"172.31.40.0/24"');
  });
});

describe('ModifySwitch', () => {
  it('merges DHCP options, moves the router port in place and keeps untouched keys', async () => {
    const lrpUuid = await nbctl('get', 'Logical_Router_Port', `${sw}-router-port`, '_uuid');
    const out = await run(modifySwitchOp, context(net, sw), { dhcp: '192.168.2.3', mtu: '1400' });
    expect(out.spec).toEqual({ type: 'l3network' });
    expect(await nbctl('get', 'Logical_Router_Port', `${sw}-router-port`, '_uuid')).toBe(lrpUuid);
    expect(await nbctl('get', 'Logical_Router_Port', `${sw}-router-port`, 'networks')).toBe(
      '["192.168.2.3/24"]',
    );
    const dhcp = (await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${sw}`))[0]!;
    const opts = await nbctl('dhcp-options-get-options', dhcp);
    expect(opts).toContain('server_id=192.168.2.3');
    expect(opts).toContain('mtu=1400');
    expect(opts).toContain('dns_server={8.8.8.8, 1.1.1.1}'); // kept, unlike the original
    expect(await nbctl('get', 'Logical_Switch', sw, 'other_config:exclude_ips')).toBe(
      '"192.168.2.2 192.168.2.200..192.168.2.254 192.168.2.1 192.168.2.3"',
    );
  });

  it('changes the provider VLAN tag', async () => {
    await run(modifySwitchOp, context(net, sw2), { vlanId: '30' });
    expect(await nbctl('get', 'Logical_Switch_Port', `${sw2}-localnet`, 'tag')).toBe('30');
  });

  it('rejects what the switch cannot take and unknown switches', async () => {
    const e1 = await run(modifySwitchOp, context(net, sw2), { mtu: '1400' }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ValidationError);
    const e2 = await run(modifySwitchOp, context(net, sw), { gateway: '10.1.1.1' }).catch((e: unknown) => e);
    expect((e2 as Error).message).toMatch(/gateway: 10\.1\.1\.1 is outside/);
    const e3 = await run(modifySwitchOp, context(net, `kst-none-${id}`), { mtu: '1400' }).catch(
      (e: unknown) => e,
    );
    expect((e3 as KubestackError).reason).toBe('NotFound');
  });
});

describe('DeleteSwitch', () => {
  it('refuses while a VM port is on the switch', async () => {
    await nbctl('lsp-add', sw, `${sw}-vm`);
    const err = await run(deleteSwitchOp, context(net, sw), {}).catch((e: unknown) => e);
    expect((err as KubestackError).reason).toBe('InUse');
    await nbctl('lsp-del', `${sw}-vm`);
  });

  it('deletes the whole bundle in one transaction, and a replay succeeds', async () => {
    const out = await run(deleteSwitchOp, context(net, sw), {});
    expect(out.deleteObject).toBe(true);
    expect(await nbFind('Logical_Switch', 'name', `name=${sw}`)).toEqual([]);
    expect(await nbFind('Logical_Router', 'name', `name=${sw}-router`)).toEqual([]);
    expect(await nbFind('Logical_Router_Port', 'name', `name=${sw}-router-port`)).toEqual([]);
    expect(await nbFind('DHCP_Options', '_uuid', `external_ids:kubestack/switch=${sw}`)).toEqual([]);
    expect((await run(deleteSwitchOp, context(net, sw), {})).deleteObject).toBe(true);
  });

  it("drops this host's bridge mapping once no switch uses the provider network", async () => {
    await run(deleteSwitchOp, context(net, sw2), { bridge: br });
    expect(await nbFind('Logical_Switch', 'name', `name=${sw2}`)).toEqual([]);
    const mappings = await vsctl(
      '--if-exists',
      'get',
      'Open_vSwitch',
      '.',
      'external_ids:ovn-bridge-mappings',
    );
    expect(mappings).not.toContain(`kst-${br}`);
  });
});
