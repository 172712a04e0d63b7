/**
 * The operation protocol against the test bed's real kube-apiserver, with the agent authenticated
 * by a ServiceAccount token bound by deploy/rbac.yaml (not admin). Operations are test-only ones
 * (test-ops.ts), so nothing here depends on libvirt.
 */
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../src/agent/agent.js';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { FINALIZER } from '../../../src/agent/reasons.js';
import { testbedEnv } from '../testbed-env.js';
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

const PREFIX = 'ks-agent-proto';
const node = uniqueNode('ks-proto');
let admin: KubeClient;
let agent: Agent;

const vm = (name: string, lifecycle: unknown, extra: Record<string, unknown> = {}, labels = {}) =>
  newObject('VirtualMachine', `${PREFIX}-${name}`, node, { image: 'centos7', lifecycle, ...extra }, labels);

async function settled(name: string) {
  return waitFor(`${name} settled`, async () => {
    const o = await get(admin, 'VirtualMachine', `${PREFIX}-${name}`);
    const last = lastOperationOf(o);
    return o && !o.spec?.lifecycle && last && last.phase !== 'Running' ? o : undefined;
  });
}

beforeAll(async () => {
  admin = adminClient();
  const kubeconfig = await agentKubeconfig(PREFIX);
  ({ agent } = await startAgent({ kubeconfig, nodeName: node }));
});

afterAll(async () => {
  await agent?.stop();
  await cleanupNode(admin, node);
  await removeAgentAccess(PREFIX);
  admin.close();
});

