/**
 * The kill -9 matrix, storage group: the VirtualMachineDisk operations of the storage engine
 * (disks from images, clones, internal snapshots, cloud-init seeds). Every check reads the host
 * back through the storage engine and qemu-img: the disk, its chain and snapshot list are exactly
 * as requested ("done") or exactly as before, and no pool holds engine bookkeeping (temp or trash
 * directories, journal entries, locks) once nothing runs. Shared storage fixtures of this group
 * and kill-matrix-storage-chain.entries.ts live here.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GiB } from '../e2e/helpers.js';
import {
  badPatterns,
  leftovers as bookkeeping,
  MiB,
  type Pattern,
  tree,
  writePattern,
} from '../storage/helpers.js';
import { type MatrixEntry, type MatrixHost, removeDisk } from './kill-matrix.entries.js';

export const PATTERN_A: Pattern = { pattern: 0xa1, offset: 0, len: 1 * MiB };
export const PATTERN_B: Pattern = { pattern: 0xb2, offset: 0, len: 1 * MiB };

/** A `vmdi` pool beside the matrix's disk pool, and a disk image in it, made once per host. */
export interface ImageFixture {
  pool: string;
  poolDir: string;
  /** The current file of a small image, for createDiskFromDiskImage. */
  imageFile: string;
}

const imageFixtures = new Map<string, Promise<ImageFixture>>();
const readyImages = new Map<string, ImageFixture>();

async function makeImageFixture(h: MatrixHost): Promise<ImageFixture> {
  const pool = `${h.pool}-vmdi`;
  const poolDir = join(h.root, pool);
  await h.storage.createPool({ name: pool, type: 'dir', path: poolDir, content: 'vmdi', autostart: true });
  const src = `${h.pool}-imgsrc`;
  await h.storage.createDisk({ pool: h.pool, name: src, capacity: GiB });
  await writePattern(join(h.poolDir, src, src), PATTERN_A.pattern, PATTERN_A.offset, PATTERN_A.len);
  const image = await h.storage.createDiskImage({
    pool,
    name: `${h.pool}-img`,
    fromDisk: { pool: h.pool, name: src },
  });
  await removeDisk(h, src);
  const fixture = { pool, poolDir, imageFile: image.current };
  readyImages.set(h.root, fixture);
  return fixture;
}

export function imageFixture(h: MatrixHost): Promise<ImageFixture> {
  let f = imageFixtures.get(h.root);
  if (!f) {
    f = makeImageFixture(h);
    imageFixtures.set(h.root, f);
  }
  return f;
}

/** Temp/trash directories, journal entries, stale locks and atomic-write temps under a pool. */
export async function poolLeftovers(poolDir: string): Promise<string[]> {
  return bookkeeping(await tree(poolDir)).map((e) => `left in ${poolDir}: ${e}`);
}

export async function allLeftovers(h: MatrixHost): Promise<string[]> {
  const img = imageFixtures.has(h.root) ? await imageFixture(h) : undefined;
  return [...(await poolLeftovers(h.poolDir)), ...(img ? await poolLeftovers(img.poolDir) : [])];
}

/** The disk is complete (absent) as wanted; with `backing`, its current file backs onto exactly that. */
export async function expectDiskIn(
  h: MatrixHost,
  where: { pool: string; poolDir: string },
  name: string,
  want: 'complete' | 'absent',
  backing?: string | null,
): Promise<string[]> {
  const pool = where.pool;
  const info = await h.storage.diskInfo({ pool, name }).catch(() => undefined);
  const dirGone = !existsSync(join(where.poolDir, name));
  const state = info ? 'complete' : dirGone ? 'absent' : 'partial';
  if (state !== want) return [`disk ${pool}/${name} is ${state}, expected ${want}`];
  if (!info || backing === undefined) return [];
  const got = info.full_backing_filename ?? null;
  return got === backing
    ? []
    : [`disk ${name} backs onto ${got ?? 'nothing'}, expected ${backing ?? 'nothing'}`];
}

