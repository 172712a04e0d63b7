/**
 * The on-disk layout kept from existing hosts (VM definitions hold these absolute paths):
 *
 *   <pool>/content                     "vmd" | "vmdi" | "iso"
 *   <pool>/<disk>/<disk>               base image, no extension
 *   <pool>/<disk>/config.json          {name, dir, current, pool}  (current = top of the chain)
 *   <pool>/<disk>/snapshots/<name>     external snapshot overlays (and revert overlays, 16 hex)
 *
 * Engine bookkeeping lives in hidden entries of the pool root: .ks-journal/, .ks-locks/, and
 * .ks-tmp-<id>/ or .ks-trash-<id>/ directories that exist only while an operation runs.
 */
import { lstat, readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NotFoundError } from '../errors.js';
import { exists, listDir } from './fsutil.js';

export interface DiskConfig {
  name: string;
  dir: string;
  current: string;
  pool: string;
  /** Other keys found in existing files (poolname, vm, …) are kept on rewrite. */
  [extra: string]: unknown;
}

export const CONFIG_FILE = 'config.json';
export const SNAPSHOTS_DIR = 'snapshots';
export const CONTENT_FILE = 'content';
export const LOCKS_DIR = '.ks-locks';

export const diskDir = (poolPath: string, disk: string): string => join(poolPath, disk);
export const diskBaseFile = (poolPath: string, disk: string): string => join(poolPath, disk, disk);
export const configPath = (dir: string): string => join(dir, CONFIG_FILE);
export const snapshotFile = (dir: string, snap: string): string => join(dir, SNAPSHOTS_DIR, snap);
export const lockFile = (poolPath: string, name: string): string => join(poolPath, LOCKS_DIR, `${name}.lock`);
export const tmpDir = (poolPath: string, id: string): string => join(poolPath, `.ks-tmp-${id}`);
export const trashDir = (poolPath: string, id: string): string => join(poolPath, `.ks-trash-${id}`);

export function newConfig(poolName: string, poolPath: string, name: string, current?: string): DiskConfig {
  const dir = diskDir(poolPath, name);
  return { name, dir, current: current ?? join(dir, name), pool: poolName };
}

export async function readConfig(dir: string, what = 'disk'): Promise<DiskConfig> {
  let text: string;
  try {
    text = await readFile(configPath(dir), 'utf8');
  } catch {
    throw new NotFoundError(what, dir.split('/').pop() ?? dir, { details: { dir } });
  }
  const c = JSON.parse(text) as DiskConfig;
  if (typeof c.current !== 'string' || typeof c.name !== 'string') {
    throw new NotFoundError(what, dir.split('/').pop() ?? dir, {
      details: { dir, reason: 'config.json incomplete' },
    });
  }
  return c;
}

/** Every image file of a disk directory: the base file, other top-level files, snapshots/*. */
export async function diskFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of await listDir(dir)) {
    if (
      f === CONFIG_FILE ||
      f === SNAPSHOTS_DIR ||
      f.startsWith('.') ||
      f.endsWith('.xml') ||
      f.endsWith('.json')
    )
      continue;
    out.push(join(dir, f));
  }
  for (const f of await listDir(join(dir, SNAPSHOTS_DIR)))
    if (!f.startsWith('.')) out.push(join(dir, SNAPSHOTS_DIR, f));
  return out;
}

/** Disk (or image) directories of a pool: subdirectories holding a config.json. */
export async function diskDirs(poolPath: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of await listDir(poolPath)) {
    if (f.startsWith('.')) continue;
    const d = join(poolPath, f);
    if (await exists(configPath(d))) out.push(d);
  }
  return out;
}

/**
 * True only for a disk (or image) directory of ours named `name` inside `poolPath`: a real
 * directory (not a symlink), not a pool (no `content` marker), whose config.json names it and
 * whose current file (really) lies in it or its snapshots/. Anything else — a plain or nested-pool directory that happens
 * to carry the name — is not ours, and must never be deleted as a disk.
 */
export async function isOwnDiskDir(poolPath: string, name: string): Promise<boolean> {
  const dir = diskDir(poolPath, name);
  const st = await lstat(dir).catch(() => undefined);
  if (!st?.isDirectory() || (await exists(join(dir, CONTENT_FILE)))) return false;
  const cfg = await readConfig(dir).catch(() => undefined);
  if (!cfg || cfg.name !== name) return false;
  const realDir = await realpath(dir);
  const current = await realpath(cfg.current).catch(() => undefined);
  if (!current) return false;
  const home = dirname(current);
  return home === realDir || home === join(realDir, SNAPSHOTS_DIR);
}
