/**
 * Per-disk (and per-pool) locks that hold inside one process and across processes.
 *
 * Across processes: a lock file created with O_EXCL holding `pid starttime`. A holder that died
 * (SIGKILL, crash) leaves the file behind; the next taker sees the pid gone (or reused: the start
 * time differs) and breaks it. No native addon, no helper process.
 * Inside the process: a promise chain per lock path, since our own pid is always alive.
 */
import { constants } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { TimeoutError } from '../errors.js';
import { nextBackoff, sleep } from '../timing.js';
import { randomHex } from './fsutil.js';

const inProcess = new Map<string, Promise<void>>();

async function procStartTime(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // field 22 (starttime) comes after the ")" closing the command name
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

let selfStamp: string | undefined;
async function stamp(): Promise<string> {
  selfStamp ??= `${process.pid} ${(await procStartTime(process.pid)) ?? '0'} ${hostname()}`;
  return selfStamp;
}

/**
 * True when the lock file content names a process of this host that no longer exists. A lock
 * taken on another host (a shared glusterfs/nfs pool) cannot be judged from here: never stale.
 */
async function isStale(content: string): Promise<boolean> {
  const [pidText, start, host] = content.trim().split(' ');
  if (host !== undefined && host !== hostname()) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  const now = await procStartTime(pid);
  return now === undefined || (start !== undefined && start !== '0' && now !== start);
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      await fh.writeFile(await stamp());
    } finally {
      await fh.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Breaks a stale lock so that of two breakers only one wins and nobody removes a fresh lock. */
async function breakStale(path: string, seen: string): Promise<void> {
  const aside = `${path}.stale-${randomHex(4)}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== seen) {
    // We moved someone's fresh lock: put it back (link fails if yet another lock appeared).
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

async function acquireFile(path: string, timeoutMs: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    if (await tryCreate(path)) return;
    const content = await readFile(path, 'utf8').catch(() => undefined);
    if (content !== undefined && (await isStale(content))) {
      await breakStale(path, content);
      continue;
    }
    if (Date.now() > deadline) {
      throw new TimeoutError(`lock ${path} is held by process ${content?.split(' ')[0] ?? '?'}`, {
        retriable: true,
      });
    }
    await sleep(delay);
    delay = nextBackoff(delay, 100);
  }
}

/** Runs `fn` holding every lock in `paths` (taken in sorted order, so two callers never deadlock). */
export async function withLocks<T>(
  paths: readonly string[],
  fn: () => Promise<T>,
  timeoutMs = 60_000,
): Promise<T> {
  const sorted = [...new Set(paths)].sort();
  const releases: (() => Promise<void>)[] = [];
  try {
    for (const p of sorted) releases.push(await acquire(p, timeoutMs));
    return await fn();
  } finally {
    for (const r of releases.reverse()) await r();
  }
}

async function acquire(path: string, timeoutMs: number): Promise<() => Promise<void>> {
  const prev = inProcess.get(path) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => {
    release = r;
  });
  const chained = prev.then(() => mine);
  inProcess.set(path, chained);
  await prev;
  try {
    await acquireFile(path, timeoutMs);
  } catch (err) {
    release();
    if (inProcess.get(path) === chained) inProcess.delete(path);
    throw err;
  }
  return async () => {
    await unlink(path).catch(() => undefined);
    release();
    if (inProcess.get(path) === chained) inProcess.delete(path);
  };
}

/** Removes lock files left by processes that died (run at start-up, before any operation). */
export async function clearStaleLocks(dir: string): Promise<number> {
  let n = 0;
  for (const f of await readdir(dir).catch(() => [] as string[])) {
    const path = `${dir}/${f}`;
    if (f.includes('.stale-')) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (!f.endsWith('.lock')) continue;
    const content = await readFile(path, 'utf8').catch(() => undefined);
    if (content !== undefined && (await isStale(content))) {
      await breakStale(path, content);
      n++;
    }
  }
  return n;
}
