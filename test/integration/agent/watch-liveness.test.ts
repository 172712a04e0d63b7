/**
 * Watches that do not go deaf, against the real apiserver behind a proxy that simulates the network:
 * start-up while the apiserver is unreachable waits and recovers, and a silently frozen watch
 * stream is noticed by the watchdog and replaced by a relist.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../src/agent/agent.js';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { startAgent } from './agent-fixture.js';
import { FreezeProxy } from './freeze-proxy.js';
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
} from './harness.js';

const PREFIX = 'ks-agent-live';
const n = uniqueNode('ks-live');
let admin: KubeClient;
let proxy: FreezeProxy;
let agent: Agent | undefined;

beforeAll(async () => {
  admin = adminClient();
  const direct = await agentKubeconfig(PREFIX);
  proxy = new FreezeProxy(admin.server.hostname, Number(admin.server.port));
  await proxy.start();
  proxy.setRefusing(true);
  const viaProxy = direct.replace(/kubeconfig$/, 'kubeconfig-proxy');
  writeFileSync(
    viaProxy,
    readFileSync(direct, 'utf8').replace(/server: \S+/, `server: https://127.0.0.1:${proxy.port}`),
    { mode: 0o600 },
  );
  process.env.KS_LIVE_KUBECONFIG = viaProxy;
});

afterAll(async () => {
  await agent?.stop();
  await proxy.stop();
  await cleanupNode(admin, n);
  await removeAgentAccess(PREFIX);
  admin.close();
});

async function done(name: string) {
  return waitFor(
    `${name} done`,
    async () => lastOperationOf(await get(admin, 'VirtualMachine', name))?.phase === 'Succeeded',
    30_000,
  );
}

describe('watch liveness', () => {
  it('starts while the apiserver is unreachable, and recovers when it comes back', async () => {
    const starting = startAgent({
      kubeconfig: process.env.KS_LIVE_KUBECONFIG as string,
      nodeName: n,
      watchdogSeconds: 3,
    });
    let started = false;
    void starting.then(() => {
      started = true;
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(started).toBe(false);
    proxy.setRefusing(false);
    ({ agent } = await starting);
    expect(agent.ready().ready).toBe(true);
    const name = `${PREFIX}-first`;
    await create(admin, newObject('VirtualMachine', name, n, { lifecycle: { testNoop: {} } }));
    await done(name);
  });

  it('notices a silently frozen watch and relists', async () => {
    const frozen = proxy.freeze();
    expect(frozen).toBeGreaterThan(0);
    const name = `${PREFIX}-after-freeze`;
    await create(admin, newObject('VirtualMachine', name, n, { lifecycle: { testNoop: {} } }));
    await done(name);
    const m = await agent?.metrics.registry.getSingleMetricAsString('kubestack_agent_watch_restarts_total');
    expect(m).toMatch(/reason="watchdog"/);
  });
});
