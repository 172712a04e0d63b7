/**
 * The kill -9 matrix, storage-chain group: disk images (from a disk, from a file, delete),
 * external snapshot chains (create / revert / delete, offline) and pool state (autostart, start,
 * stop). The chain is read back from each disk's config.json and the qcow2 headers (qemu-img
 * where data matters): exactly the finished chain or exactly the chain before, no stray overlay,
 * no engine bookkeeping left in a pool.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GiB } from '../e2e/helpers.js';
import { badPatterns, writePattern } from '../storage/helpers.js';
import {
  expectPool,
  type MatrixEntry,
  type MatrixHost,
  poolDirOf,
  removeDisk,
  removePool,
} from './kill-matrix.entries.js';
import {
  allLeftovers,
  baseFile,
  expectDiskIn,
  imageFixture,
  PATTERN_A,
  PATTERN_B,
} from './kill-matrix-storage.entries.js';

const diskOf = (name: string) => `${name}-disk`;
const snapFile = (h: MatrixHost, name: string) => join(h.poolDir, diskOf(name), 'snapshots', name);

const newDisk = async (h: MatrixHost, disk: string) => {
  await h.storage.createDisk({ pool: h.pool, name: disk, capacity: GiB });
  await writePattern(baseFile(h, disk), PATTERN_A.pattern, PATTERN_A.offset, PATTERN_A.len);
};

/** A disk `<name>-disk` with the external snapshot `<name>` (current), holding B on top of A. */
const diskWithSnapshot = async (h: MatrixHost, name: string) => {
  await newDisk(h, diskOf(name));
  await h.storage.createSnapshot({ pool: h.pool, name: diskOf(name), snapshot: name });
  await writePattern(snapFile(h, name), PATTERN_B.pattern, PATTERN_B.offset, PATTERN_B.len);
};

const snapRequest = (h: MatrixHost, name: string) => ({
  type: 'localfs',
  pool: h.pool,
  vol: diskOf(name),
  format: 'qcow2',
});

interface Chain {
  current: string;
  /** The files under snapshots/, sorted. */
  overlays: string[];
}

async function chainOf(h: MatrixHost, name: string): Promise<Chain | undefined> {
  const info = await h.storage.diskInfo({ pool: h.pool, name: diskOf(name) }).catch(() => undefined);
  if (!info) return undefined;
  const dir = join(h.poolDir, diskOf(name), 'snapshots');
  const overlays = (await readdir(dir).catch(() => [] as string[])).sort();
  return { current: info.current, overlays };
}

/** The disk's chain is exactly `want` (current file and overlays) and its current reads `data`. */
async function expectChain(
  h: MatrixHost,
  name: string,
  want: Chain,
  data: typeof PATTERN_A,
): Promise<string[]> {
  const got = await chainOf(h, name);
  if (!got) return [`disk ${diskOf(name)} is gone`];
  const problems: string[] = [];
  if (got.current !== want.current) problems.push(`current is ${got.current}, expected ${want.current}`);
  if (got.overlays.join() !== want.overlays.join()) {
    problems.push(`overlays [${got.overlays}], expected [${want.overlays}]`);
  }
  if ((await badPatterns(got.current, [data])).length) {
    problems.push(`current does not hold pattern 0x${data.pattern.toString(16)}`);
  }
  return problems;
}

const imagePlace = async (h: MatrixHost) => {
  const f = await imageFixture(h);
  return { pool: f.pool, poolDir: f.poolDir };
};

const removeImage = async (h: MatrixHost, name: string) => {
  const f = await imageFixture(h);
  await h.storage.deleteDiskImage({ pool: f.pool, name }).catch(() => undefined);
};

/** A registered directory pool named after the object, as createPool leaves it. */
const newPool = async (h: MatrixHost, name: string) => {
  await h.storage.createPool({
    name,
    type: 'dir',
    path: poolDirOf(h, name),
    content: 'vmd',
    autostart: true,
  });
};

async function expectPoolFlags(
  h: MatrixHost,
  name: string,
  want: { state?: 'active' | 'inactive'; autostart?: boolean },
): Promise<string[]> {
  const problems = await expectPool(h, name, 'registered');
  const info = await h.storage.poolInfo(name).catch(() => undefined);
  if (!info) return problems;
  if (want.state && info.state !== want.state)
    problems.push(`pool ${name} is ${info.state}, expected ${want.state}`);
  if (want.autostart !== undefined && info.autostart !== want.autostart) {
    problems.push(`pool ${name} autostart is ${info.autostart}, expected ${want.autostart}`);
  }
  return problems;
}

