/**
 * VM configuration operations through the apiserver, the agent in this process (real Services),
 * against a running OS-less domain of the test bed's virt type: the agent's time per operation from
 * the acknowledgement to the result written (trace `acked` → `reported`), side by side with the same
 * change made the way the old daemons did, by `virsh` processes per step (the change, then a
 * `dumpxml` for the write-back). Changes that need a guest to acknowledge them (vCPU unplug) are
 * measured in the definition (`config`) on both sides; the others live.
 *   changeNumberOfCPU (config) · resizeRAM (live) · setBootOrder · insertISO/ejectISO (live) · tuneDiskQoS (live)
 * Usage: npm run bench -- vm-ops [samples]
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Agent } from '../src/agent/agent.js';
import { DEFAULTS } from '../src/agent/config.js';
import { KubeClient } from '../src/agent/kube/client.js';
import { collectionPath, objectPath } from '../src/agent/kube/paths.js';
import { registryCatalog } from '../src/agent/registry-catalog.js';
import { validateParams } from '../src/executors/validate.js';
import { CreateAndStartVMFromISO } from '../src/executors/virtual-machine/params.gen.js';
import { buildDomainXml, domainSpecFromParams } from '../src/libvirt/domain-xml/index.js';
import type { LibvirtClient, Procedure } from '../src/libvirt/index.js';
import { createLogger } from '../src/log.js';
import { buildTestIso } from '../test/fixtures/e2e/iso.js';
import { e2eServices, removeDomain, vmParams } from '../test/integration/e2e/helpers.js';
import { figure, percentile } from './stats.js';

const N = Number(process.argv[2] ?? 20);
const tag = `vc13-bench-${randomBytes(3).toString('hex')}`;
const vm = tag;
const node = `${tag}-node`;
const dir = `/var/lib/libvirt/${tag}`;
const virsh = (...a: string[]) => execa('virsh', ['-c', 'qemu:///system', ...a]);
const now = () => performance.now();

type Step = {
  op: string;
  params: (i: number) => Record<string, unknown>;
  virsh: (i: number) => Promise<unknown>;
};

function steps(iso: string, xmlFile: string, cdrom: string): Step[] {
  return [
    {
      op: 'changeNumberOfCPU',
      params: (i) => ({ count: String(1 + (i % 2)), config: true }),
      virsh: (i) => virsh('setvcpus', vm, String(1 + (i % 2)), '--config'),
    },
    {
      op: 'resizeRAM',
      params: (i) => ({ size: String(i % 2 ? 131072 : 196608), live: true }),
      virsh: (i) => virsh('setmem', vm, String(i % 2 ? 131072 : 196608), '--live'),
    },
    {
      op: 'setBootOrder',
      params: (i) => ({ order: i % 2 ? `${cdrom},vda` : `vda,${cdrom}` }),
      // The old daemon: dumpxml to a file, edit the boot entries, define.
      virsh: async (i) => {
        const xml = (await virsh('dumpxml', vm, '--inactive')).stdout;
        const order = i % 2 ? [cdrom, 'vda'] : ['vda', cdrom];
        const edited = xml
          .replace(/<boot order='\d+'\/>/g, '')
          .replace(/<target dev='(\w+)'([^>]*)\/>/g, (m, dev: string) =>
            order.includes(dev) ? `${m}<boot order='${order.indexOf(dev) + 1}'/>` : m,
          );
        await writeFile(xmlFile, edited);
        await virsh('define', xmlFile);
      },
    },
    {
      op: 'insertISO/ejectISO',
      params: (i) =>
        i % 2
          ? { op: 'ejectISO', path: iso, eject: true, force: true, block: false, live: true }
          : { op: 'insertISO', path: iso, insert: true, force: true, block: false, live: true },
      virsh: (i) =>
        i % 2
          ? virsh('change-media', vm, cdrom, '--eject', '--live', '--force')
          : virsh('change-media', vm, cdrom, iso, '--update', '--live', '--force'),
    },
    {
      op: 'tuneDiskQoS',
      params: (i) => ({ device: 'vda', total_bytes_sec: String(10_000_000 + i), live: true }),
      virsh: (i) => virsh('blkdeviotune', vm, 'vda', '--live', '--total-bytes-sec', String(10_000_000 + i)),
    },
  ];
}

/** Records the interval of every RPC call the client makes (start, end in performance.now()). */
function timeRpcCalls(lv: LibvirtClient): Array<[number, number]> {
  const calls: Array<[number, number]> = [];
  const call = lv.call.bind(lv);
  lv.call = <A, R>(p: Procedure<A, R>, args: A): Promise<R> => {
    const t0 = now();
    return call(p, args).finally(() => calls.push([t0, now()]));
  };
  return calls;
}

