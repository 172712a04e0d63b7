/**
 * The slice through the real kube-apiserver: the agent runs with its ServiceAccount (deploy/rbac.yaml,
 * not admin), the full operation registry and real Services; clients create objects exactly as the
 * Java SDK does (labels host + kubestack.label.event.id, spec.nodeName, spec.lifecycle) and read the
 * results back from the objects. The agent's domain-state reporter runs too: a domain destroyed
 * behind the agent's back shows in its VirtualMachine within a second.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../src/agent/agent.js';
import { DEFAULTS } from '../../../src/agent/config.js';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { collectionPath } from '../../../src/agent/kube/paths.js';
import { registryCatalog } from '../../../src/agent/registry-catalog.js';
import type { KindName, KubeObject } from '../../../src/kinds.js';
import { sdkModelOf, sdkViolations } from '../../../src/sdk-model.js';
import { buildTestIso } from '../../fixtures/e2e/iso.js';
import {
  adminClient,
  agentKubeconfig,
  cleanupNode,
  create,
  get,
  removeAgentAccess,
  uniqueNode,
  waitFor,
  waitGone,
  waitingOf,
  waitOperation,
} from '../agent/harness.js';
import {
  domstate,
  type E2E,
  e2eServices,
  GiB,
  quietLog,
  removeDomain,
  unique,
  virsh,
  vmParams,
} from './helpers.js';

const PREFIX = 'kse2e-api';
const node = uniqueNode('kse2e');
let admin: KubeClient;
let agent: Agent;
let t: E2E;
let iso: string;
const pool = unique('pool');
const disk = unique('disk');
const vm = unique('vm');

/** A new object as the Java SDK creates it, carrying one lifecycle request. */
function sdk(kind: KindName, name: string, op: string, params: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'doslab.io/v1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      labels: { host: node, 'kubestack.label.event.id': `${op}.event.${unique('id')}` },
    },
    spec: { nodeName: node, lifecycle: { [op]: params } },
  };
}

/** Puts a lifecycle request on an existing object, as the SDK's update does. */
async function request(kind: KindName, name: string, op: string, params: Record<string, unknown>) {
  const { mergePatch } = await import('../agent/harness.js');
  await mergePatch(admin, kind, name, {
    metadata: { labels: { 'kubestack.label.event.id': `${op}.event.${unique('id')}` } },
    spec: { lifecycle: { [op]: params } },
  });
}

const finished = (kind: KindName, name: string, op: string, timeoutMs?: number) =>
  waitOperation(admin, kind, name, op, timeoutMs);
const gone = (kind: KindName, name: string) => waitGone(admin, kind, name);

beforeAll(async () => {
  admin = adminClient();
  const kubeconfig = await agentKubeconfig(PREFIX);
  t = await e2eServices({ vmStopTimeoutMs: 2000 });
  iso = await buildTestIso(join(t.root, 'iso'), 'installer');
  agent = await Agent.start({
    config: {
      ...DEFAULTS,
      kubeconfig,
      nodeName: node,
      metricsAddr: '',
      journalDir: join(t.root, 'journal'),
      vmMetricsIntervalSeconds: 1,
    },
    catalog: registryCatalog(),
    services: t.services,
    log: quietLog,
  });
});

afterAll(async () => {
  await removeDomain(vm);
  await t.storage.deleteDisk({ pool, name: disk }).catch(() => undefined);
  await t.storage.deletePool(pool, { force: true }).catch(() => undefined);
  // The agent closes its Services (the libvirt client) when it stops.
  await agent?.stop();
  await cleanupNode(admin, node);
  await removeAgentAccess(PREFIX);
  admin.close();
  await t.close();
});

