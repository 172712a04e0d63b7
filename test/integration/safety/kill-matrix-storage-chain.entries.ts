/**
 * The kill -9 matrix, storage-chain group: disk images (from a disk, from a file, delete),
 * external snapshot chains (create and delete: offline, and online every other case; revert) and pool
 * state (autostart, start, stop). The chain is read back from each disk's config.json and the qcow2 headers (qemu-img
 * where data matters): exactly the finished chain or exactly the chain before, no stray overlay,
 * no engine bookkeeping left in a pool.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { badPatterns } from '../storage/helpers.js';
import {
  expectPool,
  type MatrixEntry,
  type MatrixHost,
  newPool,
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
import {
  chainOf,
  diskOf,
  diskWithSnapshot,
  expectChain,
  expectDomainOn,
  newDisk,
  removeDomainOf,
  snapFile,
  snapRequest,
  startDomainOn,
  vmOf,
} from './kill-matrix-storage-chains.js';

const imagePlace = async (h: MatrixHost) => {
  const f = await imageFixture(h);
  return { pool: f.pool, poolDir: f.poolDir };
};

const removeImage = async (h: MatrixHost, name: string) => {
  const f = await imageFixture(h);
  await h.storage.deleteDiskImage({ pool: f.pool, name }).catch(() => undefined);
};

/** A registered directory pool named after the object, as createPool leaves it. */
const newAutoStartPool = (h: MatrixHost, name: string) => newPool(h, name, true);

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

let createCases = 0;
let deleteCases = 0;
const onlineCases = new Set<string>();
const onlineCase = (name: string) => onlineCases.has(name);

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
    // Every other case runs online: the disk's domain runs, libvirt makes the overlay.
    prepare: async (h, name) => {
      await newDisk(h, diskOf(name));
      if (createCases++ % 2 === 0) return;
      onlineCases.add(name);
      await startDomainOn(h, name, baseFile(h, diskOf(name)));
    },
    request: (h, name) => ({
      ...snapRequest(h, name),
      ...(onlineCase(name) ? { domain: vmOf(name) } : {}),
    }),
    orphans: async (h, name, ok) => {
      const want = ok ? snapFile(h, name) : baseFile(h, diskOf(name));
      return [
        ...(await expectChain(h, name, { current: want, overlays: ok ? [name] : [] }, PATTERN_A)),
        ...(onlineCase(name) ? await expectDomainOn(name, want) : []),
        ...(await allLeftovers(h)),
      ];
    },
    cleanup: async (h, name) => {
      await removeDomainOf(name);
      await removeDisk(h, diskOf(name));
    },
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
    // Every other case online: the domain runs on the snapshot, an active commit + pivot merges it.
    prepare: async (h, name) => {
      await diskWithSnapshot(h, name);
      if (deleteCases++ % 2 === 0) return;
      onlineCases.add(name);
      await startDomainOn(h, name, snapFile(h, name));
    },
    request: (h, name) => ({
      ...snapRequest(h, name),
      ...(onlineCase(name) ? { domain: vmOf(name) } : {}),
    }),
    // Only the point in time goes: B (written above the snapshot) is on the disk either way.
    orphans: async (h, name, ok) => {
      const want = ok ? baseFile(h, diskOf(name)) : snapFile(h, name);
      return [
        ...(await expectChain(h, name, { current: want, overlays: ok ? [] : [name] }, PATTERN_B)),
        ...(existsSync(snapFile(h, name)) === !ok ? [] : [`snapshot file ${ok ? 'left behind' : 'missing'}`]),
        ...(onlineCase(name) ? await expectDomainOn(name, want) : []),
        ...(await allLeftovers(h)),
      ];
    },
    cleanup: async (h, name) => {
      await removeDomainOf(name);
      await removeDisk(h, diskOf(name));
    },
  },
  {
    operation: 'autoStartPool',
    kind: 'VirtualMachinePool',
    typicalMs: 100,
    prepare: newAutoStartPool,
    request: () => ({ type: 'localfs', disable: true }),
    orphans: (h, name, ok) => expectPoolFlags(h, name, { state: 'active', autostart: !ok }),
    cleanup: removePool,
  },
  {
    operation: 'startPool',
    kind: 'VirtualMachinePool',
    typicalMs: 100,
    prepare: async (h, name) => {
      await newAutoStartPool(h, name);
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
    prepare: newAutoStartPool,
    request: () => ({ type: 'localfs' }),
    orphans: (h, name, ok) => expectPoolFlags(h, name, { state: ok ? 'inactive' : 'active' }),
    cleanup: removePool,
  },
];
