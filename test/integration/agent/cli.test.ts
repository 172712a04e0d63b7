/**
 * `kubestack-agent run` as a real process (src/agent/main.ts: the executor registry, real Services),
 * with a ServiceAccount token bound by deploy/rbac.yaml: health and metrics endpoints, a documented
 * operation answered from the host, an undocumented one rejected, SIGTERM stops it cleanly.
 * Also `exec` and `validate` on files.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { testbedEnv } from '../testbed-env.js';
import {
  adminClient,
  agentKubeconfig,
  cleanupNode,
  create,
  get,
  lastOperationOf,
  newObject,
  removeAgentAccess,
  uniqueNode,
  waitFor,
  waitingOf,
} from './harness.js';

const PREFIX = 'ks-agent-cli';
const n = uniqueNode('ks-cli');
let admin: KubeClient;
let proc: ResultPromise | undefined;
let port = 0;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}

const agentCmd = (args: string[]) =>
  [process.execPath, ['--import', 'tsx', 'src/agent/main.ts', ...args]] as const;

beforeAll(async () => {
  admin = adminClient();
  const kubeconfig = await agentKubeconfig(PREFIX);
  port = await freePort();
  const journal = mkdtempSync(join(tmpdir(), 'ks-cli-journal-'));
  const [cmd, args] = agentCmd([
    'run',
    '--kubeconfig',
    kubeconfig,
    '--node-name',
    n,
    '--metrics-addr',
    `127.0.0.1:${port}`,
    '--journal-dir',
    journal,
    '--libvirt-socket',
    testbedEnv().libvirtSocket,
    '--log-level',
    'warn',
  ]);
  proc = execa(cmd, args, { reject: false, env: { KUBESTACK_VIRT_TYPE: testbedEnv().virtType } });
  await waitFor(
    'readyz',
    async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200,
    60_000,
    200,
  );
});

afterAll(async () => {
  proc?.kill('SIGTERM');
  await proc;
  await cleanupNode(admin, n);
  await removeAgentAccess(PREFIX);
  admin.close();
});

describe('kubestack-agent run', () => {
  it('serves /healthz, /readyz and /metrics', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const text = await (await fetch(`http://127.0.0.1:${port}/readyz`)).text();
    expect(text).toMatch(/^ready: 16\/16 caches synced/);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('kubestack_agent_queue_depth');
    expect(metrics).toContain('kubestack_agent_connection_up{target="apiserver"} 1');
    // the host clients' metrics (process-wide registry) are served too
    expect(metrics).toMatch(/^kubestack_libvirt_\w+/m);
  });

  it('answers a documented operation from the host, and rejects an undocumented one', async () => {
    const pool = `${PREFIX}-nopool`;
    await create(admin, newObject('VirtualMachinePool', pool, n, { lifecycle: { showPool: {} } }));
    const o = await waitFor('pool status', async () => {
      const x = await get(admin, 'VirtualMachinePool', pool);
      return lastOperationOf(x)?.phase === 'Failed' ? x : undefined;
    });
    expect(waitingOf(o)?.reason).toBe('NotFound');
    const vm = `${PREFIX}-bogus`;
    await create(admin, newObject('VirtualMachine', vm, n, { lifecycle: { launchMissiles: {} } }));
    const v = await waitFor('vm status', async () => {
      const x = await get(admin, 'VirtualMachine', vm);
      return lastOperationOf(x)?.phase === 'Failed' ? x : undefined;
    });
    expect(waitingOf(v)?.reason).toBe('InvalidParameter');
    expect(waitingOf(v)?.message).toContain('unknown operation launchMissiles');
    // constraint classes checked by the real registry before anything runs on the host
    const confined = `${PREFIX}-confined`;
    await create(
      admin,
      newObject('VirtualMachinePool', confined, n, {
        lifecycle: { createPool: { type: 'localfs', url: '/etc/kspool', content: 'vmd' } },
      }),
    );
    const shortName = 'ab1';
    await create(
      admin,
      newObject('VirtualMachineDisk', shortName, n, {
        lifecycle: { createDisk: { type: 'localfs', pool: 'pooltest', capacity: '10G', format: 'qcow2' } },
      }),
    );
    for (const [kind, name, field] of [
      ['VirtualMachinePool', confined, 'url'],
      ['VirtualMachineDisk', shortName, 'metadata.name'],
    ] as const) {
      const x = await waitFor(`${name} rejected`, async () => {
        const y = await get(admin, kind, name);
        return lastOperationOf(y)?.phase === 'Failed' ? y : undefined;
      });
      expect(waitingOf(x)?.reason).toBe('InvalidParameter');
      expect(waitingOf(x)?.message).toContain(field);
    }
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(
      /kubestack_agent_operations_total\{kind="VirtualMachinePool",operation="showPool",result="failed"\} 1/,
    );
  });
});

describe('kubestack-agent exec and validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ks-cli-'));
  it('exec prints the result JSON on stdout and exits 1 on failure', async () => {
    const f = join(dir, 'op.yaml');
    writeFileSync(f, 'kind: VirtualMachinePool\nname: ks-agent-cli-none\nlifecycle:\n  showPool: {}\n');
    const [cmd, args] = agentCmd(['exec', '-f', f]);
    const r = await execa(cmd, args, {
      reject: false,
      env: { KUBESTACK_LIBVIRT_SOCKET: testbedEnv().libvirtSocket },
    });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      operation: 'showPool',
      ok: false,
      error: { reason: 'NotFound' },
    });
  });
  it('validate reports the broken constraint without running anything', async () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(
      f,
      'kind: VirtualMachinePool\nname: p1\nlifecycle:\n  createPool: {type: localfs, url: /etc/passwd, content: vmd}\n',
    );
    const [cmd, args] = agentCmd(['validate', '-f', f]);
    const r = await execa(cmd, args, { reject: false });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).ok).toBe(false);
  });
});