describe('through the apiserver', () => {
  it('createPool → spec.pool, Ready', async () => {
    await create(
      admin,
      sdk('VirtualMachinePool', pool, 'createPool', {
        type: 'dir',
        content: 'vmd',
        url: join(t.root, pool),
        'auto-start': true,
      }),
    );
    const o = await finished('VirtualMachinePool', pool, 'createPool');
    expect(waitingOf(o)).toEqual({ reason: 'Ready', message: 'The resource is ready.' });
    expect(o.spec?.pool).toMatchObject({ pool, state: 'active', content: 'vmd', autostart: true });
  });

  it('createDisk → spec.volume; an out-of-range capacity fails clearly and creates nothing', async () => {
    const bad = unique('disk');
    await create(
      admin,
      sdk('VirtualMachineDisk', bad, 'createDisk', {
        type: 'localfs',
        pool,
        capacity: '10',
        format: 'qcow2',
      }),
    );
    const b = await finished('VirtualMachineDisk', bad, 'createDisk');
    expect(waitingOf(b)?.reason).toBe('InvalidParameter');
    expect(waitingOf(b)?.message).toMatch(/capacity/);
    expect(existsSync(join(t.root, pool, bad))).toBe(false);

    await create(
      admin,
      sdk('VirtualMachineDisk', disk, 'createDisk', {
        type: 'localfs',
        pool,
        capacity: '10737418240',
        format: 'qcow2',
      }),
    );
    const o = await finished('VirtualMachineDisk', disk, 'createDisk');
    expect(waitingOf(o)?.reason).toBe('Ready');
    expect(o.spec?.volume).toMatchObject({
      pool,
      format: 'qcow2',
      current: join(t.root, pool, disk, disk),
      virtual_size: 10 * GiB,
      capacity: '10 GB',
    });
  });

  it('createAndStartVMFromISO → Running with spec.domain and spec.powerstate', async () => {
    await create(
      admin,
      sdk('VirtualMachine', vm, 'createAndStartVMFromISO', vmParams(join(t.root, pool, disk, disk), iso)),
    );
    const o = await finished('VirtualMachine', vm, 'createAndStartVMFromISO');
    expect(waitingOf(o)).toEqual({ reason: 'Running', message: 'The VM is Running' });
    expect(o.spec?.powerstate).toBe('Running');
    expect((o.spec?.domain as { name?: { text?: string } } | undefined)?.name?.text).toBe(vm);
    expect(await domstate(vm)).toBe('running');
    // the disk object follows its user, as uni-virt kept it
    await waitFor('volume.vm set', async () => {
      const d = await get(admin, 'VirtualMachineDisk', disk);
      return (d?.spec?.volume as { vm?: string } | undefined)?.vm === vm;
    });
  });

  it("the running VM shows in the agent's kubevirt_vmi_* families, labelled from its object", async () => {
    const series = async () =>
      (
        await agent.metrics.registry.getSingleMetric('kubevirt_vmi_cpu_usage_seconds_total')?.get()
      )?.values.find((v) => v.labels['vm'] === vm);
    await waitFor(
      'kubevirt_vmi_cpu_usage_seconds_total{vm} sampled',
      async () => (await series()) !== undefined,
    );
    const cpu = await series();
    expect(cpu?.labels).toMatchObject({ vm, namespace: DEFAULTS.namespaces[0], node });
    expect(cpu?.value).toBeGreaterThan(0);
  });

  it('a disk plugged by another tool shows in spec.domain (device event)', async () => {
    const extra = join(t.root, 'extra.qcow2');
    await execa('qemu-img', ['create', '-q', '-f', 'qcow2', extra, '64M']);
    await virsh('attach-disk', vm, extra, 'vdc', '--live', '--subdriver', 'qcow2');
    await waitFor(
      'spec.domain lists the extra disk',
      async () =>
        JSON.stringify((await get(admin, 'VirtualMachine', vm))?.spec?.domain ?? {}).includes(extra),
      5000,
      20,
    );
  });

  it('deleteDisk of the disk the VM uses is refused; the disk and its object stay', async () => {
    await request('VirtualMachineDisk', disk, 'deleteDisk', { type: 'localfs', pool });
    const o = await finished('VirtualMachineDisk', disk, 'deleteDisk');
    expect(waitingOf(o)?.reason).toBe('InUse');
    expect(waitingOf(o)?.message).toContain(`domain '${vm}'`);
    expect(existsSync(join(t.root, pool, disk, disk))).toBe(true);
  });

  it('a domain destroyed behind our back shows in the VirtualMachine within a second; the last result stays', async () => {
    const before = waitingOf(await get(admin, 'VirtualMachine', vm));
    await virsh('destroy', vm);
    const t0 = Date.now();
    const o = await waitFor(
      'powerstate Shutdown',
      async () => {
        const x = await get(admin, 'VirtualMachine', vm);
        return x?.spec?.powerstate === 'Shutdown' ? x : undefined;
      },
      5000,
      10,
    );
    const ms = Date.now() - t0;
    expect(ms).toBeLessThan(1000);
    // spec.status holds the last operation's result for uni-virt clients: observation never rewrites it
    expect(waitingOf(o)).toEqual(before);
    expect(o.spec?.domain).toBeDefined();
  });

  it('startVM of a VM not defined on this node fails with NotFound', async () => {
    const ghost = unique('vm');
    await create(admin, sdk('VirtualMachine', ghost, 'startVM', {}));
    const o = await finished('VirtualMachine', ghost, 'startVM');
    expect(waitingOf(o)).toMatchObject({ reason: 'NotFound', message: `VM '${ghost}' not found` });
  });

  it('every report the agent wrote (pool, disk, running and stopped VM) fits the Java SDK model', async () => {
    const kinds: KindName[] = ['VirtualMachinePool', 'VirtualMachineDisk', 'VirtualMachine'];
    for (const kind of kinds) {
      const list = await admin.request<{ items: KubeObject[] }>(
        'GET',
        `${collectionPath(kind, 'default')}?labelSelector=host%3D${node}`,
      );
      expect(list.items.length).toBeGreaterThan(0);
      for (const o of list.items) {
        expect(sdkViolations(sdkModelOf(kind), o.spec ?? {}), `${kind}/${o.metadata.name}`).toEqual([]);
      }
    }
  });

  it('startVM, stopVMForce, deleteVM, deleteDisk, deletePool remove the objects', async () => {
    await request('VirtualMachine', vm, 'startVM', {});
    expect((await finished('VirtualMachine', vm, 'startVM')).spec?.powerstate).toBe('Running');
    await request('VirtualMachine', vm, 'stopVMForce', {});
    expect((await finished('VirtualMachine', vm, 'stopVMForce')).spec?.powerstate).toBe('Shutdown');
    await request('VirtualMachine', vm, 'deleteVM', {});
    await gone('VirtualMachine', vm);
    expect(await domstate(vm)).toBe('absent');
    await waitFor('volume.vm cleared', async () => {
      const d = await get(admin, 'VirtualMachineDisk', disk);
      return (d?.spec?.volume as { vm?: string } | undefined)?.vm === '';
    });
    await request('VirtualMachineDisk', disk, 'deleteDisk', { type: 'localfs', pool });
    await gone('VirtualMachineDisk', disk);
    expect(existsSync(join(t.root, pool, disk))).toBe(false);
    await request('VirtualMachinePool', pool, 'deletePool', {});
    await gone('VirtualMachinePool', pool);
  });
});
