/**
 * The runtime under failure, on the real apiserver: the agent SIGKILLed between acknowledgement
 * and completion (journal recovery), the apiserver restarted mid-stream (nothing lost or run
 * twice), and deletion through the finalizer (release, and a refused clean-up reported in status).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../src/agent/agent.js';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { FINALIZER } from '../../../src/agent/reasons.js';
import { startAgent } from './agent-fixture.js';
import {
  adminClient,
  agentKubeconfig,
  cleanupNode,
  create,
  eventsFor,
  get,
  lastOperationOf,
  mergePatch,
  newObject,
  removeAgentAccess,
  uniqueNode,
  waitFor,
  waitingOf,
} from './harness.js';
import { runs } from './test-ops.js';

const PREFIX = 'ks-agent-res';
let admin: KubeClient;
let kubeconfig: string;
const nodes: string[] = [];

beforeAll(async () => {
  admin = adminClient();
  kubeconfig = await agentKubeconfig(PREFIX);
});

afterAll(async () => {
  for (const n of nodes) await cleanupNode(admin, n);
  await removeAgentAccess(PREFIX);
  admin.close();
});

function node(): string {
  const n = uniqueNode('ks-res');
  nodes.push(n);
  return n;
}

describe('crash safety', () => {
  it('resolves an operation the agent was killed in (SIGKILL between ack and completion) without running it again', async () => {
    const n = node();
    const journal = mkdtempSync(join(tmpdir(), 'ks-journal-'));
    const opsLog = join(journal, 'runs.log');
    const proc = execa(
      process.execPath,
      ['--import', 'tsx', 'test/integration/agent/agent-process.ts', kubeconfig, n, journal],
      {
        env: { KUBESTACK_TEST_OPS_LOG: opsLog },
        reject: false,
      },
    );
    const name = `${PREFIX}-crash`;
    await create(admin, newObject('VirtualMachine', name, n, { lifecycle: { testSleep: { ms: 60_000 } } }));
    await waitFor(
      'the operation to start',
      async () =>
        existsSync(opsLog) && lastOperationOf(await get(admin, 'VirtualMachine', name))?.phase === 'Running',
      60_000,
    );
    const acked = await get(admin, 'VirtualMachine', name);
    expect(acked?.spec?.lifecycle).toBeUndefined();
    proc.kill('SIGKILL');
    await proc;

    const { agent } = await startAgent({ kubeconfig, nodeName: n, journalDir: journal });
    try {
      const o = await waitFor('recovery status', async () => {
        const x = await get(admin, 'VirtualMachine', name);
        return lastOperationOf(x)?.phase === 'Failed' ? x : undefined;
      });
      expect(waitingOf(o)?.message).toMatch(/^agent restarted during testSleep/);
      expect(lastOperationOf(o)).toMatchObject({ name: 'testSleep', error: { reason: 'Internal' } });
      // ran once, in the killed process; never again
      expect(readFileSync(opsLog, 'utf8').trim().split('\n')).toEqual([`${name} testSleep`]);
      expect(runs.get(`${name}/testSleep`)).toBeUndefined();
      const warn = await waitFor('warning', async () =>
        (await eventsFor(admin, name)).find((e) => e.type === 'Warning'),
      );
      expect(String(warn.note)).toContain('status:Done');
    } finally {
      await agent.stop();
    }
  });
});

describe('apiserver restart mid-stream', () => {
  let agent: Agent;
  const n = node();
  beforeAll(async () => {
    ({ agent } = await startAgent({ kubeconfig, nodeName: n }));
  });
  afterAll(async () => agent?.stop());

  it('loses nothing and runs nothing twice across a kube-apiserver restart', async () => {
    const before = Array.from({ length: 10 }, (_, i) => `${PREFIX}-rs-a${i}`);
    const after = Array.from({ length: 10 }, (_, i) => `${PREFIX}-rs-b${i}`);
    for (const name of before) {
      await create(admin, newObject('VirtualMachine', name, n, { lifecycle: { testSleep: { ms: 1500 } } }));
    }
    // restart while those are running: their results must still be written, once
    await waitFor(
      'all acknowledged',
      async () => before.every((x) => runs.get(`${x}/testSleep`) === 1),
      20_000,
    );
    await execa('scripts/testbed', ['restart', 'kube-apiserver'], { stdio: 'ignore' });
    for (const name of after) {
      await create(admin, newObject('VirtualMachine', name, n, { lifecycle: { testSleep: { ms: 10 } } }));
    }
    for (const name of [...before, ...after]) {
      const o = await waitFor(
        `${name} done`,
        async () => {
          const x = await get(admin, 'VirtualMachine', name);
          return lastOperationOf(x)?.phase === 'Succeeded' ? x : undefined;
        },
        90_000,
      );
      expect(o.spec?.lifecycle).toBeUndefined();
      expect(runs.get(`${name}/testSleep`)).toBe(1);
    }
    const restarts = await agent.metrics.registry.getSingleMetricAsString(
      'kubestack_agent_watch_restarts_total',
    );
    expect(restarts).toMatch(/reason="error"/);
  });
});

describe('deletion with the finalizer', () => {
  let agent: Agent;
  const n = node();
  beforeAll(async () => {
    ({ agent } = await startAgent({
      kubeconfig,
      nodeName: n,
      hooks: {
        // a stand-in for "this disk is used by a domain": refused while the label says so
        VirtualMachineDisk: async (_ctx, obj) =>
          obj.metadata.labels?.inuse === 'yes'
            ? {
                release: false,
                message: `disk ${obj.metadata.name} is used by domain vm-x`,
                retryAfterMs: 200,
              }
            : { release: true },
      },
    }));
  });
  afterAll(async () => agent?.stop());

  it('adds the finalizer to owned objects and releases it on delete', async () => {
    const name = `${PREFIX}-del`;
    await create(admin, newObject('VirtualMachine', name, n, { image: 'x' }));
    await waitFor('finalizer', async () =>
      (await get(admin, 'VirtualMachine', name))?.metadata.finalizers?.includes(FINALIZER),
    );
    await admin.request('DELETE', `/apis/doslab.io/v1/namespaces/default/virtualmachines/${name}`);
    await waitFor('gone', async () => !(await get(admin, 'VirtualMachine', name)));
  });

  it('keeps an object whose clean-up is refused, says why, and releases once it is safe', async () => {
    const name = `${PREFIX}-deldisk`;
    await create(
      admin,
      newObject('VirtualMachineDisk', name, n, { volume: { pool: 'p' } }, { inuse: 'yes' }),
    );
    await waitFor('finalizer', async () =>
      (await get(admin, 'VirtualMachineDisk', name))?.metadata.finalizers?.includes(FINALIZER),
    );
    await admin.request('DELETE', `/apis/doslab.io/v1/namespaces/default/virtualmachinedisks/${name}`);
    const o = await waitFor('refusal reported', async () => {
      const x = await get(admin, 'VirtualMachineDisk', name);
      return waitingOf(x)?.reason === 'InUse' ? x : undefined;
    });
    expect(waitingOf(o)?.message).toContain('is used by domain vm-x');
    expect(o.metadata.deletionTimestamp).toBeDefined();
    await waitFor('warning event', async () =>
      (await eventsFor(admin, name)).find((e) => e.type === 'Warning' && String(e.note).includes('vm-x')),
    );
    await mergePatch(admin, 'VirtualMachineDisk', name, { metadata: { labels: { inuse: 'no' } } });
    await waitFor('gone', async () => !(await get(admin, 'VirtualMachineDisk', name)));
  });
});
