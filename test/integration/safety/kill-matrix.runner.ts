/**
 * The kill -9 matrix on the real test bed: for every entry of kill-matrix.entries.ts, the real agent
 * (kill-agent.ts, its own process) is SIGKILLed right after each journal record of the request
 * (accepted, started, finished), at two random points inside the handler and, for an entry naming
 * its storage engine operation (`storageSteps`), at each step of the engine's own journal, then
 * restarted.
 * Checked for each case: the handler ran at most once, the object reached a final state, nothing
 * is orphaned on the host (domains, disk files, OVN rows) and, when the object ended failed, a
 * resubmit of the same request succeeds. Prints operation × kill point → outcome.
 *
 * A kill inside a handler is resolved by journal recovery, which asks the operation's `recover`
 * hook what the host shows; a failure the host contradicts (a result left behind) is a broken case.
 *
 * Each group of entries has its own test file calling `describeKillMatrix` (one agent process per
 * file); kill-matrix.all.ts gathers the groups for the coverage check.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { collectionPath, objectPath } from '../../../src/agent/kube/paths.js';
import type { Services } from '../../../src/executors/services.js';
import type { KubeObject } from '../../../src/kinds.js';
import { sleep } from '../../../src/timing.js';
import { buildTestIso } from '../../fixtures/e2e/iso.js';
import {
  adminClient,
  agentKubeconfig,
  get,
  lastOperationOf,
  mergePatch,
  NS,
  newObject,
  removeAgentAccess,
  uniqueNode,
  waitFor,
  waitingOf,
} from '../agent/harness.js';
import { type E2E, e2eServices } from '../e2e/helpers.js';
import { connectNet, type Net } from '../ovn/fixture.js';
import type { KillPlan } from './kill-agent.js';
import type { MatrixEntry, MatrixHost } from './kill-matrix.entries.js';

import { hs11 } from './names.js';

const PREFIX = 'hs11-km';
const PHASES = ['accepted', 'started', 'finished'] as const;
const RANDOM_POINTS = 2;

let admin: KubeClient;
let kubeconfig: string;
let t: E2E;
let host: MatrixHost;
let journalDir: string;
let agent: ResultPromise | undefined;
let net: Net;
const node = uniqueNode('hs11-km');
const rows: Array<{ op: string; point: string; outcome: string }> = [];

function startAgentProcess(): Promise<void> {
  const proc = execa(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/integration/safety/kill-agent.ts',
      kubeconfig,
      node,
      journalDir,
      join(t.root, 'state'),
    ],
    { reject: false, stdout: 'pipe', stderr: 'pipe' },
  );
  agent = proc;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('agent did not start in 60 s')), 60_000);
    proc.stdout?.on('data', (b: Buffer) => {
      if (b.toString().includes('started')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void proc.then((r) => {
      clearTimeout(timer);
      reject(new Error(`agent exited before start: ${r.stderr}`));
    });
  });
}

async function stopAgentProcess(): Promise<void> {
  if (!agent || agent.exitCode !== null || agent.signalCode !== null) return;
  agent.kill('SIGTERM');
  const timer = setTimeout(() => agent?.kill('SIGKILL'), 15_000);
  await agent;
  clearTimeout(timer);
}

const isDead = () => !agent || agent.exitCode !== null || agent.signalCode !== null;

function runsOf(name: string, op: string): number {
  const file = join(journalDir, 'runs.log');
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l === `${name} ${op}`).length;
}

type Final = 'Succeeded' | 'Failed';

/**
 * The object's final state now: gone (a delete), or its last operation no longer Running. With
 * `after` (the startedAt of an earlier run), only a later run counts: the acknowledgement clears
 * spec.lifecycle and sets status.lastOperation in two writes, and between them the earlier
 * result is still there.
 */
async function finalNow(e: MatrixEntry, name: string, after?: string): Promise<Final | undefined> {
  const o = await get(admin, e.kind, name);
  if (!o) return e.deletesObject ? 'Succeeded' : undefined;
  const last = lastOperationOf(o);
  if (o.spec?.lifecycle || last?.name !== e.operation) return undefined;
  if (after !== undefined && last.startedAt === after) return undefined;
  return last.phase === 'Running' ? undefined : (last.phase as Final);
}

const finalState = (e: MatrixEntry, name: string, after?: string): Promise<Final> =>
  waitFor(`${e.kind} ${name} ${e.operation} final`, () => finalNow(e, name, after), 120_000, 100);

async function removeObject(e: MatrixEntry, name: string): Promise<void> {
  const path = objectPath(e.kind, NS, name);
  await admin
    .request('PATCH', path, { body: { metadata: { finalizers: null } }, patch: 'merge' })
    .catch(() => {});
  await admin.request('DELETE', path).catch(() => {});
}

async function submit(e: MatrixEntry, name: string, raw: Record<string, unknown>): Promise<void> {
  const obj: KubeObject = newObject(e.kind, name, node, { lifecycle: { [e.operation]: raw } });
  await admin.request('POST', collectionPath(e.kind, NS), { body: obj });
}

