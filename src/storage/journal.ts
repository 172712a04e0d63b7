/**
 * The step journal. Every multi-step operation is shaped the same way so one recovery routine can
 * finish or undo any of them after a crash:
 *
 *   prepare  — only NEW files are made (temp dirs, new overlays); nothing existing is changed.
 *              Undo = the `rollback` actions (remove what was made).
 *   commit   — the journal flips to phase `commit`; from here the operation is rolled FORWARD.
 *   forward  — idempotent actions (rename into place, write config.json, qemu-img commit -d,
 *              safe rebase, remove old files), each safe to re-run after a crash at any point.
 *
 * Journals live in `<pool>/.ks-journal/<id>.json`, written atomically.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { asKubestackError } from '../errors.js';
import type { Logger } from '../log.js';
import { atomicWriteJson, exists, listDir, mkdirDurable, removeDurable, renameDurable } from './fsutil.js';
import { diskDirs, LOCKS_DIR, SNAPSHOTS_DIR } from './layout.js';
import { clearStaleLocks } from './lock.js';
import { readHeader } from './qcow2-header.js';
import type { ImageFormat } from './qemu-img.js';
import * as qemuImg from './qemu-img.js';

export type Action =
  | { kind: 'remove'; path: string }
  | { kind: 'rename'; from: string; to: string }
  /** `onlyIfExists`: skip unless that file exists (an online step may or may not have made it). */
  | { kind: 'writeJson'; path: string; value: Record<string, unknown>; onlyIfExists?: string }
  | { kind: 'commit'; top: string; format: ImageFormat }
  | { kind: 'rebase'; file: string; format: ImageFormat; backing: string; backingFormat: ImageFormat };

export interface JournalEntry {
  id: string;
  op: string;
  /** What the operation acted on (for logs). */
  subject: string;
  phase: 'prepare' | 'commit';
  /** The host that ran it: in a pool shared between hosts, each host recovers only its own. */
  host?: string;
  rollback: Action[];
  forward: Action[];
  startedAt: string;
}

export const JOURNAL_DIR = '.ks-journal';

export interface RecoveryResult {
  id: string;
  op: string;
  /** skipped: another host's operation (shared pool), left to that host. */
  outcome: 'rolledBack' | 'rolledForward' | 'failed' | 'skipped';
  error?: string;
}

export function journalPath(poolPath: string, id: string): string {
  return join(poolPath, JOURNAL_DIR, `${id}.json`);
}

export async function writeJournal(poolPath: string, entry: JournalEntry): Promise<void> {
  const dir = join(poolPath, JOURNAL_DIR);
  if (!(await exists(dir))) await mkdirDurable(dir);
  await atomicWriteJson(journalPath(poolPath, entry.id), entry);
}

export async function removeJournal(poolPath: string, id: string): Promise<void> {
  await removeDurable(journalPath(poolPath, id));
}

/** Runs one action; every action is idempotent (re-running after a crash mid-way is safe). */
export async function runAction(a: Action): Promise<void> {
  switch (a.kind) {
    case 'remove':
      await removeDurable(a.path);
      return;
    case 'rename':
      if (await exists(a.from)) await renameDurable(a.from, a.to);
      return;
    case 'writeJson':
      if (a.onlyIfExists && !(await exists(a.onlyIfExists))) return;
      await atomicWriteJson(a.path, a.value);
      return;
    case 'commit':
      // -d keeps `top` intact, so a repeat after a crash writes the same data again.
      if (await exists(a.top)) await qemuImg.commit(a.top, a.format);
      return;
    case 'rebase': {
      if (!(await exists(a.file))) return;
      const h = await readHeader(a.file);
      if (h.backingPath === a.backing) return;
      await qemuImg.rebase(a.file, a.format, { file: a.backing, format: a.backingFormat });
      return;
    }
  }
}

/**
 * Finishes or undoes every journalled operation found under `poolPath`: phase `prepare` → run the
 * rollback actions; phase `commit` → run the forward actions. Returns what it did.
 */
