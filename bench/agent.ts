/**
 * Agent pipeline overhead with a no-op handler, on the test bed's real apiserver:
 *   ack    = CR write (POST sent) → spec.lifecycle removed (the acknowledgement patch answered)
 *   report = handler end → results written (spec patch and /status patch answered)
 * for 1, 10 and 100 objects created at once. One JSON line per figure.
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { Agent } from '../src/agent/agent.js';
import { simpleCatalog } from '../src/agent/catalog.js';
import { DEFAULTS } from '../src/agent/config.js';
import { KubeClient } from '../src/agent/kube/client.js';
import { collectionPath, objectPath } from '../src/agent/kube/paths.js';
import type { Services } from '../src/executors/services.js';
import { defineOperation } from '../src/executors/types.js';
import { createLogger } from '../src/log.js';
import { figure, percentile } from './stats.js';

const kubeconfig = process.env.KUBECONFIG;
if (!kubeconfig) throw new Error('KUBECONFIG is not set (run through npm run bench -- agent)');
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const node = `ks-bench-${Math.random().toString(36).slice(2, 8)}`;
const NS = 'default';

const noop = defineOperation({
  kind: 'VirtualMachine',
  name: 'benchNoop',
  summary: 'does nothing',
  params: Type.Object({}),
  handler: async () => ({ spec: { powerstate: 'Running' } }),
});

const marks = new Map<string, Partial<Record<string, number>>>();
const reported = new Map<string, () => void>();

const agent = await Agent.start({
  config: {
    ...DEFAULTS,
    kubeconfig,
    nodeName: node,
    concurrency,
    metricsAddr: '',
    journalDir: mkdtempSync(join(tmpdir(), 'ks-bench-journal-')),
  },
  catalog: simpleCatalog([noop]),
  services: { virtType: 'qemu' } as Services, // the no-op handler calls no host client
  observe: false,
  log: createLogger('warn'),
  trace: (key, stage, at) => {
    const name = key.split('/')[2] as string;
    const m = marks.get(name) ?? {};
    m[stage] = at;
    marks.set(name, m);
    if (stage === 'reported') reported.get(name)?.();
  },
});

const admin = new KubeClient({ kubeconfig });
const rounds: Record<number, number> = { 1: 30, 10: 6, 100: 3 };
let seq = 0;
try {
  for (const n of [1, 10, 100]) {
    const ack: number[] = [];
    const report: number[] = [];
    // the apiserver's share: POST sent → watch event received; the agent's: event → acknowledged
    const delivery: number[] = [];
    const agentAck: number[] = [];
    const jr: number[] = [];
    const sp: number[] = [];
    const cpu0 = process.cpuUsage();
    let ops = 0;
    for (let r = 0; r < (rounds[n] ?? 1); r++) {
      ops += n;
      const names = Array.from({ length: n }, () => `ks-bench-${node}-${seq++}`);
      const done = names.map((name) => new Promise<void>((resolve) => reported.set(name, resolve)));
      await Promise.all(
        names.map(async (name) => {
          marks.set(name, { sent: performance.now() });
          await admin.request('POST', collectionPath('VirtualMachine', NS), {
            body: {
              apiVersion: 'doslab.io/v1',
              kind: 'VirtualMachine',
              metadata: { name, labels: { host: node } },
              spec: { lifecycle: { benchNoop: {} } },
            },
          });
        }),
      );
      await Promise.all(done);
      for (const name of names) {
        const m = marks.get(name) ?? {};
        ack.push((m.acked ?? Number.NaN) - (m.sent ?? Number.NaN));
        delivery.push((m.seen ?? Number.NaN) - (m.sent ?? Number.NaN));
        agentAck.push((m.acked ?? Number.NaN) - (m.seen ?? Number.NaN));
        report.push((m.reported ?? Number.NaN) - (m['handler-end'] ?? Number.NaN));
        if (process.env.BENCH_DETAIL) {
          jr.push((m.journaled ?? 0) - (m['handler-end'] ?? 0));
          sp.push((m['spec-written'] ?? 0) - (m.journaled ?? 0));
        }
      }
      await agent.idle();
      await Promise.all(
        names.map(async (name) => {
          const path = objectPath('VirtualMachine', NS, name);
          await admin.request('PATCH', path, { body: { metadata: { finalizers: null } }, patch: 'merge' });
          await admin.request('DELETE', path);
        }),
      );
    }
    if (process.env.BENCH_DETAIL) {
      figure(`detail journal ${n}`, { p50_ms: percentile(jr, 50), p99_ms: percentile(jr, 99) });
      figure(`detail spec ${n}`, { p50_ms: percentile(sp, 50), p99_ms: percentile(sp, 99) });
    }
    const cpu = process.cpuUsage(cpu0);
    // CPU of this process per operation (agent + the benchmark's own create/delete calls): a figure
    // that does not depend on how loaded the shared machine is.
    figure(`agent cpu per operation ${n}`, {
      cpu_ms: (cpu.user + cpu.system) / 1000 / ops,
      load1: loadavg()[0] ?? 0,
    });
    const unit = n === 1 ? 'object' : 'objects';
    figure(`overhead ack ${n} ${unit}`, {
      p50_ms: percentile(ack, 50),
      p99_ms: percentile(ack, 99),
      samples: ack.length,
      concurrency,
    });
    figure(`apiserver write+watch delivery ${n} ${unit}`, {
      p50_ms: percentile(delivery, 50),
      p99_ms: percentile(delivery, 99),
    });
    figure(`agent event to ack ${n} ${unit}`, {
      p50_ms: percentile(agentAck, 50),
      p99_ms: percentile(agentAck, 99),
    });
    figure(`overhead report ${n} ${unit}`, {
      p50_ms: percentile(report, 50),
      p99_ms: percentile(report, 99),
      samples: report.length,
      concurrency,
    });
  }
} finally {
  await agent.stop();
  admin.close();
}