export const STORAGE_CHAIN_MATRIX: readonly MatrixEntry[] = [
  {
    operation: 'createDiskImageFromDisk',
    kind: 'VirtualMachineDiskImage',
    storageSteps: { op: 'createDiskImage', steps: 5 },
    typicalMs: 500,
    prepare: async (h, name) => {
      await imageFixture(h);
      await newDisk(h, diskOf(name));
    },
    request: (h, name) => ({ targetPool: `${h.pool}-vmdi`, sourcePool: h.pool, sourceVolume: diskOf(name) }),
    orphans: async (h, name, ok) => [
      ...(await expectDiskIn(h, await imagePlace(h), name, ok ? 'complete' : 'absent', null)),
      ...(await expectDiskIn(h, h, diskOf(name), 'complete')),
      ...(await allLeftovers(h)),
    ],
    cleanup: async (h, name) => {
      await removeImage(h, name);
      await removeDisk(h, diskOf(name));
    },
  },
  {
    operation: 'createDiskImage',
    kind: 'VirtualMachineDiskImage',
    storageSteps: { op: 'createDiskImage', steps: 5 },
    typicalMs: 500,
    prepare: async (h, name) => {
      await imageFixture(h);
      await newDisk(h, diskOf(name));
    },
    request: (h, name) => ({
      imageType: 'qcow2',
      source: baseFile(h, diskOf(name)),
      targetPool: `${h.pool}-vmdi`,
    }),
    orphans: async (h, name, ok) => {
      const place = await imagePlace(h);
      const problems = await expectDiskIn(h, place, name, ok ? 'complete' : 'absent', null);
      if (ok && (await badPatterns(join(place.poolDir, name, name), [PATTERN_A])).length) {
        problems.push('the image does not hold the source data');
      }
      return [...problems, ...(await allLeftovers(h))];
    },
    cleanup: async (h, name) => {
      await removeImage(h, name);
      await removeDisk(h, diskOf(name));
    },
  },
  {
    operation: 'deleteDiskImage',
    kind: 'VirtualMachineDiskImage',
    storageSteps: { op: 'deleteDisk', steps: 4 },
    typicalMs: 200,
    deletesObject: true,
    prepare: async (h, name) => {
      const f = await imageFixture(h);
      await h.storage.createDiskImage({ pool: f.pool, name, sourcePath: f.imageFile });
    },
    request: (h) => ({ sourcePool: `${h.pool}-vmdi` }),
    orphans: async (h, name, ok) => [
      ...(await expectDiskIn(h, await imagePlace(h), name, ok ? 'absent' : 'complete')),
      ...(await allLeftovers(h)),
    ],
    cleanup: removeImage,
  },
  {
    operation: 'createDiskExternalSnapshot',
    kind: 'VirtualMachineDiskSnapshot',
    storageSteps: { op: 'createSnapshot', steps: 4 },
    typicalMs: 300,
    prepare: (h, name) => newDisk(h, diskOf(name)),
    request: snapRequest,
    orphans: async (h, name, ok) => [
      ...(await expectChain(
        h,
        name,
        ok
          ? { current: snapFile(h, name), overlays: [name] }
          : { current: baseFile(h, diskOf(name)), overlays: [] },
        PATTERN_A,
      )),
      ...(await allLeftovers(h)),
    ],
    cleanup: (h, name) => removeDisk(h, diskOf(name)),
  },
  {
    operation: 'revertDiskExternalSnapshot',
    kind: 'VirtualMachineDiskSnapshot',
    storageSteps: { op: 'revertSnapshot', steps: 3 },
    typicalMs: 300,
    prepare: diskWithSnapshot,
    request: snapRequest,
    orphans: async (h, name, ok) => {
      const got = await chainOf(h, name);
      const problems: string[] = [];
      if (ok) {
        // a new overlay over the frozen base became current; the snapshot's branch stays
        const fresh = got?.overlays.filter((o) => o !== name) ?? [];
        if (fresh.length !== 1) problems.push(`overlays [${got?.overlays}] after the revert`);
        else
          problems.push(
            ...(await expectChain(
              h,
              name,
              {
                current: join(h.poolDir, diskOf(name), 'snapshots', fresh[0] as string),
                overlays: got?.overlays ?? [],
              },
              PATTERN_A,
            )),
          );
        if ((await badPatterns(snapFile(h, name), [PATTERN_B])).length)
          problems.push('the old branch lost its data');
      } else {
        problems.push(
          ...(await expectChain(h, name, { current: snapFile(h, name), overlays: [name] }, PATTERN_B)),
        );
      }
      return [...problems, ...(await allLeftovers(h))];
    },
    cleanup: (h, name) => removeDisk(h, diskOf(name)),
  },
  {
    operation: 'deleteDiskExternalSnapshot',
    kind: 'VirtualMachineDiskSnapshot',
    storageSteps: { op: 'deleteSnapshot', steps: 5 },
    typicalMs: 400,
    deletesObject: true,
    prepare: diskWithSnapshot,
    request: snapRequest,
    // Only the point in time goes: B (written above the snapshot) is on the disk either way.
    orphans: async (h, name, ok) => [
      ...(await expectChain(
        h,
        name,
        ok
          ? { current: baseFile(h, diskOf(name)), overlays: [] }
          : { current: snapFile(h, name), overlays: [name] },
        PATTERN_B,
      )),
      ...(existsSync(snapFile(h, name)) === !ok ? [] : [`snapshot file ${ok ? 'left behind' : 'missing'}`]),
      ...(await allLeftovers(h)),
    ],
    cleanup: (h, name) => removeDisk(h, diskOf(name)),
  },
  {
    operation: 'autoStartPool',
    kind: 'VirtualMachinePool',
    typicalMs: 100,
    prepare: newPool,
    request: () => ({ type: 'localfs', disable: true }),
    orphans: (h, name, ok) => expectPoolFlags(h, name, { state: 'active', autostart: !ok }),
    cleanup: removePool,
  },
  {
    operation: 'startPool',
    kind: 'VirtualMachinePool',
    typicalMs: 100,
    prepare: async (h, name) => {
      await newPool(h, name);
      await h.storage.stopPool(name);
    },
    request: () => ({ type: 'localfs' }),
    orphans: (h, name, ok) => expectPoolFlags(h, name, { state: ok ? 'active' : 'inactive' }),
    cleanup: removePool,
  },
  {
    operation: 'stopPool',
    kind: 'VirtualMachinePool',
    typicalMs: 100,
    prepare: newPool,
    request: () => ({ type: 'localfs' }),
    orphans: (h, name, ok) => expectPoolFlags(h, name, { state: ok ? 'inactive' : 'active' }),
    cleanup: removePool,
  },
];
