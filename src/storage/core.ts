/**
 * Shared machinery of the engine's operations: pool lookup, locks, reference and domain-use checks,
 * chain walking, and running a planned operation under the journal.
 */
import { relative } from 'node:path';
import { InUseError, KubestackError, NotFoundError, ValidationError } from '../errors.js';
import type { Logger } from '../log.js';
import { exists, randomHex } from './fsutil.js';
import { type PlannedOperation, runJournalled } from './journal.js';
import { diskDirs, diskFiles, lockFile } from './layout.js';
import { withLocks } from './lock.js';
import { driverFor, type PoolRecord, type PoolRegistry } from './pools.js';
import type { DomainUse, DomainUseCheck, OnlineSnapshotPort } from './ports.js';
import { readHeader } from './qcow2-header.js';
import type { ImageFormat } from './qemu-img.js';
import * as qemuImg from './qemu-img.js';

export interface EngineDeps {
  registry: PoolRegistry;
  allowedRoots: readonly string[];
  domainUse: DomainUseCheck;
  online: OnlineSnapshotPort | undefined;
  log: Logger;
}

export class EngineCore {
  constructor(readonly deps: EngineDeps) {}

  get log(): Logger {
    return this.deps.log;
  }

  async pool(name: string, field = 'pool'): Promise<PoolRecord> {
    const rec = await this.deps.registry.get(name);
    if (!rec) throw new NotFoundError('pool', name, { details: { field } });
    return rec;
  }

  /** The pool, which must be active (its directory present, mounted where it is a mount). */
  async activePool(name: string, field = 'pool'): Promise<PoolRecord> {
    const rec = await this.pool(name, field);
    if (!(await driverFor(rec.type).isActive(rec))) {
      throw new ValidationError(`pool '${name}' is not active; start it first`, field);
    }
    return rec;
  }

  async withDiskLocks<T>(keys: { pool: PoolRecord; name: string }[], fn: () => Promise<T>): Promise<T> {
    return withLocks(
      keys.map((k) => lockFile(k.pool.path, k.name)),
      fn,
    );
  }

  async runPlan(plan: Omit<PlannedOperation, 'poolPath'> & { pool: PoolRecord }): Promise<void> {
    const id = `${Date.now().toString(36)}-${randomHex(4)}`;
    await runJournalled({ ...plan, poolPath: plan.pool.path }, id);
  }

  newId(): string {
    return randomHex(8);
  }

  /** The files of the chain under `top`, top first (read from the qcow2 headers). */
  async chain(top: string): Promise<string[]> {
    const out: string[] = [];
    let cur: string | undefined = top;
    while (cur && out.length < 1000) {
      if (out.includes(cur)) throw new KubestackError('Internal', `backing chain loops at ${cur}`);
      out.push(cur);
      if (!(await exists(cur))) break;
      cur = (await readHeader(cur)).backingPath;
    }
    return out;
  }

  async format(path: string): Promise<ImageFormat> {
    const h = await readHeader(path);
    if (h.isQcow2) return 'qcow2';
    const f = (await qemuImg.info(path)).format;
    qemuImg.assertFormat(f);
    return f;
  }

  /**
   * Every image file of every registered pool that names `path` as its backing file. This is what
   * makes "never delete a file another disk uses as backing file" checkable.
   */
  async backingUsers(path: string): Promise<string[]> {
    const users: string[] = [];
    for (const file of await this.allImageFiles()) {
      if (file === path) continue;
      const h = await readHeader(file).catch(() => undefined);
      if (h?.backingPath === path) users.push(file);
    }
    return users;
  }

  private async allImageFiles(): Promise<string[]> {
    const files: string[] = [];
    for (const p of await this.deps.registry.list()) {
      if (!(await exists(p.path))) continue;
      for (const d of await diskDirs(p.path)) files.push(...(await diskFiles(d)));
    }
    return files;
  }

  async domainUsing(paths: readonly string[]): Promise<{ path: string; use: DomainUse } | undefined> {
    for (const path of paths) {
      const use = await this.deps.domainUse(path);
      if (use) return { path, use };
    }
    return undefined;
  }

  /** Refuses when a domain uses any of `paths` (running only, when `runningOnly`). */
  async refuseDomainUse(paths: readonly string[], why: string, runningOnly = false): Promise<void> {
    const hit = await this.domainUsing(paths);
    if (hit && (!runningOnly || hit.use.running)) {
      throw new InUseError(
        `${why}: ${hit.path} is used by ${hit.use.running ? 'running' : 'defined'} domain '${hit.use.domain}'`,
        { details: { path: hit.path, domain: hit.use.domain, running: hit.use.running } },
      );
    }
  }

  /** Refuses when files outside `ownDir` back onto any of `paths`. */
  async refuseBackingUsers(paths: readonly string[], ownDir: string, why: string): Promise<void> {
    for (const p of paths) {
      const users = (await this.backingUsers(p)).filter((u) => relative(ownDir, u).startsWith('..'));
      if (users.length > 0) {
        throw new InUseError(`${why}: ${p} is the backing file of ${users.join(', ')}`, {
          details: { path: p, users },
        });
      }
    }
  }
}
