/**
 * The one state path, end to end on the test bed: a failed operation's result is never overwritten
 * by observation, no stale spec.domain survives a missing domain, an agent restart keeps every last
 * result, Ready (observed) and lastOperation stay apart, and a `kubectl delete` followed by a create
 * of the same name works (the agent's records are released; host data is adopted where safe).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../src/agent/agent.js';
import { DEFAULTS } from '../../../src/agent/config.js';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { objectPath } from '../../../src/agent/kube/paths.js';
import { registryCatalog } from '../../../src/agent/registry-catalog.js';
import type { KindName, KubeObject } from '../../../src/kinds.js';
import { sdkModelOf, sdkViolations } from '../../../src/sdk-model.js';
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
  waitGone,
  waitingOf,
  waitOperation,
} from '../agent/harness.js';
import { type E2E, e2eServices, quietLog, unique } from './helpers.js';

const PREFIX = 'kse2e-state';
const node = uniqueNode('ksstate');
let admin: KubeClient;
let kubeconfig: string;
let t: E2E;
let agent: Agent | undefined;
const journalDir = () => join(t.root, 'journal');

function sdk(
  kind: KindName,
  name: string,
  op: string,
  params: Record<string, unknown>,
  spec = {},
): KubeObject {
  return newObject(
    kind,
    name,
    node,
    { nodeName: node, ...spec, lifecycle: { [op]: params } },
    {
      'kubestack.label.event.id': `${op}.event.${unique('id')}`,
    },
  );
}

async function startAgent(): Promise<Agent> {
  return Agent.start({
    config: { ...DEFAULTS, kubeconfig, nodeName: node, metricsAddr: '', journalDir: journalDir() },
    catalog: registryCatalog(),
    services: t.services,
    log: quietLog,
  });
}

const readyOf = (o: KubeObject | undefined) =>
  ((o?.status?.['conditions'] ?? []) as Array<Record<string, unknown>>).find((c) => c.type === 'Ready');

beforeAll(async () => {
  admin = adminClient();
  kubeconfig = await agentKubeconfig(PREFIX);
  t = await e2eServices();
  agent = await startAgent();
});

afterAll(async () => {
  await agent?.stop();
  await cleanupNode(admin, node);
  await removeAgentAccess(PREFIX);
  admin.close();
  await t.close();
});

describe('one state path', () => {
  const ghost = unique('vm');

  it('a failed operation leaves its failure in spec.status and no stale spec.domain', async () => {
    // as an earlier report would have left it: a domain copy and a power state
    const stale = { domain: { name: { text: ghost } }, powerstate: 'Running' };
    await create(admin, sdk('VirtualMachine', ghost, 'startVM', {}, stale));
    const o = await waitOperation(admin, 'VirtualMachine', ghost, 'startVM');
    expect(waitingOf(o)).toEqual({ reason: 'NotFound', message: `VM '${ghost}' not found` });
    const settled = await waitFor('observed', async () => {
      const x = await get(admin, 'VirtualMachine', ghost);
      return x?.spec?.['domain'] === undefined ? x : undefined;
    });
    expect(settled.spec?.['powerstate']).toBe('Unknown');
    expect(readyOf(settled)).toMatchObject({ status: 'False', reason: 'DomainNotFound' });
    expect(lastOperationOf(settled)).toMatchObject({ name: 'startVM', phase: 'Failed', reason: 'NotFound' });
    expect(sdkViolations(sdkModelOf('VirtualMachine'), settled.spec ?? {})).toEqual([]);
  });

  it('an agent restart keeps every last result (observation never rewrites spec.status)', async () => {
    const before = await get(admin, 'VirtualMachine', ghost);
    await agent?.stop();
    t = await e2eServices();
    agent = await startAgent();
    await agent.idle();
    const after = await get(admin, 'VirtualMachine', ghost);
    expect(waitingOf(after)).toEqual(waitingOf(before));
    expect(lastOperationOf(after)).toEqual(lastOperationOf(before));
  });

  const pool = unique('pool');
  const disk = unique('disk');
  const poolParams = () => ({ type: 'dir', content: 'vmd', url: join(t.root, pool), 'auto-start': true });
  const diskParams = { type: 'localfs', pool, capacity: '1G', format: 'qcow2' };

  async function kubectlDelete(kind: KindName, name: string): Promise<void> {
    await admin.request('DELETE', objectPath(kind, 'default', name));
    await waitGone(admin, kind, name);
  }

  it('a pool object deleted with kubectl, then created again with the same name', async () => {
    await create(admin, sdk('VirtualMachinePool', pool, 'createPool', poolParams()));
    expect(waitingOf(await waitOperation(admin, 'VirtualMachinePool', pool, 'createPool'))?.reason).toBe(
      'Ready',
    );
    await kubectlDelete('VirtualMachinePool', pool);
    expect(existsSync(join(t.root, pool))).toBe(true); // host data stays
    await create(admin, sdk('VirtualMachinePool', pool, 'createPool', poolParams()));
    const o = await waitOperation(admin, 'VirtualMachinePool', pool, 'createPool');
    expect(waitingOf(o)?.reason).toBe('Ready');
    expect(readyOf(o)).toMatchObject({ status: 'True' });
  });

  it('a disk object deleted with kubectl, then created again: the disk on the host is adopted', async () => {
    await create(admin, sdk('VirtualMachineDisk', disk, 'createDisk', diskParams));
    expect(waitingOf(await waitOperation(admin, 'VirtualMachineDisk', disk, 'createDisk'))?.reason).toBe(
      'Ready',
    );
    await kubectlDelete('VirtualMachineDisk', disk);
    expect(existsSync(join(t.root, pool, disk, disk))).toBe(true);
    await create(admin, sdk('VirtualMachineDisk', disk, 'createDisk', diskParams));
    const o = await waitOperation(admin, 'VirtualMachineDisk', disk, 'createDisk');
    expect(waitingOf(o)?.reason).toBe('Ready');
    expect((o.spec?.['volume'] as Record<string, unknown> | undefined)?.['pool']).toBe(pool);
    expect(sdkViolations(sdkModelOf('VirtualMachineDisk'), o.spec ?? {})).toEqual([]);
  });

  it('a refused request does not make a healthy disk look broken (Ready and lastOperation apart)', async () => {
    const { mergePatch } = await import('../agent/harness.js');
    await mergePatch(admin, 'VirtualMachineDisk', disk, {
      spec: { lifecycle: { resizeDisk: { pool, capacity: 'huge' } } },
    });
    const o = await waitOperation(admin, 'VirtualMachineDisk', disk, 'resizeDisk');
    expect(lastOperationOf(o)).toMatchObject({ phase: 'Failed', reason: 'InvalidParameter' });
    expect(readyOf(o)).toMatchObject({ status: 'True' });
  });
});
