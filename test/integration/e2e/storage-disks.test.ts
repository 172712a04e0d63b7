/**
 * Disk and disk-image operations through the apiserver (agent with its ServiceAccount, payloads as
 * the Java SDK sends them): createDiskFromDiskImage (linked and full), cloneDisk, internal snapshots,
 * createDiskImageFromDisk, createDiskImage (qcow2 and iso), deleteDiskImage. Host state is checked
 * with qemu-img (chains, formats, snapshot lists) and qemu-io patterns (the data), and the pools
 * hold no orphan file at the end.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestIso } from '../../fixtures/e2e/iso.js';
import { badPatterns, leftovers, MiB, type Pattern, tree, writePattern } from '../storage/helpers.js';
import {
  reasonOf,
  type StorageAgent,
  st12,
  startStorageAgent,
  volumeMisfits,
  volumeOf,
} from './storage-agent.js';

const GiB = 1024 * MiB;
let t: StorageAgent;
const vmdPool = st12('vmd');
const imgPool = st12('vmdi');
const src = st12('src');
const image = st12('img');
const linked = st12('linked');
const full = st12('full');
const clone = st12('clone');
const A: Pattern = { pattern: 0xa1, offset: 0, len: 1 * MiB };
const B: Pattern = { pattern: 0xb2, offset: 512 * MiB, len: 2 * MiB };
const C: Pattern = { pattern: 0xc3, offset: 0, len: 1 * MiB };

const diskFile = (pool: string, name: string) => join(t.root, pool, name, name);

async function info(file: string): Promise<Record<string, unknown>> {
  return JSON.parse((await execa('qemu-img', ['info', '-U', '--output=json', file])).stdout);
}

beforeAll(async () => {
  t = await startStorageAgent('st12-disks');
  for (const [name, content] of [
    [vmdPool, 'vmd'],
    [imgPool, 'vmdi'],
  ] as const) {
    const o = await t.createWith('VirtualMachinePool', name, 'createPool', {
      type: 'dir',
      content,
      url: join(t.root, name),
      'auto-start': true,
    });
    expect(reasonOf(o)).toBe('Ready');
  }
  const d = await t.createWith('VirtualMachineDisk', src, 'createDisk', {
    type: 'localfs',
    pool: vmdPool,
    capacity: String(GiB),
    format: 'qcow2',
  });
  expect(reasonOf(d)).toBe('Ready');
  await writePattern(diskFile(vmdPool, src), A.pattern, A.offset, A.len);
  await writePattern(diskFile(vmdPool, src), B.pattern, B.offset, B.len);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('VirtualMachineDisk internal snapshots', () => {
  it('create lists the snapshot in qemu-img and spec.volume; a taken name is refused', async () => {
    const o = await t.request('VirtualMachineDisk', src, 'createDiskInternalSnapshot', {
      type: 'localfs',
      pool: vmdPool,
      snapshotname: 'isnap1',
    });
    expect(reasonOf(o)).toBe('Ready');
    const snaps = (await info(diskFile(vmdPool, src))).snapshots as { name: string }[];
    expect(snaps.map((s) => s.name)).toEqual(['isnap1']);
    expect((volumeOf(o).snapshots as { name: string }[]).map((s) => s.name)).toEqual(['isnap1']);
    expect(volumeMisfits(o)).toEqual([]);
    const again = await t.request('VirtualMachineDisk', src, 'createDiskInternalSnapshot', {
      type: 'localfs',
      pool: vmdPool,
      snapshot: 'isnap1', // uni-virt's spelling of snapshotname
    });
    expect(reasonOf(again)).toBe('AlreadyExists');
  });

  it('revert brings the snapshot data back; an unknown snapshot is NotFound', async () => {
    await writePattern(diskFile(vmdPool, src), C.pattern, C.offset, C.len);
    expect(await badPatterns(diskFile(vmdPool, src), [C])).toEqual([]);
    const o = await t.request('VirtualMachineDisk', src, 'revertDiskInternalSnapshot', {
      type: 'localfs',
      pool: vmdPool,
      snapshotname: 'isnap1',
    });
    expect(reasonOf(o)).toBe('Ready');
    expect(await badPatterns(diskFile(vmdPool, src), [A, B])).toEqual([]);
    const none = await t.request('VirtualMachineDisk', src, 'revertDiskInternalSnapshot', {
      type: 'localfs',
      pool: vmdPool,
      snapshotname: 'nosuchsnap',
    });
    expect(reasonOf(none)).toBe('NotFound');
    expect(await badPatterns(diskFile(vmdPool, src), [A, B])).toEqual([]);
  });

  it('delete removes the snapshot and keeps the data', async () => {
    const o = await t.request('VirtualMachineDisk', src, 'deleteDiskInternalSnapshot', {
      type: 'localfs',
      pool: vmdPool,
      snapshotname: 'isnap1',
    });
    expect(reasonOf(o)).toBe('Ready');
    expect((await info(diskFile(vmdPool, src))).snapshots ?? []).toEqual([]);
    expect(await badPatterns(diskFile(vmdPool, src), [A, B])).toEqual([]);
  });
});

describe('VirtualMachineDiskImage', () => {
  it('createDiskImageFromDisk: a flat qcow2 copy in the vmdi pool, reported as spec.volume', async () => {
    const o = await t.createWith('VirtualMachineDiskImage', image, 'createDiskImageFromDisk', {
      targetPool: imgPool,
      sourcePool: vmdPool,
      sourceVolume: src,
    });
    expect(reasonOf(o)).toBe('Ready');
    const file = diskFile(imgPool, image);
    expect(volumeOf(o)).toMatchObject({ pool: imgPool, current: file, format: 'qcow2' });
    expect(volumeMisfits(o)).toEqual([]);
    const i = await info(file);
    expect(i.format).toBe('qcow2');
    expect(i['backing-filename']).toBeUndefined();
    expect(await badPatterns(file, [A, B])).toEqual([]);
  });

  it('a missing source disk is NotFound naming it, and nothing is made', async () => {
    const name = st12('img');
    const o = await t.createWith('VirtualMachineDiskImage', name, 'createDiskImageFromDisk', {
      targetPool: imgPool,
      sourcePool: vmdPool,
      sourceVolume: 'st12-nosuchdisk',
    });
    expect(reasonOf(o)).toBe('NotFound');
    expect(o?.spec?.status).toMatchObject({
      conditions: { state: { waiting: { message: expect.stringContaining('st12-nosuchdisk') } } },
    });
    expect(existsSync(join(t.root, imgPool, name))).toBe(false);
  });

  it('createDiskImage imports a qcow2 file (flattened) and an ISO (bytes kept, .iso)', async () => {
    const q = st12('imgq');
    const oq = await t.createWith('VirtualMachineDiskImage', q, 'createDiskImage', {
      imageType: 'qcow2',
      source: diskFile(vmdPool, src),
      targetPool: imgPool,
    });
    expect(reasonOf(oq)).toBe('Ready');
    expect(await badPatterns(diskFile(imgPool, q), [A, B])).toEqual([]);
    const isoFile = await buildTestIso(join(t.root, 'iso'), 'st12-cd');
    const iso = st12('imgiso');
    const oi = await t.createWith('VirtualMachineDiskImage', iso, 'createDiskImage', {
      imageType: 'iso',
      source: isoFile,
      targetPool: imgPool,
    });
    expect(reasonOf(oi)).toBe('Ready');
    const isoCopy = join(t.root, imgPool, iso, `${iso}.iso`);
    expect(volumeOf(oi).current).toBe(isoCopy);
    await execa('cmp', [isoFile, isoCopy]);
    for (const name of [q, iso]) {
      expect(
        await t.request('VirtualMachineDiskImage', name, 'deleteDiskImage', { sourcePool: imgPool }),
      ).toBe(undefined);
      expect(existsSync(join(t.root, imgPool, name))).toBe(false);
    }
  });
});

describe('VirtualMachineDisk from images and clones', () => {
  it('createDiskFromDiskImage linked: an overlay backed by the image, same data', async () => {
    const o = await t.createWith('VirtualMachineDisk', linked, 'createDiskFromDiskImage', {
      type: 'localfs',
      targetPool: vmdPool,
      source: diskFile(imgPool, image),
    });
    expect(reasonOf(o)).toBe('Ready');
    const i = await info(diskFile(vmdPool, linked));
    expect(i['full-backing-filename']).toBe(diskFile(imgPool, image));
    expect(volumeOf(o)).toMatchObject({ current: diskFile(vmdPool, linked), pool: vmdPool });
    expect(volumeMisfits(o)).toEqual([]);
    expect(await badPatterns(diskFile(vmdPool, linked), [A, B])).toEqual([]);
  });

  it('createDiskFromDiskImage full_copy: standalone, same data', async () => {
    const o = await t.createWith('VirtualMachineDisk', full, 'createDiskFromDiskImage', {
      type: 'localfs',
      targetPool: vmdPool,
      source: diskFile(imgPool, image),
      'full-copy': 'true',
    });
    expect(reasonOf(o)).toBe('Ready');
    const i = await info(diskFile(vmdPool, full));
    expect(i['backing-filename']).toBeUndefined();
    expect(await badPatterns(diskFile(vmdPool, full), [A, B])).toEqual([]);
  });

  it('a source that is not a disk image of this node is NotFound; nothing is made', async () => {
    const name = st12('bad');
    const o = await t.createWith('VirtualMachineDisk', name, 'createDiskFromDiskImage', {
      type: 'localfs',
      targetPool: vmdPool,
      source: diskFile(vmdPool, src), // a disk, not an image: it still changes
    });
    expect(reasonOf(o)).toBe('NotFound');
    expect(JSON.stringify(o?.spec?.status)).toContain('disk image');
    expect(existsSync(join(t.root, vmdPool, name))).toBe(false);
  });

  it('deleteDiskImage is refused while a linked disk backs onto it, naming the disk', async () => {
    const o = await t.request('VirtualMachineDiskImage', image, 'deleteDiskImage', { sourcePool: imgPool });
    expect(reasonOf(o)).toBe('InUse');
    expect(JSON.stringify(o?.spec?.status)).toContain(linked);
    expect(existsSync(diskFile(imgPool, image))).toBe(true);
  });

  it('cloneDisk: a standalone full copy under the new name; the source is unchanged', async () => {
    await writePattern(diskFile(vmdPool, linked), C.pattern, C.offset, C.len);
    const o = await t.request('VirtualMachineDisk', linked, 'cloneDisk', {
      type: 'localfs',
      pool: vmdPool,
      newname: clone,
      format: 'qcow2',
    });
    expect(reasonOf(o)).toBe('Ready');
    expect(o?.spec?.status).toMatchObject({
      conditions: { state: { waiting: { message: expect.stringContaining(clone) } } },
    });
    const i = await info(diskFile(vmdPool, clone));
    expect(i['backing-filename']).toBeUndefined();
    expect(await badPatterns(diskFile(vmdPool, clone), [C, B])).toEqual([]);
    expect(volumeOf(o).current).toBe(diskFile(vmdPool, linked));
    expect(await badPatterns(diskFile(vmdPool, linked), [C, B])).toEqual([]);
    const taken = await t.request('VirtualMachineDisk', linked, 'cloneDisk', {
      type: 'localfs',
      pool: vmdPool,
      newvol: clone, // uni-virt's spelling of newname
      format: 'qcow2',
    });
    expect(reasonOf(taken)).toBe('AlreadyExists');
  });

  it('everything deletes through the API, the image last; no orphan file is left', async () => {
    // The clone has no object of its own yet: the client creates one to manage it.
    expect(
      await t.createWith('VirtualMachineDisk', clone, 'deleteDisk', { type: 'localfs', pool: vmdPool }),
    ).toBe(undefined);
    for (const d of [linked, full, src]) {
      expect(await t.request('VirtualMachineDisk', d, 'deleteDisk', { type: 'localfs', pool: vmdPool })).toBe(
        undefined,
      );
    }
    expect(
      await t.request('VirtualMachineDiskImage', image, 'deleteDiskImage', { sourcePool: imgPool }),
    ).toBe(undefined);
    for (const p of [vmdPool, imgPool]) {
      const entries = await tree(join(t.root, p));
      expect(leftovers(entries)).toEqual([]);
      expect(entries.filter((e) => !e.startsWith('.ks-') && e !== 'content')).toEqual([]);
    }
  });
});
