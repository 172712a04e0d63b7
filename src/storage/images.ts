/**
 * Disk images (flattened templates in a `vmdi` pool), disks made from them (linked or full),
 * VM images (flattened copies of a VM's disks + its domain definition) and cloud-init seeds.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AlreadyExistsError, NotFoundError, ValidationError } from '../errors.js';
import { confineRealPath } from '../paths.js';
import type { EngineCore } from './core.js';
import { type DiskInfo, type DiskRef, deleteDisk, diskInfo, loadDisk } from './disks.js';
import { run } from './exec.js';
import { atomicWrite, atomicWriteJson, exists, fsyncFile, mkdirDurable } from './fsutil.js';
import { configPath, diskDir, newConfig, tmpDir } from './layout.js';
import type { PoolContent, PoolRecord } from './pools.js';
import * as qemuImg from './qemu-img.js';
import { assertName } from './validate.js';

function requireContent(pool: PoolRecord, content: PoolContent, field: string): void {
  if (pool.content !== content) {
    throw new ValidationError(`pool '${pool.name}' holds ${pool.content}, not ${content}`, field);
  }
}

/**
 * Copies `source` (reading through its whole backing chain) into a new standalone qcow2 disk or
 * image `<pool>/<name>/<name>`: one journalled operation, built in a temp directory and renamed.
 */
export async function importFileAsDisk(
  core: EngineCore,
  p: {
    source: string;
    pool: string;
    name: string;
    op: string;
    content: PoolContent;
    extraConfig?: Record<string, unknown>;
    /** ISO images keep their bytes (raw) and the `.iso` name: `<pool>/<name>/<name>.iso`. */
    iso?: boolean;
  },
): Promise<DiskInfo> {
  const name = assertName(p.name, 'name');
  const pool = await core.activePool(p.pool);
  requireContent(pool, p.content, 'pool');
  await core.refuseDomainUse([p.source], `cannot copy ${p.source} while it runs`, true);
  const srcFormat = await core.format(p.source);
  await core.withDiskLocks([{ pool, name }], async () => {
    const dir = diskDir(pool.path, name);
    if (await exists(dir)) throw new AlreadyExistsError(p.content === 'vmdi' ? 'image' : 'disk', name);
    const tmp = tmpDir(pool.path, core.newId());
    const file = p.iso ? `${name}.iso` : name;
    await core.runPlan({
      op: p.op,
      subject: `${p.source} -> ${pool.name}/${name}`,
      pool,
      rollback: [{ kind: 'remove', path: tmp }],
      prepare: async (step) => {
        await mkdirDurable(tmp);
        step();
        await qemuImg.convert(p.source, join(tmp, file), {
          sourceFormat: srcFormat,
          targetFormat: p.iso ? 'raw' : 'qcow2',
        });
        await fsyncFile(join(tmp, file));
        step();
        await atomicWriteJson(configPath(tmp), {
          ...newConfig(pool.name, pool.path, name, join(dir, file)),
          ...(p.iso ? { format: 'iso' } : {}),
          ...p.extraConfig,
        });
      },
      forward: [{ kind: 'rename', from: tmp, to: dir }],
    });
  });
  return diskInfo(core, { pool: pool.name, name });
}

export interface CreateDiskImageParams {
  /** The vmdi pool the image goes to. */
  pool: string;
  name: string;
  /** A disk to make the image from (its whole chain, flattened) … */
  fromDisk?: DiskRef;
  /** … or an image file on the host, under the allowed roots. */
  sourcePath?: string;
  /** `iso`: keep an ISO as is (`<name>/<name>.iso`); default qcow2 (flattened). */
  imageType?: 'qcow2' | 'iso';
}

export async function createDiskImage(core: EngineCore, p: CreateDiskImageParams): Promise<DiskInfo> {
  let source: string;
  if (p.fromDisk) source = (await loadDisk(core, p.fromDisk)).cfg.current;
  else if (p.sourcePath) {
    source = await confineRealPath(p.sourcePath, 'source', core.deps.allowedRoots);
    if (!(await exists(source))) throw new NotFoundError('image file', source);
  } else throw new ValidationError('a source disk or a source file is required', 'source');
  if (p.imageType !== undefined && p.imageType !== 'qcow2' && p.imageType !== 'iso') {
    throw new ValidationError('imageType must be qcow2 or iso', 'imageType');
  }
  const iso = p.imageType === 'iso';
  if (iso && (await core.format(source)) !== 'raw')
    throw new ValidationError(`${source} is not an ISO image`, 'source');
  return importFileAsDisk(core, {
    source,
    pool: p.pool,
    name: p.name,
    op: 'createDiskImage',
    content: 'vmdi',
    iso,
  });
}