/** Wall time inside [from, to] covered by at least one call (overlapping calls count once). */
function coveredMs(calls: ReadonlyArray<[number, number]>, from: number, to: number): number {
  const clipped = calls
    .map(([a, b]): [number, number] => [Math.max(a, from), Math.min(b, to)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = from;
  for (const [a, b] of clipped) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

async function defineVm(disk: string, iso: string): Promise<void> {
  const raw = { ...vmParams(disk, iso), vcpus: '1,maxvcpus=2', memory: '256' };
  const spec = domainSpecFromParams(validateParams(CreateAndStartVMFromISO, raw), {
    name: vm,
    nodeVirtType: process.env.KUBESTACK_VIRT_TYPE === 'kvm' ? 'kvm' : 'qemu',
  });
  await writeFile(join(dir, 'vm.xml'), buildDomainXml(spec));
  await virsh('define', join(dir, 'vm.xml'));
  await virsh('start', vm);
}

async function main(): Promise<void> {
  await mkdir(dir, { recursive: true });
  const disk = join(dir, 'disk.qcow2');
  await execa('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']);
  const iso = await buildTestIso(dir, 'bench');
  await defineVm(disk, iso);
  // The CD-ROM's target depends on the machine type: read it back.
  const xml = (await virsh('dumpxml', vm)).stdout;
  const cdrom = /device='cdrom'[\s\S]*?<target dev='(\w+)'/.exec(xml)?.[1] ?? 'sda';
  const t = await e2eServices();
  const rpc = timeRpcCalls(t.libvirt);
  const kubeconfig = process.env.KUBECONFIG as string;
  const marks = new Map<string, Record<string, number>>();
  let waiter: (() => void) | undefined;
  const agent = await Agent.start({
    config: { ...DEFAULTS, kubeconfig, nodeName: node, metricsAddr: '', journalDir: join(dir, 'journal') },
    catalog: registryCatalog(),
    services: t.services,
    log: createLogger('warn'),
    trace: (_key, stage, at) => {
      const m = marks.get('cur') ?? {};
      m[stage] = at;
      marks.set('cur', m);
      if (stage === 'reported') waiter?.();
    },
  });
  const admin = new KubeClient({ kubeconfig });
  const path = objectPath('VirtualMachine', 'default', vm);
  let handler: number[] = [];
  let inLibvirt: number[] = [];
  const run = async (op: string, params: Record<string, unknown>): Promise<number> => {
    marks.set('cur', {});
    rpc.length = 0;
    const done = new Promise<void>((r) => {
      waiter = r;
    });
    const body = {
      metadata: { labels: { 'kubestack.label.event.id': randomBytes(4).toString('hex') } },
      spec: { lifecycle: { [op]: params } },
    };
    await admin.request('PATCH', path, { body, patch: 'merge' });
    await done;
    const m = marks.get('cur') ?? {};
    const [hs, he] = [m['handler-start'] ?? Number.NaN, m['handler-end'] ?? Number.NaN];
    handler.push(he - hs);
    inLibvirt.push(coveredMs(rpc, hs, he));
    if (process.env.BENCH_DETAIL) {
      const o = (await admin.request('GET', path)) as { spec?: { status?: unknown } };
      console.error(op, JSON.stringify(m), JSON.stringify(o.spec?.status).slice(0, 200));
    }
    return (m.reported ?? Number.NaN) - (m.acked ?? Number.NaN);
  };
  try {
    const body = {
      apiVersion: 'doslab.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: vm, labels: { host: node } },
      spec: { lifecycle: { autoStartVM: { disable: true } } },
    };
    const first = new Promise<void>((r) => {
      waiter = r;
    });
    await admin.request('POST', collectionPath('VirtualMachine', 'default'), { body });
    await first;
    for (const s of steps(iso, join(dir, 'edit.xml'), cdrom)) {
      const ours: number[] = [];
      handler = [];
      inLibvirt = [];
      const old: number[] = [];
      for (let i = 0; i < N; i++) {
        const p = s.params(i);
        const op = typeof p.op === 'string' ? p.op : s.op;
        const { op: _drop, ...params } = p;
        ours.push(await run(op, params));
      }
      for (let i = 0; i < N; i++) {
        const t0 = now();
        await s.virsh(i);
        await virsh('dumpxml', vm); // the write-back read the old daemons did after every change
        old.push(now() - t0);
      }
      const p50 = percentile(ours, 50);
      const base = percentile(old, 50);
      figure(`vm-ops ${s.op}`, {
        p50_ms: p50,
        p95_ms: percentile(ours, 95),
        ours_ms: p50,
        handler_p50_ms: percentile(handler, 50),
        libvirt_p50_ms: percentile(inLibvirt, 50),
        outside_handler_p50_ms: percentile(
          ours.map((v, i) => v - (handler[i] ?? Number.NaN)),
          50,
        ),
        virsh_ms: base,
        ratio: base / p50,
        samples: N,
        load1: loadavg()[0] ?? 0,
      });
    }
  } finally {
    await agent.stop();
    await admin
      .request('PATCH', path, { body: { metadata: { finalizers: null } }, patch: 'merge' })
      .catch(() => undefined);
    await admin.request('DELETE', path).catch(() => undefined);
    admin.close();
    await removeDomain(vm);
    await t.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
