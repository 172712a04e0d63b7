/** Disk operations: create, resize, delete, info, clone (full or linked). */
import { join } from 'node:path';
import { AlreadyExistsError, InUseError, NotFoundError, ValidationError } from '../errors.js';
import { parseCapacity, uniformBytes } from '../sizes.js';
import type { EngineCore } from './core.js';
import { atomicWriteJson, exists, fsyncFile, mkdirDurable } from './fsutil.js';
import {
  configPath,
  type DiskConfig,
  diskDir,
  diskFiles,
  isOwnDiskDir,
  newConfig,
  readConfig,
  SNAPSHOTS_DIR,
  snapshotFile,
  tmpDir,
  trashDir,
} from './layout.js';
import type { PoolRecord } from './pools.js';
import * as qemuImg from './qemu-img.js';
import { assertName } from './validate.js';

export interface DiskRef {
  pool: string;
  name: string;
}

export interface CreateDiskParams extends DiskRef {
  /** Bytes, or a size with a unit ("10G"). */
  capacity: number | string;
  format?: string;
}

export interface ResizeDiskParams extends DiskRef {
  capacity: number | string;
  /** Shrinking loses data: only when asked explicitly. */
  shrink?: boolean;
}

export interface CloneDiskParams extends DiskRef {
  newName: string;
  /** Pool of the new disk (default: the source's pool). */
  targetPool?: string;
  /** full = standalone copy of the whole chain; linked = new overlay over the source's frozen file. */
  mode?: 'full' | 'linked';
}

/** What `spec.volume` reports: qemu-img info keys with '_' plus the layout bookkeeping. */
export interface DiskInfo {
  disk: string;
  vol: string;
  pool: string;
  poolname: string;
  type: string;
  current: string;
  uni: string;
  dir: string;
  format: string;
  virtual_size: number;
  actual_size: number;
  /** Human capacity as the original reported it ("2.0 GB"). */
  capacity: string;
  filename: string;
  backing_filename?: string;
  full_backing_filename?: string;
  backing_filename_format?: string;
  /** The domain using the disk, "" when none. */
  vm: string;
  [key: string]: unknown;
}

/** qemu-img's JSON keys with '-' turned into '_' (keys only: values such as paths are never touched). */
export function underscoreKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(underscoreKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replaceAll('-', '_'), underscoreKeys(x)]));
  }
  return v;
}

export async function loadDisk(
  core: EngineCore,
  ref: DiskRef,
  opts: { active?: boolean } = {},
): Promise<{ pool: PoolRecord; cfg: DiskConfig; dir: string }> {
  const name = assertName(ref.name, 'name');
  const pool = opts.active === false ? await core.pool(ref.pool) : await core.activePool(ref.pool);
  const dir = diskDir(pool.path, name);
  if (!(await exists(configPath(dir))))
    throw new NotFoundError('disk', name, { details: { pool: pool.name } });
  const cfg = await readConfig(dir);
  if (!(await exists(cfg.current))) {
    throw new NotFoundError('current file of disk', name, { details: { current: cfg.current } });
  }
  return { pool, cfg, dir };
}

export async function diskInfo(core: EngineCore, ref: DiskRef): Promise<DiskInfo> {
  const { pool, cfg, dir } = await loadDisk(core, ref);
  const info = await qemuImg.info(cfg.current, { shareLock: true });
  const use = await core.deps.domainUse(cfg.current);
  const base = underscoreKeys(info.raw) as Record<string, unknown>;
  return {
    ...base,
    disk: cfg.name,
    vol: cfg.name,
    pool: pool.name,
    poolname: pool.name,
    type: pool.type,
    current: cfg.current,
    uni: cfg.current,
    dir,
    format: info.format,
    virtual_size: info.virtualSize,
    actual_size: info.actualSize,
    capacity: uniformBytes(info.virtualSize),
    filename: info.filename,
    vm: use?.domain ?? (typeof cfg.vm === 'string' ? cfg.vm : ''),
  };
}

export async function createDisk(core: EngineCore, p: CreateDiskParams): Promise<DiskInfo> {
  const name = assertName(p.name, 'name');
  const format = p.format ?? 'qcow2';
  qemuImg.assertFormat(format);
  const size = parseCapacity(p.capacity);
  const pool = await core.activePool(p.pool);
  await core.withDiskLocks([{ pool, name }], async () => {
    const dir = diskDir(pool.path, name);
    if (await exists(dir)) throw new AlreadyExistsError('disk', name, { details: { pool: pool.name, dir } });
    const tmp = tmpDir(pool.path, core.newId());
    await core.runPlan({
      op: 'createDisk',
      subject: `${pool.name}/${name}`,
      pool,
      rollback: [{ kind: 'remove', path: tmp }],
      prepare: async (step) => {
        await mkdirDurable(tmp);
        step();
        await qemuImg.create(join(tmp, name), { format, sizeBytes: size });
        await fsyncFile(join(tmp, name));
        step();
        await atomicWriteJson(configPath(tmp), newConfig(pool.name, pool.path, name));
      },
      forward: [{ kind: 'rename', from: tmp, to: dir }],
    });
  });
  core.log.info({ pool: pool.name, disk: name, size, format }, 'disk created');
  return diskInfo(core, { pool: pool.name, name });
}