/** One case: returns its outcome label; throws (with the label) on a broken guarantee. */
async function runCase(e: MatrixEntry, plan: Omit<KillPlan, 'object' | 'operation'>): Promise<string> {
  const name = hs11(e.operation.slice(0, 8).toLowerCase());
  const problems: string[] = [];
  let label = 'ok';
  try {
    await e.prepare?.(host, name);
    const raw = e.request(host, name);
    writeFileSync(
      join(journalDir, 'kill.json'),
      JSON.stringify({ ...plan, object: name, operation: e.operation }),
    );
    await submit(e, name, raw);
    await waitFor('the kill or the result', async () => isDead() || (await finalNow(e, name)), 120_000, 100);
    // a random point may fall after the handler: let its timer fire before deciding
    if (plan.delayMs !== undefined) await sleep(e.typicalMs);
    const killed = isDead();
    rmSync(join(journalDir, 'kill.json'), { force: true });
    if (killed) await startAgentProcess();
    else label = 'ok (finished before the kill point)';
    const final = await finalState(e, name);
    const runs = runsOf(name, e.operation);
    if (runs > 1) problems.push(`ran ${runs} times`);
    const resubmitNeeded = final === 'Failed';
    problems.push(...(await e.orphans(host, name, final === 'Succeeded')));
    if (resubmitNeeded) {
      const before = lastOperationOf(await get(admin, e.kind, name))?.startedAt;
      await mergePatch(admin, e.kind, name, { spec: { lifecycle: { [e.operation]: raw } } });
      const again = await finalState(e, name, typeof before === 'string' ? before : undefined);
      const o = await get(admin, e.kind, name);
      if (again !== 'Succeeded') problems.push(`resubmit failed: ${waitingOf(o)?.message ?? '?'}`);
      else label += ', resubmit ok';
    }
    const why = waitingOf(await get(admin, e.kind, name))?.message;
    if (final === 'Failed' && !resubmitNeeded) problems.push(`failed: ${why}`);
    label = `${final === 'Succeeded' ? 'Succeeded' : 'Failed'} ×${runs}; ${label}`;
  } finally {
    rmSync(join(journalDir, 'kill.json'), { force: true });
    await removeObject(e, name);
    await e.cleanup(host, name).catch(() => undefined);
  }
  if (problems.length) throw new Error(`${label}: ${problems.join('; ')}`);
  return label;
}

/** The matrix for one group of entries: one agent process, every entry at every kill point. */
export function describeKillMatrix(group: string, entries: readonly MatrixEntry[]): void {
  beforeAll(async () => {
    admin = adminClient();
    kubeconfig = await agentKubeconfig(PREFIX);
    t = await e2eServices();
    net = await connectNet();
    const services: Services = { ...t.services, ovnNb: net.nb, ovs: net.ovs };
    journalDir = mkdtempSync(join(tmpdir(), 'hs11-km-journal-'));
    const pool = hs11('kmpool');
    const poolDir = join(t.root, pool);
    await t.storage.createPool({ name: pool, type: 'dir', path: poolDir, content: 'vmd', autostart: true });
    const iso = await buildTestIso(join(t.root, 'iso'), 'hs11km');
    host = { storage: t.storage, libvirt: t.libvirt, services, pool, poolDir, root: t.root, iso };
    await startAgentProcess();
  });

  afterAll(async () => {
    await stopAgentProcess();
    const table = rows.map((r) => `| ${r.op.padEnd(24)} | ${r.point.padEnd(16)} | ${r.outcome} |`);
    process.stdout.write(
      `\nkill -9 matrix, ${group} (operation × kill point → outcome)\n| operation                | kill point       | outcome |\n${table.join('\n')}\n`,
    );
    await t?.storage.deletePool(host.pool, { force: true }).catch(() => undefined);
    await net?.close();
    await t?.close();
    await removeAgentAccess(PREFIX);
    rmSync(journalDir, { recursive: true, force: true });
    admin?.close();
  });

  describe(`kill -9 matrix: ${group}`, () => {
    for (const e of entries) {
      it(`${e.operation}: every kill point ends consistent`, { timeout: 15 * 60_000 }, async () => {
        const points: Array<[string, Omit<KillPlan, 'object' | 'operation'>]> = [
          ...PHASES.map((phase) => [`after ${phase}`, { phase }] as [string, { phase: typeof phase }]),
          ...Array.from({ length: RANDOM_POINTS }, () => {
            const delayMs = Math.floor(Math.random() * e.typicalMs);
            return [`started+${delayMs}ms`, { delayMs }] as [string, { delayMs: number }];
          }),
          ...Array.from({ length: e.storageSteps?.steps ?? 0 }, (_, i) => {
            const storageStep = `${e.storageSteps?.op}:${i + 1}`;
            return [`storage ${storageStep}`, { storageStep }] as [string, { storageStep: string }];
          }),
        ];
        const failures: string[] = [];
        for (const [point, plan] of points) {
          const outcome = await runCase(e, plan).catch((err: unknown) => {
            const msg = err instanceof Error ? err.message : String(err);
            failures.push(`${point}: ${msg}`);
            return `FAIL ${msg}`;
          });
          rows.push({ op: e.operation, point, outcome });
          appendFileSync(join(journalDir, 'matrix.log'), `${e.operation} ${point} ${outcome}\n`);
          if (isDead()) await startAgentProcess();
        }
        expect(failures).toEqual([]);
      });
    }
  });
}
