/**
 * Real packets through OVN (ovn-northd + ovn-controller + the userspace datapath of the test bed):
 * two endpoints on one switch, bound like VM NICs (see endpoints.ts: OVS internal ports in network
 * namespaces, each logical port made by the same transaction as PlugNIC's and tagged with its own
 * VM name), and an "outside" endpoint on a second switch. The ACL, floating-IP and QoS operations
 * run as the agent runs them on those VMs. Proven with busybox ping and Python TCP flows:
 * DHCP offers the reserved IP; traffic flows; an ACL drop stops it and deprecatedACL restores it;
 * a floating IP reaches the endpoint from outside through the gateway router and stops after
 * unbind; a QoS rate measurably caps a timed transfer.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plugNicPort, waitPortUp } from '../../../src/ovn/index.js';
import { nbctl } from '../ovn/fixture.js';
import { addEndpoint, type Endpoint, inNs, pings, removeEndpoint, tcpFlow, until } from './endpoints.js';
import { type Bed, dropSwitch, makeSwitch, openBed, runVm, uniq, vmRows } from './fixture.js';

const id = uniq();
const sw = `nw14-psw-${id}`;
const out = `nw14-pout-${id}`;
const vmA = `nw14-pa-${id}`;
const vmB = `nw14-pb-${id}`;
const vmO = `nw14-po-${id}`;
const A: Endpoint = { ns: `nw14-a-${id}`, dev: `nw14a${id}`, mac: '52:54:00:14:10:0a', ip: '10.143.0.10' };
const B: Endpoint = { ns: `nw14-b-${id}`, dev: `nw14b${id}`, mac: '52:54:00:14:10:0b', ip: '10.143.0.11' };
const O: Endpoint = { ns: `nw14-o-${id}`, dev: `nw14o${id}`, mac: '52:54:00:14:10:0c', ip: '172.31.143.20' };
const FIP = '172.31.143.50';
let bed: Bed;

async function endpointOn(
  e: Endpoint,
  vm: string,
  swName: string,
  prefix: number,
  gw: string,
): Promise<void> {
  const iface = randomUUID();
  await plugNicPort(bed.net.nb, { switchName: swName, ifaceId: iface, mac: e.mac, ip: e.ip, vm });
  await addEndpoint(e, iface, prefix, gw);
  await waitPortUp(bed.net.nb, iface, 20_000);
}

beforeAll(async () => {
  bed = await openBed();
  await makeSwitch(bed, sw, '10.143.0.0/24', '10.143.0.1');
  await makeSwitch(bed, out, '172.31.143.0/24', '172.31.143.1');
  await endpointOn(A, vmA, sw, 24, '10.143.0.1');
  await endpointOn(B, vmB, sw, 24, '10.143.0.1');
  await endpointOn(O, vmO, out, 24, '172.31.143.1');
});

afterAll(async () => {
  for (const e of [A, B, O]) await removeEndpoint(e);
  for (const vm of [vmA, vmB, vmO]) {
    await runVm(bed, vm, 'batchDeprecatedACL', {}).catch(() => undefined);
    for (const r of await vmRows(vm))
      await nbctl('--if-exists', 'destroy', ...r.split(' ')).catch(() => undefined);
  }
  for (const s of [sw, out]) await dropSwitch(s);
  await bed?.close();
});

describe('packets through OVN', () => {
  it('DHCP offers each endpoint its reserved IP', async () => {
    const r = await inNs(A.ns, 'busybox', [
      'udhcpc',
      '-i',
      A.dev,
      '-n',
      '-q',
      '-f',
      '-t',
      '5',
      '-T',
      '1',
      '-s',
      '/bin/true',
    ]);
    expect(`${r.stdout}\n${r.stderr}`).toMatch(
      new RegExp(`lease of ${A.ip.replaceAll('.', '\\.')} obtained`),
    );
  });

  it('traffic flows between the two endpoints (ping, TCP)', async () => {
    expect(await until(() => pings(A, B.ip), true, 20_000)).toBe(true);
    const f = await tcpFlow(B, A, B.ip, 7141, 100_000);
    expect(f).toMatchObject({ ok: true, bytes: 100_000, peer: A.ip });
  });

  it('an ACL drop stops the traffic, deprecatedACL restores it', async () => {
    const acl = { swName: sw, vmmac: B.mac, type: 'to', rule: "'icmp4'", operator: 'drop', priority: '900' };
    await runVm(bed, vmB, 'addACL', acl);
    expect(await until(() => pings(A, B.ip), false, 10_000)).toBe(false);
    // Only ICMP is dropped: TCP still flows.
    expect((await tcpFlow(B, A, B.ip, 7142, 10_000)).ok).toBe(true);
    await runVm(bed, vmB, 'deprecatedACL', {
      swName: sw,
      vmmac: B.mac,
      type: 'to',
      rule: 'icmp4',
      priority: '900',
    });
    expect(await until(() => pings(A, B.ip), true, 10_000)).toBe(true);
  });

  it('a floating IP reaches the endpoint from outside through the gateway router; unbind stops it', async () => {
    await runVm(bed, vmA, 'bindFloatingIP', { swName: sw, outSwName: out, fip: `${FIP}/24`, vmmac: A.mac });
    const probe = async () => (await tcpFlow(A, O, FIP, 7143, 1000, 2)).ok;
    expect(await until(probe, true, 20_000)).toBe(true);
    const f = await tcpFlow(A, O, FIP, 7144, 1000);
    expect(f.peer).toBe(O.ip);
    await runVm(bed, vmA, 'unbindFloatingIP', { swName: sw, vmmac: A.mac, fip: FIP, vmip: A.ip });
    expect(await until(probe, false, 10_000)).toBe(false);
  });

  it('a QoS rate on the NIC port measurably caps a timed transfer', async () => {
    const bytes = 200_000;
    const free = await tcpFlow(B, A, B.ip, 7145, bytes, 20);
    expect(free.ok).toBe(true);
    await runVm(bed, vmA, 'setQoS', { swName: sw, type: 'from', rule: 'ip', rate: '2000', burst: '500' });
    await until(async () => (await nbctl('qos-list', sw)).includes('rate=2000'), true, 5000);
    const capped = await tcpFlow(B, A, B.ip, 7146, bytes, 45);
    await runVm(bed, vmA, 'unsetQoS', {
      swName: sw,
      type: 'from',
      rule: 'ip',
      priority: '100',
      vmmac: A.mac,
    });
    expect(capped.ok).toBe(true);
    const kbps = (capped.bytes * 8) / 1000 / capped.seconds;
    console.log(
      `QoS figure: uncapped ${free.seconds}s, capped ${capped.seconds}s = ${kbps.toFixed(0)} kbps (rate 2000)`,
    );
    // 200 kB at 2000 kbps take ≥ 0.6 s (less the burst); unlimited, a few milliseconds here.
    expect(kbps).toBeLessThan(3000);
    expect(capped.seconds).toBeGreaterThan(free.seconds * 10);
  });
});
