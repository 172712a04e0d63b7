/**
 * Data-integrity matrix through the apiserver: random sequences (fast-check) of guest-like writes
 * (qemu-io into the disk's current file) and API operations — createDiskExternalSnapshot,
 * revertDiskExternalSnapshot, deleteDiskExternalSnapshot, cloneDisk, createDiskImageFromDisk +
 * createDiskFromDiskImage (linked) — run against a model of what every disk and every snapshot's point
 * in time must hold. After each step: the disk's current data, every remaining snapshot's frozen
 * point, every clone and every disk made from an image read back exactly as the model says (qemu-io
 * pattern reads over 4 slots); a refused delete changes nothing. At the end everything is deleted
 * through the API and the pools hold no orphan file.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { badPatterns, leftovers, MiB, type Pattern, tree, writePattern } from '../storage/helpers.js';
import { reasonOf, type StorageAgent, st12, startStorageAgent } from './storage-agent.js';

const SLOTS = [0, 64, 128, 192].map((m) => m * MiB);
const LEN = 256 * 1024;
type Data = number[]; // pattern byte per slot (0 = never written: reads as zeros)

type Cmd =
  | { k: 'write'; slot: number; byte: number }
  | { k: 'snap' }
  | { k: 'revert'; pick: number }
  | { k: 'delete'; pick: number }
  | { k: 'clone' }
  | { k: 'image' };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('write' as const),
      slot: fc.nat(3),
      byte: fc.integer({ min: 1, max: 255 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('snap' as const) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('revert' as const), pick: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('delete' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('clone' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('image' as const) }) },
);

let t: StorageAgent;
const pool = st12('ipool');
const imgPool = st12('iimg');

const patterns = (d: Data): Pattern[] =>
  d.map((pattern, i) => ({ pattern, offset: SLOTS[i] as number, len: LEN }));
const file = (p: string, name: string) => join(t.root, p, name, name);

interface World {
  disk: string;
  current: Data;
  /** Snapshot object name → the data of its point in time. */
  snaps: Map<string, Data>;
  /** Disks made from this disk (clones, disks from its images) → the data they must hold. */
  copies: Map<string, Data>;
  images: string[];
}

async function checkAll(w: World): Promise<void> {
  const cur = (await t.storage.diskInfo({ pool, name: w.disk })).current;
  expect(await badPatterns(cur, patterns(w.current)), 'current').toEqual([]);
  const listed = await t.storage.listSnapshots({ pool, name: w.disk });
  for (const [name, data] of w.snaps) {
    const s = listed.find((x) => x.name === name);
    expect(s, `snapshot ${name}`).toBeDefined();
    expect(await badPatterns(s?.full_backing_filename ?? '', patterns(data)), `point of ${name}`).toEqual([]);
  }
  for (const [name, data] of w.copies)
    expect(await badPatterns(file(pool, name), patterns(data)), name).toEqual([]);
}

const snapParams = (w: World) => ({ type: 'localfs', pool, vol: w.disk, format: 'qcow2' });
const pick = (w: World, i: number): string | undefined => [...w.snaps.keys()][i % Math.max(1, w.snaps.size)];

