/**
 * The first slice end to end, as a client sees it through the apiserver, with the agent in this
 * process (real Services: libvirt client, storage engine; default concurrency):
 *   "cr to running"     — POST of a VirtualMachine carrying createAndStartVMFromISO (a disk-backed VM,
 *                         the test bed's virt type, KVM where usable) until the object reads
 *                         powerstate Running; one VM after another, 20 VMs, p50/p95.
 *   "createDisk x100"   — 100 VirtualMachineDisk objects POSTed at once until all read Ready
 *                         with spec.volume; wall time and operations per second.
 * Everything created is removed at the end. Usage: npm run bench -- e2e [vms] [disks] [concurrency]
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { Agent } from '../src/agent/agent.js';
import { DEFAULTS } from '../src/agent/config.js';
import { KubeClient } from '../src/agent/kube/client.js';
import { collectionPath, objectPath } from '../src/agent/kube/paths.js';
import { registryCatalog } from '../src/agent/registry-catalog.js';
import type { Services } from '../src/executors/services.js';
import { libvirtDomainUse } from '../src/executors/virtual-machine/domain-use.js';
import type { KindName, KubeObject } from '../src/kinds.js';
import { LibvirtClient } from '../src/libvirt/index.js';
import { StorageEngine } from '../src/storage/index.js';
import { buildTestIso } from '../test/fixtures/e2e/iso.js';
import { figure, percentile } from './stats.js';

const VMS = Number(process.argv[2] ?? 20);
const DISKS = Number(process.argv[3] ?? 100);
/** Operations the agent runs at once (default: the agent's own default). */
const CONCURRENCY = Number(process.argv[4] ?? DEFAULTS.concurrency);
const NS = 'default';
const need = (k: string): string => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set (run through npm run bench -- e2e)`);
  return v;
};
const kubeconfig = need('KUBECONFIG');
const socketPath = need('KUBESTACK_LIBVIRT_SOCKET');
const bridge = need('KUBESTACK_TEST_BRIDGE');
const virtType = need('KUBESTACK_VIRT_TYPE') === 'qemu' ? 'qemu' : 'kvm';
const tag = Math.random().toString(36).slice(2, 8);
const node = `ksbench-e2e-${tag}`;
const root = `/var/lib/libvirt/ksbench-e2e-${tag}`;
const log = pino({ level: process.env.KS_BENCH_LOG ?? 'silent' });

function sdk(kind: KindName, name: string, op: string, params: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'doslab.io/v1',
    kind,
    metadata: {
      name,
      namespace: NS,
      labels: { host: node, 'kubestack.label.event.id': `${op}.event.${name}` },
    },
    spec: { nodeName: node, lifecycle: { [op]: params } },
  };
}

async function getObj(c: KubeClient, kind: KindName, name: string): Promise<KubeObject | undefined> {
  return c.request<KubeObject>('GET', objectPath(kind, NS, name)).catch(() => undefined);
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out: ${what}`);
}

const waiting = (o: KubeObject | undefined) =>
  (
    o?.spec?.status as
      | { conditions?: { state?: { waiting?: { reason?: string; message?: string } } } }
      | undefined
  )?.conditions?.state?.waiting;

