/**
 * Full resync and out-of-band changes on the test bed, through the apiserver: a resync of an
 * unchanged host writes nothing (the agent's own write counter), a disk changed behind the agent's
 * back is re-reported by the next resync, a domain started, destroyed and undefined by another tool
 * gives Events (ordered, with first/lastTimestamp) and keeps its object, and the census counts a
 * domain no object names without touching it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../src/agent/agent.js';
import { DEFAULTS } from '../../../src/agent/config.js';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { registryCatalog } from '../../../src/agent/registry-catalog.js';
import type { KindName, KubeObject } from '../../../src/kinds.js';
import {
  adminClient,
  agentKubeconfig,
  cleanupNode,
  create,
  eventsFor,
  get,
  newObject,
  removeAgentAccess,
  uniqueNode,
  waitFor,
  waitingOf,
  waitOperation,
} from '../agent/harness.js';
import { type E2E, e2eServices, quietLog, removeDomain, unique, virsh } from './helpers.js';

const PREFIX = 'kse2e-resync';
const node = uniqueNode('ksresync');
let admin: KubeClient;
let kubeconfig: string;
let t: E2E;
let agent: Agent;

const sdk = (kind: KindName, name: string, op: string, params: Record<string, unknown>): KubeObject =>
  newObject(
    kind,
    name,
    node,
    { nodeName: node, lifecycle: { [op]: params } },
    {
      'kubestack.label.event.id': `${op}.event.${unique('id')}`,
    },
  );

/** Writes the agent sent to the apiserver so far (every verb and code). */
async function writes(): Promise<number> {
  const m = await agent.metrics.apiRequests.get();
  return m.values.reduce((n, v) => n + v.value, 0);
}

const readyOf = (o: KubeObject | undefined) =>
  ((o?.status?.['conditions'] ?? []) as Array<Record<string, unknown>>).find((c) => c.type === 'Ready');

beforeAll(async () => {
  admin = adminClient();
  kubeconfig = await agentKubeconfig(PREFIX);
  t = await e2eServices();
  agent = await Agent.start({
    config: { ...DEFAULTS, kubeconfig, nodeName: node, metricsAddr: '', journalDir: join(t.root, 'journal') },
    catalog: registryCatalog(),
    services: t.services,
    log: quietLog,
  });
});

afterAll(async () => {
  await agent?.stop();
  await cleanupNode(admin, node);
  await removeAgentAccess(PREFIX);
  admin.close();
  await t?.close();
});

describe('full resync', () => {
  const pool = unique('pool');
  const disk = unique('disk');

  it('an unchanged host: a resync writes nothing', async () => {
    const url = join(t.root, pool);
    await create(
      admin,
      sdk('VirtualMachinePool', pool, 'createPool', { type: 'dir', content: 'vmd', url, 'auto-start': true }),
    );
    expect(waitingOf(await waitOperation(admin, 'VirtualMachinePool', pool, 'createPool'))?.reason).toBe(
      'Ready',
    );
    await create(
      admin,
      sdk('VirtualMachineDisk', disk, 'createDisk', {
        type: 'localfs',
        pool,
        capacity: '64M',
        format: 'qcow2',
      }),
    );
    expect(waitingOf(await waitOperation(admin, 'VirtualMachineDisk', disk, 'createDisk'))?.reason).toBe(
      'Ready',
    );
    await agent.idle();
    // settle: the echoes of the last writes, and one resync to report what they left
    await agent.resyncNow();
    await agent.idle();
    const before = {
      writes: await writes(),
      pool: await get(admin, 'VirtualMachinePool', pool),
      disk: await get(admin, 'VirtualMachineDisk', disk),
    };
    await agent.resyncNow();
    await agent.idle();
    const after = {
      writes: await writes(),
      pool: await get(admin, 'VirtualMachinePool', pool),
      disk: await get(admin, 'VirtualMachineDisk', disk),
    };
    expect(after.disk?.metadata.resourceVersion).toBe(before.disk?.metadata.resourceVersion);
    // The pool reports its filesystem's free bytes, which other writers on this shared host move:
    // a write for the pool only when that figure really changed.
    const freeOf = (o: KubeObject | undefined) =>
      (o?.spec?.['pool'] as Record<string, unknown> | undefined)?.['free'];
    const poolWrites = freeOf(after.pool) === freeOf(before.pool) ? 0 : 1;
    expect(after.writes - before.writes).toBe(poolWrites);
  });

  it('a disk changed behind the agent is re-reported by the next resync', async () => {
    const file = join(t.root, pool, disk, disk);
    await execa('qemu-img', ['resize', file, '128M']);
    await agent.resyncNow();
    await agent.idle();
    const o = await waitFor('re-reported', async () => {
      const x = await get(admin, 'VirtualMachineDisk', disk);
      const v = x?.spec?.['volume'] as Record<string, unknown> | undefined;
      return Number(v?.['virtual_size'] ?? v?.['capacity']) === 128 * 1024 * 1024 ? x : undefined;
    });
    expect(readyOf(o)).toMatchObject({ status: 'True' });
  });

  it('a disk deleted behind the agent: NotFound and a Warning Event', async () => {
    await execa('rm', ['-rf', join(t.root, pool, disk)]);
    await agent.resyncNow();
    await agent.idle();
    await waitFor(
      'NotFound',
      async () => readyOf(await get(admin, 'VirtualMachineDisk', disk))?.['reason'] === 'NotFound',
    );
    const ev = await waitFor('warning event', async () =>
      (await eventsFor(admin, disk)).find((e) => e['type'] === 'Warning' && e['reason'] === 'NotFound'),
    );
    expect(String(ev['note'])).toMatch(/changed outside the agent: was Ready, now NotFound/);
  });
});