/** Deletes an image; refused while a disk is a linked clone of it (uses it as backing file). */
export async function deleteDiskImage(core: EngineCore, ref: DiskRef): Promise<void> {
  const pool = await core.activePool(ref.pool);
  requireContent(pool, 'vmdi', 'pool');
  await deleteDisk(core, ref);
}

export interface CreateDiskFromImageParams {
  pool: string;
  name: string;
  /** The image: by pool + name … */
  image?: DiskRef;
  /** … or by its file path (what the API sends as `source`). */
  imagePath?: string;
  /** full copy (standalone) or linked (overlay with the image as backing file). */
  full?: boolean;
}

export async function createDiskFromImage(core: EngineCore, p: CreateDiskFromImageParams): Promise<DiskInfo> {
  let imageFile: string;
  if (p.image) {
    const img = await loadDisk(core, p.image);
    requireContent(img.pool, 'vmdi', 'source');
    imageFile = img.cfg.current;
  } else if (p.imagePath) {
    imageFile = await confineRealPath(p.imagePath, 'source', core.deps.allowedRoots);
    if (!(await exists(imageFile))) throw new NotFoundError('image file', imageFile);
  } else throw new ValidationError('an image is required', 'source');
  if (p.full) {
    return importFileAsDisk(core, {
      source: imageFile,
      pool: p.pool,
      name: p.name,
      op: 'createDiskFromImage',
      content: 'vmd',
    });
  }
  const name = assertName(p.name, 'name');
  const pool = await core.activePool(p.pool);
  requireContent(pool, 'vmd', 'pool');
  // Linked clones are only made from immutable files: the image must have no backing users that write to it.
  const imgFormat = await core.format(imageFile);
  await core.withDiskLocks([{ pool, name }], async () => {
    const dir = diskDir(pool.path, name);
    if (await exists(dir)) throw new AlreadyExistsError('disk', name);
    const tmp = tmpDir(pool.path, core.newId());
    await core.runPlan({
      op: 'createDiskFromImage',
      subject: `${imageFile} -> ${pool.name}/${name} (linked)`,
      pool,
      rollback: [{ kind: 'remove', path: tmp }],
      prepare: async (step) => {
        await mkdirDurable(tmp);
        step();
        await qemuImg.create(join(tmp, name), {
          format: 'qcow2',
          backingFile: imageFile,
          backingFormat: imgFormat,
        });
        await fsyncFile(join(tmp, name));
        await atomicWriteJson(configPath(tmp), { ...newConfig(pool.name, pool.path, name), vm: '' });
      },
      forward: [{ kind: 'rename', from: tmp, to: dir }],
    });
  });
  return diskInfo(core, { pool: pool.name, name });
}

export interface CreateVMImageParams {
  pool: string;
  name: string;
  /** The domain definition (XML) as libvirt returned it. */
  domainXml: string;
  /** The VM's disk files, boot disk first. */
  disks: string[];
}

export interface VMImageInfo {
  name: string;
  pool: string;
  dir: string;
  xml: string;
  /** Original path → image file. */
  disks: { source: string; file: string }[];
}

/**
 * A VM image: every disk flattened into `<pool>/<name>/` (boot disk `<name>`, others `<name>-disk<i>`),
 * the domain XML beside it (`<name>.xml`, disk paths pointing at the copies) and config.json.
 */