async function main(): Promise<void> {
  await mkdir(root, { recursive: true });
  const libvirt = await LibvirtClient.connect({ socketPath, log });
  const storage = new StorageEngine({
    stateDir: join(root, 'state'),
    domainUse: libvirtDomainUse(libvirt),
    log,
  });
  const services = { virtType, libvirt, storage } as unknown as Services; // OVN is not used here
  const admin = new KubeClient({ kubeconfig });
  const agent = await Agent.start({
    config: {
      ...DEFAULTS,
      kubeconfig,
      nodeName: node,
      metricsAddr: '',
      journalDir: join(root, 'journal'),
      concurrency: CONCURRENCY,
    },
    catalog: registryCatalog(),
    services,
    log,
  });
  const pool = `bp-${tag}`;
  const vms: string[] = [];
  try {
    await storage.createPool({ name: pool, type: 'dir', path: join(root, pool) });
    const iso = await buildTestIso(join(root, 'iso'), 'installer');

    // --- CR create → VM running, one after another
    const samples: number[] = [];
    for (let i = 0; i < VMS; i++) {
      const disk = await storage.createDisk({ pool, name: `bd-${tag}-${i}`, capacity: 10 * 2 ** 30 });
      const name = `bvm-${tag}-${i}`;
      vms.push(name);
      const obj = sdk('VirtualMachine', name, 'createAndStartVMFromISO', {
        graphics: 'vnc,listen=0.0.0.0',
        disk: `${disk.current},format=qcow2 --disk ${iso},device=cdrom,perms=ro`,
        memory: '128',
        vcpus: '1',
        os_variant: 'centos7.0',
        network: `type=bridge,source=${bridge}`,
        noautoconsole: true,
      });
      const t0 = performance.now();
      await admin.request('POST', collectionPath('VirtualMachine', NS), { body: obj });
      await until(`${name} running`, async () => {
        const o = await getObj(admin, 'VirtualMachine', name);
        if (o?.spec?.powerstate === 'Running') return o;
        const last = (o?.status as { lastOperation?: { phase?: string } } | undefined)?.lastOperation;
        if (last?.phase === 'Failed') throw new Error(`${name}: ${JSON.stringify(waiting(o))}`);
        return undefined;
      });
      samples.push(performance.now() - t0);
      // Keep the host steady: stop this VM before the next one (not measured).
      await libvirt.domainDestroyFlags(await libvirt.domainLookupByName(name), 0).catch(() => undefined);
    }
    figure('cr to running', {
      p50_ms: percentile(samples, 50),
      p95_ms: percentile(samples, 95),
      n: samples.length,
      virt_type: virtType,
    });

    // --- 100 CreateDisk at once
    const names = Array.from({ length: DISKS }, (_, i) => `bcd-${tag}-${i}`);
    const t0 = performance.now();
    await Promise.all(
      names.map((n) =>
        admin.request('POST', collectionPath('VirtualMachineDisk', NS), {
          body: sdk('VirtualMachineDisk', n, 'createDisk', {
            type: 'localfs',
            pool,
            capacity: '10737418240',
            format: 'qcow2',
          }),
        }),
      ),
    );
    const pending = new Set(names);
    await until(
      'all disks ready',
      async () => {
        const list = await admin.request<{ items: KubeObject[] }>(
          'GET',
          collectionPath('VirtualMachineDisk', NS),
          {
            query: { labelSelector: `host=${node}` },
          },
        );
        for (const o of list.items) {
          const w = waiting(o);
          if (w?.reason === 'Ready' && o.spec?.volume) pending.delete(o.metadata.name);
          else if (w?.reason && w.reason !== 'Ready' && !o.spec?.lifecycle)
            throw new Error(`${o.metadata.name}: ${w.message}`);
        }
        return pending.size === 0 ? true : undefined;
      },
      300_000,
    );
    const wall = performance.now() - t0;
    figure('createDisk x100', {
      wall_ms: wall,
      ops_per_s: (DISKS * 1000) / wall,
      n: DISKS,
      concurrency: CONCURRENCY,
    });
  } finally {
    // Domains first (the agent's libvirt client closes with the agent), then the agent (so it does
    // not re-add its finalizer), then the objects.
    for (const name of vms) {
      const dom = await libvirt.domainLookupByName(name).catch(() => undefined);
      if (dom) {
        await libvirt.domainDestroyFlags(dom, 0).catch(() => undefined);
        await libvirt.domainUndefineFlags(dom, 1 | 2 | 4).catch(() => undefined);
      }
    }
    await agent.stop().catch((err: unknown) => console.error('agent stop:', err)); // closes its Services
    // The apiserver may be restarting (the test bed is shared): retry the deletes for a while.
    for (let attempt = 0; attempt < 30; attempt++) {
      try {
        let left = 0;
        for (const kind of ['VirtualMachine', 'VirtualMachineDisk'] as const) {
          const list = await admin.request<{ items: KubeObject[] }>('GET', collectionPath(kind, NS), {
            query: { labelSelector: `host=${node}` },
          });
          left += list.items.length;
          await Promise.all(
            list.items.map(async (o) => {
              const p = objectPath(kind, NS, o.metadata.name);
              await admin
                .request('PATCH', p, { body: { metadata: { finalizers: null } }, patch: 'merge' })
                .catch(() => {});
              await admin.request('DELETE', p).catch(() => {});
            }),
          );
        }
        if (left === 0) break;
      } catch (err) {
        console.error('cleanup (will retry):', err instanceof Error ? err.message : err);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    admin.close();
    await rm(root, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