describe('out-of-band domain changes', () => {
  const vm = unique('vm');
  const stray = unique('stray');
  const xml = (name: string) =>
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>` +
    `<os><type arch='x86_64'>hvm</type></os><devices><graphics type='vnc' listen='127.0.0.1'/></devices></domain>`;

  afterAll(async () => {
    await removeDomain(vm);
    await removeDomain(stray);
  });

  it('a domain started, destroyed and undefined by another tool: Events and log lines, the object stays', async () => {
    for (const name of [vm, stray]) {
      const f = join(t.root, `${name}.xml`);
      await writeFile(f, xml(name));
      await virsh('define', f);
    }
    await create(admin, newObject('VirtualMachine', vm, node, { nodeName: node }));
    await waitFor(
      'observed Shutoff',
      async () => readyOf(await get(admin, 'VirtualMachine', vm))?.['reason'] === 'Shutoff',
    );
    await virsh('start', vm);
    await waitFor(
      'Running',
      async () => readyOf(await get(admin, 'VirtualMachine', vm))?.['reason'] === 'Running',
    );
    await virsh('destroy', vm);
    await waitFor(
      'Shutoff',
      async () => readyOf(await get(admin, 'VirtualMachine', vm))?.['reason'] === 'Shutoff',
    );
    await virsh('undefine', vm);
    await waitFor(
      'gone',
      async () => readyOf(await get(admin, 'VirtualMachine', vm))?.['reason'] === 'DomainNotFound',
    );
    const events = await waitFor('three events', async () => {
      const es = await eventsFor(admin, vm);
      return es.length >= 3 ? es : undefined;
    });
    const byTime = [...events].sort(
      (a, b) =>
        String(a['deprecatedLastTimestamp']).localeCompare(String(b['deprecatedLastTimestamp'])) ||
        String(a['metadata'] && (a['metadata'] as { name: string }).name).localeCompare(
          String((b['metadata'] as { name: string }).name),
        ),
    );
    expect(byTime.map((e) => [e['type'], e['reason']])).toEqual([
      ['Normal', 'Running'],
      ['Warning', 'Shutoff'],
      ['Warning', 'DomainNotFound'],
    ]);
    for (const e of events) {
      expect(e['eventTime']).toMatch(/\.\d{6}Z$/);
      expect(e['deprecatedFirstTimestamp']).toMatch(/Z$/);
      expect(e['deprecatedLastTimestamp']).toMatch(/Z$/);
    }
    expect(await get(admin, 'VirtualMachine', vm)).toBeDefined();
  });

  it('the census counts a domain no object names, and leaves it alone', async () => {
    const census = (await agent.resyncNow()) as { domain: string[] } | undefined;
    expect(census?.domain).toContain(stray);
    expect(census?.domain).not.toContain(vm);
    const gauge = await agent.metrics.registry
      .getSingleMetric('kubestack_agent_unmanaged_host_objects')
      ?.get();
    expect(gauge?.values.find((v) => v.labels['type'] === 'domain')?.value).toBeGreaterThan(0);
    expect(await virsh('domstate', stray)).toBe('shut off');
  });
});