export async function createVMImage(core: EngineCore, p: CreateVMImageParams): Promise<VMImageInfo> {
  const name = assertName(p.name, 'name');
  if (typeof p.domainXml !== 'string' || !p.domainXml.includes('<domain')) {
    throw new ValidationError('a domain definition (XML) is required', 'domainXml');
  }
  if (!Array.isArray(p.disks) || p.disks.length === 0)
    throw new ValidationError('at least one disk is required', 'disks');
  const sources: string[] = [];
  for (const d of p.disks) {
    const s = await confineRealPath(d, 'disks', core.deps.allowedRoots);
    if (!(await exists(s))) throw new NotFoundError('disk file', s);
    sources.push(s);
  }
  const pool = await core.activePool(p.pool);
  requireContent(pool, 'vmdi', 'pool');
  await core.refuseDomainUse(sources, `cannot make image '${name}' of a running VM`, true);
  const dir = diskDir(pool.path, name);
  const files = sources.map((_, i) => join(dir, i === 0 ? name : `${name}-disk${i}`));
  let xml = p.domainXml;
  sources.forEach((s, i) => {
    xml = xml.replaceAll(`'${s}'`, `'${files[i]}'`).replaceAll(`"${s}"`, `"${files[i]}"`);
  });
  await core.withDiskLocks([{ pool, name }], async () => {
    if (await exists(dir)) throw new AlreadyExistsError('image', name);
    const tmp = tmpDir(pool.path, core.newId());
    await core.runPlan({
      op: 'createVMImage',
      subject: `${pool.name}/${name}`,
      pool,
      rollback: [{ kind: 'remove', path: tmp }],
      prepare: async (step) => {
        await mkdirDurable(tmp);
        for (const [i, s] of sources.entries()) {
          step();
          const out = join(tmp, (files[i] as string).slice(dir.length + 1));
          await qemuImg.convert(s, out, { sourceFormat: await core.format(s), targetFormat: 'qcow2' });
          await fsyncFile(out);
        }
        step();
        await atomicWrite(join(tmp, `${name}.xml`), xml);
        await atomicWriteJson(configPath(tmp), {
          ...newConfig(pool.name, pool.path, name),
          kind: 'vmimage',
          disks: sources.map((s, i) => ({ source: s, file: files[i] })),
        });
      },
      forward: [{ kind: 'rename', from: tmp, to: dir }],
    });
  });
  return {
    name,
    pool: pool.name,
    dir,
    xml: join(dir, `${name}.xml`),
    disks: sources.map((s, i) => ({ source: s, file: files[i] as string })),
  };
}

export const deleteVMImage = deleteDiskImage;

export interface CloudInitParams {
  pool: string;
  /** The seed disk's name (the VMD name). */
  name: string;
  /** The user data itself (#cloud-config …), never a path on the host. */
  userData: string;
  /** meta-data instance-id (default: the name). */
  instanceId?: string;
  hostname?: string;
  networkConfig?: string;
}

const MAX_SEED_BYTES = 1024 * 1024;

/** A NoCloud seed: ISO9660 labelled `cidata` with user-data, meta-data (and network-config). */
export async function createCloudInitImage(core: EngineCore, p: CloudInitParams): Promise<DiskInfo> {
  const name = assertName(p.name, 'name');
  if (typeof p.userData !== 'string' || p.userData.length === 0)
    throw new ValidationError('user data is required', 'userData');
  if (Buffer.byteLength(p.userData) > MAX_SEED_BYTES)
    throw new ValidationError('user data is larger than 1 MiB', 'userData');
  const host = p.hostname ?? name;
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(host)) throw new ValidationError('bad host name', 'hostname');
  const instanceId = p.instanceId ?? name;
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(instanceId)) throw new ValidationError('bad instance id', 'instanceId');
  const pool = await core.activePool(p.pool);
  await core.withDiskLocks([{ pool, name }], async () => {
    const dir = diskDir(pool.path, name);
    if (await exists(dir)) throw new AlreadyExistsError('disk', name);
    const tmp = tmpDir(pool.path, core.newId());
    const staging = join(tmp, '.seed');
    await core.runPlan({
      op: 'createCloudInitImage',
      subject: `${pool.name}/${name}`,
      pool,
      rollback: [{ kind: 'remove', path: tmp }],
      prepare: async (step) => {
        await mkdirDurable(staging);
        await writeFile(join(staging, 'user-data'), p.userData);
        await writeFile(join(staging, 'meta-data'), `instance-id: ${instanceId}\nlocal-hostname: ${host}\n`);
        const files = ['user-data', 'meta-data'];
        if (p.networkConfig) {
          await writeFile(join(staging, 'network-config'), p.networkConfig);
          files.push('network-config');
        }
        step();
        await run(
          'genisoimage',
          ['-quiet', '-output', join(tmp, name), '-volid', 'cidata', '-joliet', '-rock', ...files],
          { cwd: staging, timeoutMs: 60_000 },
        );
        await fsyncFile(join(tmp, name));
        await rm(staging, { recursive: true, force: true });
        await atomicWriteJson(configPath(tmp), {
          ...newConfig(pool.name, pool.path, name),
          format: 'raw',
          vm: '',
        });
      },
      forward: [{ kind: 'rename', from: tmp, to: dir }],
    });
  });
  return diskInfo(core, { pool: pool.name, name });
}