/** The image file's path, known once the fixture is made (a prepare awaits it first). */
function imageFileSync(h: MatrixHost): string {
  const f = readyImages.get(h.root);
  if (!f) throw new Error('the image fixture is not ready: prepare must run first');
  return f.imageFile;
}

export const baseFile = (h: MatrixHost, name: string) => join(h.poolDir, name, name);

async function internalSnapshots(h: MatrixHost, name: string): Promise<string[]> {
  return (await h.storage.listInternalSnapshots({ pool: h.pool, name })).map((s) => s.name);
}

/** The disk is complete, lists exactly `want` as internal snapshots and holds `data` (if given). */
async function expectInternal(
  h: MatrixHost,
  name: string,
  want: string[],
  data?: Pattern,
): Promise<string[]> {
  const problems = await expectDiskIn(h, h, name, 'complete');
  if (problems.length) return problems;
  const got = await internalSnapshots(h, name);
  if (got.join() !== want.join()) problems.push(`internal snapshots [${got}], expected [${want}]`);
  if (data && (await badPatterns(baseFile(h, name), [data])).length) {
    problems.push(`disk ${name} does not hold pattern 0x${data.pattern.toString(16)}`);
  }
  return problems;
}

const SNAP = 'ks-snap1';
const newDisk = (h: MatrixHost, name: string) =>
  h.storage.createDisk({ pool: h.pool, name, capacity: GiB }).then(() => undefined);

/** The linked and the full copy alternate between the cases of createDiskFromDiskImage. */
let fromImageCases = 0;
const fullCopyOf = new Map<string, boolean>();
const cloneName = (name: string) => `${name}-clone`;
const USER_DATA = '#cloud-config\nhostname: km-seed\n';

