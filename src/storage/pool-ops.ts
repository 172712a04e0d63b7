/** Pool operations: create, start, stop, delete, info. */
import { readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AlreadyExistsError, InUseError, ValidationError } from '../errors.js';
import { confineRealPath, isUnder } from '../paths.js';
import { uniformBytes } from '../sizes.js';
import type { EngineCore } from './core.js';
import { atomicWrite, exists, fsyncDir, listDir, removeDurable } from './fsutil.js';
import { JOURNAL_DIR } from './journal.js';
import { CONFIG_FILE, CONTENT_FILE, diskDirs, diskFiles, LOCKS_DIR } from './layout.js';
import {
  capacityOf,
  driverFor,
  POOL_CONTENTS,
  POOL_TYPES,
  type PoolContent,
  type PoolRecord,
  type PoolType,
} from './pools.js';
import { assertName } from './validate.js';

export interface CreatePoolParams {
  name: string;
  /** dir | localfs | glusterfs | nfs (netfs) | cephfs | rbd (cephrbd) | vdiskfs | uus */
  type: string;
  /** Target directory (mount point for glusterfs/nfs). */
  path: string;
  content?: string;
  autostart?: boolean;
  /** glusterfs: host:volume; nfs: host:/export. */
  source?: string;
  options?: string;
}

/** What poolInfo reports: uni-virt's keys and the API doc's keys. */
export interface PoolInfo {
  pool: string;
  name: string;
  poolname: string;
  type: PoolType;
  pooltype: PoolType;
  url: string;
  path: string;
  content: PoolContent;
  state: 'active' | 'inactive';
  autostart: boolean;
  persistent: 'yes';
  capacity: number;
  free: number;
  allocation: number;
  /** Capacity as the original rendered it ("49 GB"). */
  capacityText: string;
  sourceHost: string;
  sourcePath: string;
}

function normaliseType(t: string): PoolType {
  const m: Record<string, PoolType> = { netfs: 'nfs', cephrbd: 'rbd' };
  const v = (m[t] ?? t) as PoolType;
  if (!POOL_TYPES.includes(v))
    throw new ValidationError(`invalid pool type '${t}' (one of ${POOL_TYPES.join(', ')})`, 'type');
  return v;
}

async function realOrSelf(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}

/**
 * A pool's directory must not be another pool's, lie inside one or contain one, and must not lie
 * inside a disk directory or an unregistered pool (a `content` marker above it): deleting or
 * listing one would then reach into the other's files. Compared by real paths.
 */
async function refuseOverlap(core: EngineCore, path: string): Promise<void> {
  const real = await realOrSelf(path);
  for (const other of await core.deps.registry.list()) {
    const o = await realOrSelf(other.path);
    if (o === real || isUnder(real, o) || isUnder(o, real)) {
      const how = o === real ? 'already belongs to' : isUnder(real, o) ? 'is inside' : 'contains';
      throw new InUseError(`path ${path} ${how} pool '${other.name}'`, { details: { field: 'url' } });
    }
  }
  if (await exists(join(real, CONFIG_FILE))) {
    throw new InUseError(`path ${path} is a disk directory`, { details: { field: 'url' } });
  }
  for (let dir = dirname(real); dir !== '/' && dir !== '.'; dir = dirname(dir)) {
    if ((await exists(join(dir, CONFIG_FILE))) || (await exists(join(dir, CONTENT_FILE)))) {
      throw new InUseError(`path ${path} is inside the pool or disk directory ${dir}`, {
        details: { field: 'url' },
      });
    }
  }
}

export async function createPool(core: EngineCore, p: CreatePoolParams): Promise<PoolInfo> {
  const name = assertName(p.name, 'pool');
  const type = normaliseType(p.type);
  const content = (p.content ?? 'vmd') as PoolContent;
  if (!POOL_CONTENTS.includes(content))
    throw new ValidationError(`content must be one of ${POOL_CONTENTS.join(', ')}`, 'content');
  const path = await confineRealPath(p.path, 'url', core.deps.allowedRoots);
  const rec: PoolRecord = { name, type, path, content, autostart: p.autostart ?? true };
  if (p.source) rec.source = p.source;
  if (p.options) rec.options = p.options;
  const driver = driverFor(type);
  await driver.checkSupported(rec);
  if (await core.deps.registry.get(name)) throw new AlreadyExistsError('pool', name);
  await refuseOverlap(core, path);
  await driver.start(rec);
  try {
    const marker = join(path, CONTENT_FILE);
    if (!(await exists(marker))) await atomicWrite(marker, content, 0o644);
    await core.deps.registry.put(rec);
  } catch (err) {
    await driver.stop(rec).catch(() => undefined);
    throw err;
  }
  core.log.info({ pool: name, type, path }, 'pool created');
  return poolInfo(core, name);
}