describe('operation protocol', () => {
  it('acknowledges by removing spec.lifecycle, runs once, writes the uni-virt and status shapes, keeps user fields', async () => {
    await create(
      admin,
      vm('ok', { testNoop: {} }, { custom: { keep: 1 } }, { 'kubestack.label.event.id': 'ev-42' }),
    );
    const o = await settled('ok');
    expect(o.spec?.image).toBe('centos7');
    expect(o.spec?.custom).toEqual({ keep: 1 });
    expect(o.spec?.powerstate).toBe('Running');
    expect(waitingOf(o)).toEqual({ reason: 'Running', message: 'The VM is Running' });
    expect(
      typeof (o.spec?.description as { lastOperationTimeStamp?: number } | undefined)?.lastOperationTimeStamp,
    ).toBe('number');
    expect(o.metadata.finalizers).toContain(FINALIZER);
    const last = lastOperationOf(o);
    expect(last).toMatchObject({ name: 'testNoop', eventId: 'ev-42', phase: 'Succeeded' });
    expect(last?.finishedAt).toMatch(/\.\d{6}Z$/);
    const ready = ((o.status?.conditions ?? []) as Array<Record<string, unknown>>).find(
      (c) => c.type === 'Ready',
    );
    expect(ready).toMatchObject({ status: 'True', reason: 'Running' });
    expect(runs.get(`${PREFIX}-ok/testNoop`)).toBe(1);
    // events of earlier runs of this test (same name, other uid) may still exist: keep this object's
    const evs = await waitFor('two events', async () => {
      const e = (await eventsFor(admin, `${PREFIX}-ok`)).filter(
        (x) => (x.regarding as { uid?: string }).uid === o.metadata.uid,
      );
      return e.length >= 2 ? e : undefined;
    });
    const notes = evs.map((e) => String(e.note));
    expect(notes.some((n) => n.includes('status:Doing') && n.includes('eventId:ev-42'))).toBe(true);
    expect(notes.some((n) => n.includes('status:Done') && n.includes('reporter:Virtctl'))).toBe(true);
    expect(evs).toHaveLength(2);
    expect(evs.every((e) => e.reason === 'testNoop')).toBe(true);
    // regarding carries apiVersion and uid, so kubectl describe lists them
    const described = await execa('kubectl', [
      '--kubeconfig',
      testbedEnv().kubeconfig,
      'describe',
      'virtualmachine',
      `${PREFIX}-ok`,
    ]);
    expect(described.stdout).toMatch(/Events:[\s\S]*testNoop/);
  });

  it('matches the operation name case-insensitively', async () => {
    await create(admin, vm('case', { TESTNOOP: {} }));
    const o = await settled('case');
    expect(lastOperationOf(o)).toMatchObject({ name: 'testNoop', phase: 'Succeeded' });
  });

  it('writes a failure with the error reason and a Warning Done event', async () => {
    await create(admin, vm('fail', { testFail: {} }, { powerstate: 'Shutdown' }));
    const o = await settled('fail');
    expect(waitingOf(o)).toEqual({
      reason: 'InUse',
      message: `disk of ${PREFIX}-fail is in use by domain other`,
    });
    expect(o.spec?.powerstate).toBe('Shutdown');
    expect(lastOperationOf(o)).toMatchObject({ phase: 'Failed', error: { reason: 'InUse' } });
    const evs = await waitFor('done event', async () => {
      const e = await eventsFor(admin, `${PREFIX}-fail`);
      return e.find((x) => x.type === 'Warning');
    });
    expect(String(evs.note)).toContain('status:Done');
  });

  it('turns an unknown operation into a failure status and a Warning event, not a crash or a loop', async () => {
    await create(admin, vm('unknown', { frobnicateVM: { x: 1 } }));
    const o = await settled('unknown');
    expect(waitingOf(o)?.reason).toBe('InvalidParameter');
    expect(waitingOf(o)?.message).toContain('unknown operation frobnicateVM');
    // the agent is still alive and serves the next request
    await create(admin, vm('after-unknown', { testNoop: {} }));
    await settled('after-unknown');
    const warn = await waitFor('warning', async () =>
      (await eventsFor(admin, `${PREFIX}-unknown`)).find((e) => e.type === 'Warning'),
    );
    expect(String(warn.note)).toContain('operation:frobnicateVM');
  });

  it('rejects a malformed lifecycle and a missing spec', async () => {
    await create(admin, vm('malformed', { testNoop: 'now' }));
    const o = await settled('malformed');
    expect(waitingOf(o)?.reason).toBe('InvalidParameter');
    expect(waitingOf(o)?.message).toContain('must be an object');
    const bare = newObject('VirtualMachine', `${PREFIX}-nospec`, node, {});
    delete bare.spec;
    await create(admin, bare);
    const n = await settled('nospec');
    expect(waitingOf(n)).toMatchObject({ reason: 'InvalidParameter', message: 'the object has no spec' });
  });

  it.each([
    ['pattern', { name: 'UPPER', size: 1 }, 'name'],
    ['range', { name: 'good-name', size: 11 }, 'size'],
    ['enumeration', { name: 'good-name', size: 1, mode: 'turbo' }, 'mode'],
    ['type', { name: 'good-name', size: 'big' }, 'size'],
    ['required', { size: 1 }, 'name'],
  ])('rejects invalid parameters before running (%s)', async (cls, params, field) => {
    const n = `inv-${cls}`;
    await create(admin, vm(n, { testParams: params }));
    const o = await settled(n);
    expect(waitingOf(o)?.reason).toBe('InvalidParameter');
    expect(waitingOf(o)?.message).toContain(field);
    expect(runs.get(`${PREFIX}-${n}/testParams`)).toBeUndefined();
  });

  it('accepts a documented alias spelling', async () => {
    await create(admin, vm('alias', { testParams: { vol_name: 'good-name', size: 2 } }));
    const o = await settled('alias');
    expect(lastOperationOf(o)).toMatchObject({ phase: 'Succeeded' });
  });

  it('reports into spec.<reportField> for other kinds, with Ready defaults', async () => {
    const name = `${PREFIX}-disk`;
    await create(
      admin,
      newObject('VirtualMachineDisk', name, node, { lifecycle: { testReport: { pool: 'pooltest' } } }),
    );
    const o = await waitFor('disk settled', async () => {
      const d = await get(admin, 'VirtualMachineDisk', name);
      return lastOperationOf(d)?.phase === 'Succeeded' ? d : undefined;
    });
    expect(o.spec?.volume).toMatchObject({
      pool: 'pooltest',
      current: `/var/lib/libvirt/pooltest/${name}/${name}`,
    });
    expect(waitingOf(o)).toEqual({ reason: 'Ready', message: 'The resource is ready.' });
  });

  it('retries a retriable handler failure with backoff and then succeeds', async () => {
    await create(admin, vm('retry', { testRetriable: { times: 2 } }));
    const o = await settled('retry');
    expect(lastOperationOf(o)).toMatchObject({ phase: 'Succeeded' });
    expect(runs.get(`${PREFIX}-retry/testRetriable`)).toBe(3);
  });

  it('runs many objects in parallel, each exactly once', async () => {
    const N = 40;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: N }, (_, i) => create(admin, vm(`many-${i}`, { testSleep: { ms: 500 } }))),
    );
    await Promise.all(Array.from({ length: N }, (_, i) => settled(`many-${i}`)));
    // 40 × 500 ms serially would be 20 s; with 16 workers it is ~1.5 s plus overhead
    expect(Date.now() - t0).toBeLessThan(8_000);
    for (let i = 0; i < N; i++) expect(runs.get(`${PREFIX}-many-${i}/testSleep`)).toBe(1);
  });

  it('survives 409 conflicts: concurrent writers while acknowledging and running, the op runs once and user writes are kept', async () => {
    const name = 'conflict';
    await create(admin, vm(name, { testSleep: { ms: 400 } }));
    // hammer the object with label and spec changes while the agent acknowledges and runs
    for (let i = 0; i < 15; i++) {
      await mergePatch(admin, 'VirtualMachine', `${PREFIX}-${name}`, {
        metadata: { labels: { touch: String(i) } },
        spec: { userField: i },
      });
      await new Promise((r) => setTimeout(r, 20));
    }
    const o = await settled(name);
    expect(runs.get(`${PREFIX}-${name}/testSleep`)).toBe(1);
    expect(o.spec?.userField).toBe(14);
    expect(o.metadata.labels?.touch).toBe('14');
    expect(lastOperationOf(o)).toMatchObject({ phase: 'Succeeded' });
  });

  it('never executes an operation that arrives with a DELETED event', async () => {
    const name = `${PREFIX}-deleted`;
    // the object is ours only once the host label is set; deleting it before then, with a
    // lifecycle, must not run anything
    await create(admin, newObject('VirtualMachine', name, 'someone-else', { lifecycle: { testNoop: {} } }));
    await admin.request('DELETE', `/apis/doslab.io/v1/namespaces/default/virtualmachines/${name}`);
    await new Promise((r) => setTimeout(r, 500));
    expect(runs.get(`${name}/testNoop`)).toBeUndefined();
  });

  it('ignores objects of other nodes and honours spec.nodeName when the host label is missing', async () => {
    const other = newObject('VirtualMachine', `${PREFIX}-other`, 'another-node', {
      lifecycle: { testNoop: {} },
    });
    await create(admin, other);
    const unlabelled = newObject('VirtualMachine', `${PREFIX}-nolabel`, node, {
      nodeName: node,
      lifecycle: { testNoop: {} },
    });
    delete unlabelled.metadata.labels?.host;
    await create(admin, unlabelled);
    await settled('nolabel');
    expect(runs.get(`${PREFIX}-nolabel/testNoop`)).toBe(1);
    const o = await get(admin, 'VirtualMachine', `${PREFIX}-other`);
    expect(o?.spec?.lifecycle).toEqual({ testNoop: {} });
    expect(runs.get(`${PREFIX}-other/testNoop`)).toBeUndefined();
    for (const n of [`${PREFIX}-other`, `${PREFIX}-nolabel`]) {
      await mergePatch(admin, 'VirtualMachine', n, { metadata: { finalizers: null } });
      await admin.request('DELETE', `/apis/doslab.io/v1/namespaces/default/virtualmachines/${n}`);
    }
  });

  it('deletes the CR after a delete operation succeeds', async () => {
    await create(admin, vm('gone', { testDelete: {} }));
    await waitFor('object deleted', async () => !(await get(admin, 'VirtualMachine', `${PREFIX}-gone`)));
    expect(runs.get(`${PREFIX}-gone/testDelete`)).toBe(1);
  });
});