export async function resizeDisk(core: EngineCore, p: ResizeDiskParams): Promise<DiskInfo> {
  const size = parseCapacity(p.capacity);
  const { pool, cfg } = await loadDisk(core, p);
  await core.withDiskLocks([{ pool, name: cfg.name }], async () => {
    const hit = await core.domainUsing([cfg.current]);
    if (hit?.use.running) {
      const online = core.deps.online;
      if (!online?.blockResize) {
        throw new InUseError(
          `disk '${cfg.name}' is in use by running domain '${hit.use.domain}'; online resize needs libvirt`,
        );
      }
      const cur = await qemuImg.info(cfg.current, { shareLock: true });
      if (size < cur.virtualSize) throw new ValidationError('a running disk can only grow', 'capacity');
      await online.blockResize(hit.use.domain, cfg.current, size);
      return;
    }
    await qemuImg.resize(cfg.current, await core.format(cfg.current), size, { shrink: p.shrink ?? false });
  });
  return diskInfo(core, p);
}

/**
 * Deletes the disk directory with its snapshots — only a directory of ours (see isOwnDiskDir).
 * Refuses when a domain uses any of its files or
 * when a file of another disk or image backs onto one of them.
 */
export async function deleteDisk(core: EngineCore, ref: DiskRef): Promise<void> {
  const name = assertName(ref.name, 'name');
  const pool = await core.activePool(ref.pool);
  await core.withDiskLocks([{ pool, name }], async () => {
    const dir = diskDir(pool.path, name);
    // Only a directory that is a disk of ours; a plain directory of that name is not a disk.
    if (!(await isOwnDiskDir(pool.path, name)))
      throw new NotFoundError('disk', name, { details: { pool: pool.name } });
    const files = await diskFiles(dir);
    await core.refuseDomainUse(files, `cannot delete disk '${name}'`);
    await core.refuseBackingUsers(files, dir, `cannot delete disk '${name}'`);
    const trash = trashDir(pool.path, core.newId());
    await core.runPlan({
      op: 'deleteDisk',
      subject: `${pool.name}/${name}`,
      pool,
      rollback: [],
      forward: [
        { kind: 'rename', from: dir, to: trash },
        { kind: 'remove', path: trash },
      ],
    });
  });
  core.log.info({ pool: pool.name, disk: name }, 'disk deleted');
}

export async function cloneDisk(core: EngineCore, p: CloneDiskParams): Promise<DiskInfo> {
  const newName = assertName(p.newName, 'newname');
  const mode = p.mode ?? 'full';
  if (mode !== 'full' && mode !== 'linked') throw new ValidationError(`mode must be full or linked`, 'mode');
  const src = await loadDisk(core, p);
  const target = p.targetPool ? await core.activePool(p.targetPool, 'targetPool') : src.pool;
  if (target.content !== 'vmd') {
    throw new ValidationError(
      `target pool '${target.name}' holds ${target.content}, not disks`,
      'targetPool',
    );
  }
  await core.withDiskLocks(
    [
      { pool: src.pool, name: src.cfg.name },
      { pool: target, name: newName },
    ],
    async () => {
      const cfg = await readConfig(src.dir);
      const newDir = diskDir(target.path, newName);
      if (await exists(newDir))
        throw new AlreadyExistsError('disk', newName, { details: { pool: target.name } });
      const tmp = tmpDir(target.path, core.newId());
      const newFile = join(tmp, newName);
      const srcFormat = await core.format(cfg.current);
      if (mode === 'full') {
        // A running VM writes while we read: the copy would be torn. Stopped or unused only.
        await core.refuseDomainUse([cfg.current], `cannot copy disk '${cfg.name}' while it runs`, true);
        await core.runPlan({
          op: 'cloneDisk',
          subject: `${src.pool.name}/${cfg.name} -> ${target.name}/${newName}`,
          pool: target,
          rollback: [{ kind: 'remove', path: tmp }],
          prepare: async (step) => {
            await mkdirDurable(tmp);
            step();
            await qemuImg.convert(cfg.current, newFile, { sourceFormat: srcFormat, targetFormat: 'qcow2' });
            await fsyncFile(newFile);
            step();
            await atomicWriteJson(configPath(tmp), {
              ...newConfig(target.name, target.path, newName),
              vm: '',
            });
          },
          forward: [{ kind: 'rename', from: tmp, to: newDir }],
        });
        return;
      }
      // Linked: the source's current file becomes frozen (the clone's backing file); the source
      // continues on a fresh overlay. Its domain definition would still name the old file, so no
      // domain may use the source.
      await core.refuseDomainUse([cfg.current], `cannot make a linked clone of disk '${cfg.name}'`);
      const overlay = snapshotFile(src.dir, core.newId());
      await core.runPlan({
        op: 'cloneDisk',
        subject: `${src.pool.name}/${cfg.name} -> ${target.name}/${newName} (linked)`,
        pool: target,
        rollback: [
          { kind: 'remove', path: tmp },
          { kind: 'remove', path: overlay },
        ],
        prepare: async (step) => {
          await mkdirDurable(tmp);
          await qemuImg.create(newFile, {
            format: 'qcow2',
            backingFile: cfg.current,
            backingFormat: srcFormat,
          });
          await fsyncFile(newFile);
          step();
          await atomicWriteJson(configPath(tmp), { ...newConfig(target.name, target.path, newName), vm: '' });
          if (!(await exists(join(src.dir, SNAPSHOTS_DIR)))) await mkdirDurable(join(src.dir, SNAPSHOTS_DIR));
          await qemuImg.create(overlay, {
            format: 'qcow2',
            backingFile: cfg.current,
            backingFormat: srcFormat,
          });
          await fsyncFile(overlay);
          step();
        },
        forward: [
          { kind: 'writeJson', path: configPath(src.dir), value: { ...cfg, current: overlay } },
          { kind: 'rename', from: tmp, to: newDir },
        ],
      });
    },
  );
  core.log.info({ source: src.cfg.name, clone: newName, mode }, 'disk cloned');
  return diskInfo(core, { pool: target.name, name: newName });
}