export async function startPool(core: EngineCore, name: string): Promise<PoolInfo> {
  const rec = await core.pool(name);
  delete rec.stopped;
  await driverFor(rec.type).start(rec);
  await core.deps.registry.put(rec);
  return poolInfo(core, name);
}

export async function stopPool(core: EngineCore, name: string): Promise<PoolInfo> {
  const rec = await core.pool(name);
  await refuseIfPoolBusy(core, rec, 'cannot stop pool');
  await driverFor(rec.type).stop(rec);
  rec.stopped = true;
  await core.deps.registry.put(rec);
  return poolInfo(core, name);
}

export async function setPoolAutostart(
  core: EngineCore,
  name: string,
  autostart: boolean,
): Promise<PoolInfo> {
  const rec = await core.pool(name);
  rec.autostart = autostart;
  await core.deps.registry.put(rec);
  return poolInfo(core, name);
}

/** A pool with running domains on its files must not be stopped or deleted. */
async function refuseIfPoolBusy(core: EngineCore, rec: PoolRecord, why: string): Promise<void> {
  if (!(await driverFor(rec.type).isActive(rec))) return;
  for (const d of await diskDirs(rec.path)) {
    await core.refuseDomainUse(await diskFiles(d), `${why} '${rec.name}'`, true);
  }
}

/**
 * Deletes the pool definition (and unmounts). Refuses while the pool holds disks or images,
 * unless `force`; the directory with its data is removed only when it is empty of disks.
 */
export async function deletePool(
  core: EngineCore,
  name: string,
  opts: { force?: boolean } = {},
): Promise<void> {
  const rec = await core.pool(name);
  const driver = driverFor(rec.type);
  const active = await driver.isActive(rec);
  if (active) {
    const disks = await diskDirs(rec.path);
    if (disks.length > 0 && !opts.force) {
      throw new InUseError(
        `pool '${name}' still holds ${disks.length} disk(s) or image(s) (${disks
          .slice(0, 5)
          .map((d) => d.split('/').pop())
          .join(', ')}); delete them first`,
      );
    }
    await refuseIfPoolBusy(core, rec, 'cannot delete pool');
    if ((await listDir(join(rec.path, JOURNAL_DIR))).length > 0) {
      throw new InUseError(`pool '${name}' has unfinished operations in its journal; recover first`);
    }
  }
  if (active && (await diskDirs(rec.path)).length === 0) {
    // Our marker and bookkeeping go with the pool (disks left behind by `force` keep them).
    for (const f of [CONTENT_FILE, LOCKS_DIR, JOURNAL_DIR]) await removeDurable(join(rec.path, f));
    await fsyncDir(rec.path);
  }
  await driver.stop(rec);
  // The directory itself goes only when nothing else is in it.
  if ((await exists(rec.path)) && (await listDir(rec.path)).length === 0) await removeDurable(rec.path);
  await core.deps.registry.remove(name);
  core.log.info({ pool: name }, 'pool deleted');
}

export async function poolInfo(core: EngineCore, name: string): Promise<PoolInfo> {
  const rec = await core.pool(name);
  const active = await driverFor(rec.type).isActive(rec);
  const cap = active ? await capacityOf(rec.path) : { capacity: 0, free: 0, allocation: 0 };
  let content = rec.content;
  if (active) {
    const text = await readFile(join(rec.path, CONTENT_FILE), 'utf8').catch(() => '');
    if ((POOL_CONTENTS as readonly string[]).includes(text.trim())) content = text.trim() as PoolContent;
  }
  const [host, ...rest] = (rec.source ?? '').split(':');
  return {
    pool: rec.name,
    name: rec.name,
    poolname: rec.name,
    type: rec.type,
    pooltype: rec.type,
    url: rec.path,
    path: rec.path,
    content,
    state: active ? 'active' : 'inactive',
    autostart: rec.autostart,
    persistent: 'yes',
    ...cap,
    capacityText: uniformBytes(cap.capacity),
    sourceHost: rec.source ? (host ?? '') : '',
    sourcePath: rec.source ? rest.join(':') : '',
  };
}

/** Starts every pool marked autostart and not stopped by the user (agent start). */
export async function autostartPools(core: EngineCore): Promise<{ pool: string; error?: string }[]> {
  const out: { pool: string; error?: string }[] = [];
  for (const rec of await core.deps.registry.list()) {
    if (!rec.autostart || rec.stopped) continue;
    try {
      await driverFor(rec.type).start(rec);
      out.push({ pool: rec.name });
    } catch (err) {
      out.push({ pool: rec.name, error: (err as Error).message });
    }
  }
  return out;
}