async function step(w: World, c: Cmd): Promise<void> {
  if (c.k === 'write') {
    const cur = (await t.storage.diskInfo({ pool, name: w.disk })).current;
    await writePattern(cur, c.byte, SLOTS[c.slot] as number, LEN);
    w.current[c.slot] = c.byte;
  } else if (c.k === 'snap') {
    const name = st12('p');
    expect(
      reasonOf(
        await t.createWith('VirtualMachineDiskSnapshot', name, 'createDiskExternalSnapshot', snapParams(w)),
      ),
    ).toBe('Ready');
    w.snaps.set(name, [...w.current]);
  } else if (c.k === 'revert' || c.k === 'delete') {
    const name = pick(w, c.pick);
    if (!name) return;
    if (c.k === 'revert') {
      expect(
        reasonOf(
          await t.request('VirtualMachineDiskSnapshot', name, 'revertDiskExternalSnapshot', snapParams(w)),
        ),
      ).toBe('Ready');
      w.current = [...(w.snaps.get(name) as Data)];
      return;
    }
    const o = await t.request(
      'VirtualMachineDiskSnapshot',
      name,
      'deleteDiskExternalSnapshot',
      snapParams(w),
    );
    if (o === undefined) w.snaps.delete(name);
    else expect(reasonOf(o)).toBe('InUse'); // the frozen file also backs another branch: refused
  } else if (c.k === 'clone') {
    const name = st12('c');
    const o = await t.request('VirtualMachineDisk', w.disk, 'cloneDisk', {
      type: 'localfs',
      pool,
      newname: name,
      format: 'qcow2',
    });
    expect(reasonOf(o)).toBe('Ready');
    w.copies.set(name, [...w.current]);
  } else {
    const img = st12('m');
    const i = await t.createWith('VirtualMachineDiskImage', img, 'createDiskImageFromDisk', {
      targetPool: imgPool,
      sourcePool: pool,
      sourceVolume: w.disk,
    });
    expect(reasonOf(i)).toBe('Ready');
    w.images.push(img);
    const name = st12('l');
    const d = await t.createWith('VirtualMachineDisk', name, 'createDiskFromDiskImage', {
      type: 'localfs',
      targetPool: pool,
      source: file(imgPool, img),
    });
    expect(reasonOf(d)).toBe('Ready');
    w.copies.set(name, [...w.current]);
  }
}

async function teardown(w: World): Promise<void> {
  for (const name of w.copies.keys()) {
    const o = (await t
      .request('VirtualMachineDisk', name, 'deleteDisk', { type: 'localfs', pool })
      .catch(() => 'no object')) as unknown;
    if (o !== undefined)
      await t.createWith('VirtualMachineDisk', name, 'deleteDisk', { type: 'localfs', pool }); // clones have no object yet
  }
  for (const img of w.images)
    expect(await t.request('VirtualMachineDiskImage', img, 'deleteDiskImage', { sourcePool: imgPool })).toBe(
      undefined,
    );
  expect(await t.request('VirtualMachineDisk', w.disk, 'deleteDisk', { type: 'localfs', pool })).toBe(
    undefined,
  );
}

beforeAll(async () => {
  t = await startStorageAgent('st12-integrity');
  for (const [name, content] of [
    [pool, 'vmd'],
    [imgPool, 'vmdi'],
  ] as const) {
    const o = await t.createWith('VirtualMachinePool', name, 'createPool', {
      type: 'dir',
      content,
      url: join(t.root, name),
    });
    expect(reasonOf(o)).toBe('Ready');
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

it('random sequences of writes and storage operations lose or corrupt nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(cmdArb, { minLength: 4, maxLength: 9 }), async (cmds) => {
      const w: World = {
        disk: st12('d'),
        current: [0, 0, 0, 0],
        snaps: new Map(),
        copies: new Map(),
        images: [],
      };
      const d = await t.createWith('VirtualMachineDisk', w.disk, 'createDisk', {
        type: 'localfs',
        pool,
        capacity: '1073741824',
        format: 'qcow2',
      });
      expect(reasonOf(d)).toBe('Ready');
      for (const c of cmds) {
        await step(w, c);
        await checkAll(w);
      }
      await teardown(w);
      for (const p of [pool, imgPool]) {
        const entries = await tree(join(t.root, p));
        expect(leftovers(entries)).toEqual([]);
        expect(entries.filter((e) => !e.startsWith('.ks-') && e !== 'content')).toEqual([]);
      }
    }),
    { numRuns: Number(process.env.KS_INTEGRITY_RUNS ?? 4), endOnFailure: true },
  );
}, 900_000);