export const STORAGE_MATRIX: readonly MatrixEntry[] = [
  {
    operation: 'createDiskFromDiskImage',
    kind: 'VirtualMachineDisk',
    storageSteps: { op: 'createDiskFromImage', steps: 5 },
    typicalMs: 400,
    prepare: (h) => imageFixture(h).then(() => undefined),
    request: (h, name) => {
      const full = fromImageCases++ % 2 === 1;
      fullCopyOf.set(name, full);
      return {
        type: 'localfs',
        targetPool: h.pool,
        source: imageFileSync(h),
        ...(full ? { 'full-copy': 'true' } : {}),
      };
    },
    orphans: async (h, name, ok) => {
      const img = await imageFixture(h);
      const backing = fullCopyOf.get(name) ? null : img.imageFile;
      const problems = await expectDiskIn(h, h, name, ok ? 'complete' : 'absent', backing);
      if (ok && (await badPatterns(baseFile(h, name), [PATTERN_A])).length)
        problems.push('the image data is missing');
      return [...problems, ...(await allLeftovers(h))];
    },
    cleanup: removeDisk,
  },
  {
    operation: 'cloneDisk',
    kind: 'VirtualMachineDisk',
    storageSteps: { op: 'cloneDisk', steps: 5 },
    typicalMs: 500,
    prepare: async (h, name) => {
      await newDisk(h, name);
      await writePattern(baseFile(h, name), PATTERN_A.pattern, PATTERN_A.offset, PATTERN_A.len);
    },
    request: (h, name) => ({ type: 'localfs', pool: h.pool, newname: cloneName(name), format: 'qcow2' }),
    orphans: async (h, name, ok) => {
      const problems = [
        ...(await expectDiskIn(h, h, name, 'complete', null)),
        ...(await expectDiskIn(h, h, cloneName(name), ok ? 'complete' : 'absent', null)),
      ];
      if (ok && (await badPatterns(baseFile(h, cloneName(name)), [PATTERN_A])).length) {
        problems.push('the clone does not hold the source data');
      }
      return [...problems, ...(await allLeftovers(h))];
    },
    cleanup: async (h, name) => {
      await removeDisk(h, cloneName(name));
      await removeDisk(h, name);
    },
  },
  {
    operation: 'createDiskInternalSnapshot',
    kind: 'VirtualMachineDisk',
    typicalMs: 200,
    prepare: newDisk,
    request: (h) => ({ type: 'localfs', pool: h.pool, snapshotname: SNAP }),
    orphans: async (h, name, ok) => [
      ...(await expectInternal(h, name, ok ? [SNAP] : [])),
      ...(await allLeftovers(h)),
    ],
    cleanup: removeDisk,
  },
  {
    operation: 'revertDiskInternalSnapshot',
    kind: 'VirtualMachineDisk',
    typicalMs: 200,
    // A before the snapshot, B after it: the data tells whether the revert took place.
    prepare: async (h, name) => {
      await newDisk(h, name);
      await writePattern(baseFile(h, name), PATTERN_A.pattern, PATTERN_A.offset, PATTERN_A.len);
      await h.storage.createInternalSnapshot({ pool: h.pool, name, snapshot: SNAP });
      await writePattern(baseFile(h, name), PATTERN_B.pattern, PATTERN_B.offset, PATTERN_B.len);
    },
    request: (h) => ({ type: 'localfs', pool: h.pool, snapshotname: SNAP }),
    orphans: async (h, name, ok) => [
      ...(await expectInternal(h, name, [SNAP], ok ? PATTERN_A : PATTERN_B)),
      ...(await allLeftovers(h)),
    ],
    cleanup: removeDisk,
  },
  {
    operation: 'deleteDiskInternalSnapshot',
    kind: 'VirtualMachineDisk',
    typicalMs: 200,
    prepare: async (h, name) => {
      await newDisk(h, name);
      await writePattern(baseFile(h, name), PATTERN_A.pattern, PATTERN_A.offset, PATTERN_A.len);
      await h.storage.createInternalSnapshot({ pool: h.pool, name, snapshot: SNAP });
    },
    request: (h) => ({ type: 'localfs', pool: h.pool, snapshotname: SNAP }),
    orphans: async (h, name, ok) => [
      ...(await expectInternal(h, name, ok ? [] : [SNAP], PATTERN_A)),
      ...(await allLeftovers(h)),
    ],
    cleanup: removeDisk,
  },
  {
    operation: 'createCloudInitUserDataImage',
    kind: 'VirtualMachineDisk',
    storageSteps: { op: 'createCloudInitImage', steps: 4 },
    typicalMs: 300,
    request: (h) => ({ pool: h.pool, userData: USER_DATA }),
    orphans: async (h, name, ok) => {
      const problems = await expectDiskIn(h, h, name, ok ? 'complete' : 'absent');
      const format = ok
        ? (await h.storage.diskInfo({ pool: h.pool, name }).catch(() => undefined))?.format
        : 'raw';
      if (format !== 'raw') problems.push(`seed ${name} is ${format}, not raw`);
      return [...problems, ...(await allLeftovers(h))];
    },
    cleanup: removeDisk,
  },
  {
    operation: 'deleteCloudInitUserDataImage',
    kind: 'VirtualMachineDisk',
    storageSteps: { op: 'deleteDisk', steps: 4 },
    typicalMs: 200,
    deletesObject: true,
    prepare: (h, name) =>
      h.storage.createCloudInitImage({ pool: h.pool, name, userData: USER_DATA }).then(() => undefined),
    request: (h) => ({ pool: h.pool }),
    orphans: async (h, name, ok) => [
      ...(await expectDiskIn(h, h, name, ok ? 'absent' : 'complete')),
      ...(await allLeftovers(h)),
    ],
    cleanup: async (h, name) => {
      await removeDisk(h, name);
      await rm(join(h.poolDir, name), { recursive: true, force: true });
    },
  },
];
