/**
 * The bad-input corpus (test/fixtures/safety/bad-inputs.json) at the host level: every payload in
 * every string parameter of every implemented operation, through the agent's `exec` path
 * (catalogue validation, then the handler) with the real host clients. Each must come back as
 * InvalidParameter naming the parameter, and the host must be unchanged: no domain, no OVN row, no
 * OVS bridge, no new file under the allowed roots or where a shell payload would have written.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execOperation } from '../../../src/agent/exec-command.js';
import { registryCatalog } from '../../../src/agent/registry-catalog.js';
import type { Services } from '../../../src/executors/services.js';
import { baseline, corpusCases } from '../../unit/safety/corpus.js';
import { type E2E, e2eServices, env, quietLog, virsh } from '../e2e/helpers.js';
import { connectNet, type Net, nbctl, vsctl } from '../ovn/fixture.js';
import { hs11 } from './names.js';

let t: E2E;
let net: Net;
let services: Services;

/** Everything a refused request could have changed on this host, as comparable text. */
async function hostSnapshot(): Promise<Record<string, string[]>> {
  const tree = (dir: string, depth: number): string[] => {
    if (depth < 0 || !existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => !d.name.startsWith('kse2e-root-')) // this test's own scratch root
      .flatMap((d) => [join(dir, d.name), ...(d.isDirectory() ? tree(join(dir, d.name), depth - 1) : [])]);
  };
  return {
    domains: (await virsh('list', '--all', '--name')).split('\n').filter(Boolean).sort(),
    switches: (await nbctl('--bare', '--columns=name', 'list', 'Logical_Switch')).split('\n').sort(),
    routers: (await nbctl('--bare', '--columns=name', 'list', 'Logical_Router')).split('\n').sort(),
    bridges: (await vsctl('list-br')).split('\n').sort(),
    files: ['/var/lib/libvirt', '/mnt/localfs', '/mnt/usb'].flatMap((r) => tree(r, 2)).sort(),
    mounts: execFileSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' }).split('\n').sort(),
  };
}

beforeAll(async () => {
  t = await e2eServices();
  net = await connectNet();
  services = { ...t.services, ovnNb: net.nb, ovs: net.ovs };
});

afterAll(async () => {
  await net?.close();
  await t?.close();
});

describe('bad-input corpus on the host', () => {
  it('every payload in every string parameter: InvalidParameter naming it, host unchanged', async () => {
    const catalog = registryCatalog();
    const cases = corpusCases();
    const before = await hostSnapshot();
    const wrong: string[] = [];
    for (const { op, param, payload } of cases) {
      const lifecycle = { [op.name]: { ...baseline(op), [param]: payload.value } };
      const obj = {
        apiVersion: 'doslab.io/v1',
        kind: op.kind,
        metadata: { name: hs11('bad'), namespace: 'default' },
        spec: { lifecycle },
      };
      const r = await execOperation(obj, { catalog, services, nodeName: env.nodeName, log: quietLog });
      if (r.ok || r.error?.reason !== 'InvalidParameter' || r.error.details.field !== param) {
        const got = r.ok
          ? 'ok'
          : `${r.error?.reason} ${r.error?.details.field}: ${r.error?.message.slice(0, 100)}`;
        wrong.push(`${op.name}.${param} ${payload.category}: ${got}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(existsSync('/tmp/hs11-pwned')).toBe(false);
    expect(await hostSnapshot()).toEqual(before);
    expect(cases.length).toBeGreaterThan(500);
  });
});
