/** --dry-run on the real apiserver: the agent decides and logs, and writes and runs nothing. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Agent } from '../../../src/agent/agent.js';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { startAgent } from './agent-fixture.js';
import {
  adminClient,
  agentKubeconfig,
  cleanupNode,
  create,
  get,
  newObject,
  removeAgentAccess,
  uniqueNode,
} from './harness.js';
import { runs } from './test-ops.js';

const PREFIX = 'ks-agent-dry';
const n = uniqueNode('ks-dry');
let admin: KubeClient;
let agent: Agent;

beforeAll(async () => {
  admin = adminClient();
  ({ agent } = await startAgent({ kubeconfig: await agentKubeconfig(PREFIX), nodeName: n, dryRun: true }));
});

afterAll(async () => {
  await agent?.stop();
  await cleanupNode(admin, n);
  await removeAgentAccess(PREFIX);
  admin.close();
});

it('leaves requests, finalizers and the host alone', async () => {
  const name = `${PREFIX}-vm`;
  const created = await create(admin, newObject('VirtualMachine', name, n, { lifecycle: { testNoop: {} } }));
  const bad = `${PREFIX}-bad`;
  await create(admin, newObject('VirtualMachine', bad, n, { lifecycle: { noSuchOp: {} } }));
  await new Promise((r) => setTimeout(r, 1500));
  await agent.idle();
  const o = await get(admin, 'VirtualMachine', name);
  expect(o?.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  expect(o?.spec?.lifecycle).toEqual({ testNoop: {} });
  expect(o?.metadata.finalizers).toBeUndefined();
  expect((await get(admin, 'VirtualMachine', bad))?.spec?.lifecycle).toEqual({ noSuchOp: {} });
  expect(runs.get(`${name}/testNoop`)).toBeUndefined();
});