export async function recoverStorageJournal(poolPath: string, log?: Logger): Promise<RecoveryResult[]> {
  const dir = join(poolPath, JOURNAL_DIR);
  const out: RecoveryResult[] = [];
  for (const f of (await listDir(dir)).filter((n) => n.endsWith('.json')).sort()) {
    let entry: JournalEntry;
    try {
      entry = JSON.parse(await readFile(join(dir, f), 'utf8')) as JournalEntry;
    } catch {
      // A journal that cannot be read was never completely written: the atomic write makes
      // that impossible except for the temp file, which does not end in .json.
      continue;
    }
    if (entry.host && entry.host !== hostname()) {
      out.push({ id: entry.id, op: entry.op, outcome: 'skipped', error: `operation of host ${entry.host}` });
      continue;
    }
    try {
      const actions = entry.phase === 'commit' ? entry.forward : entry.rollback;
      for (const a of actions) await runAction(a);
      await removeJournal(poolPath, entry.id);
      const outcome = entry.phase === 'commit' ? 'rolledForward' : 'rolledBack';
      log?.info({ op: entry.op, subject: entry.subject, id: entry.id, outcome }, 'storage journal recovered');
      out.push({ id: entry.id, op: entry.op, outcome });
    } catch (err) {
      const e = asKubestackError(err);
      log?.error({ op: entry.op, id: entry.id, err: e.message }, 'storage journal recovery failed');
      out.push({ id: entry.id, op: entry.op, outcome: 'failed', error: e.message });
    }
  }
  // Leftovers of atomic writes that never got renamed. With another host's operation in flight
  // (shared pool) its temp files may be live: leave them all for later.
  if (out.some((r) => r.outcome === 'skipped')) return out;
  for (const f of await listDir(dir)) if (f.includes('.tmp-')) await removeDurable(join(dir, f));
  // … and in disk directories, plus the locks of dead processes.
  for (const d of await diskDirs(poolPath)) {
    for (const sub of [d, join(d, SNAPSHOTS_DIR)]) {
      for (const f of await listDir(sub))
        if (f.startsWith('.') && f.includes('.tmp-')) await removeDurable(join(sub, f));
    }
  }
  await clearStaleLocks(join(poolPath, LOCKS_DIR));
  return out;
}

/**
 * A test hook: with KUBESTACK_STORAGE_KILL_AT=`<op>:<n>` the process SIGKILLs itself at the n-th
 * step of operation <op>. The crash-recovery tests use it to stop the engine at every step.
 */
export function stepHook(op: string): () => void {
  const spec = process.env.KUBESTACK_STORAGE_KILL_AT;
  if (!spec) return () => undefined;
  const [killOp, nText] = spec.split(':');
  const n = Number(nText);
  if (killOp !== op || !Number.isInteger(n)) return () => undefined;
  let i = 0;
  return () => {
    i++;
    if (i === n) process.kill(process.pid, 'SIGKILL');
  };
}

export interface PlannedOperation {
  op: string;
  subject: string;
  poolPath: string;
  /** Undo of the prepare steps (remove what they make). */
  rollback: Action[];
  /** Runs the prepare steps; `step()` marks each step boundary for the crash hook. */
  prepare?: (step: () => void) => Promise<void>;
  /**
   * A step that cannot be undone and is not an Action (a libvirt call), run after the journal
   * reached phase `commit`: whatever happens to it, the forward actions (guarded) run after it.
   */
  afterCommit?: () => Promise<void>;
  forward: Action[];
}

/** Runs a planned operation under the journal. */
export async function runJournalled(p: PlannedOperation, id: string): Promise<void> {
  const step = stepHook(p.op);
  const entry: JournalEntry = {
    id,
    op: p.op,
    subject: p.subject,
    phase: 'prepare',
    host: hostname(),
    rollback: p.rollback,
    forward: p.forward,
    startedAt: new Date().toISOString(),
  };
  await writeJournal(p.poolPath, entry);
  step();
  if (p.prepare) {
    try {
      await p.prepare(step);
    } catch (err) {
      for (const a of p.rollback) await runAction(a).catch(() => undefined);
      await removeJournal(p.poolPath, id);
      throw err;
    }
  }
  entry.phase = 'commit';
  await writeJournal(p.poolPath, entry);
  step();
  if (p.afterCommit) {
    try {
      await p.afterCommit();
    } catch (err) {
      for (const a of p.forward) await runAction(a);
      await removeJournal(p.poolPath, id);
      throw err;
    }
    step();
  }
  for (const a of p.forward) {
    await runAction(a);
    step();
  }
  await removeJournal(p.poolPath, id);
}
