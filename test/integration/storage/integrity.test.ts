/**
 * The data-integrity matrix: distinct byte patterns in each layer, sequences of snapshot / revert /
 * delete-a-middle-snapshot / merge / copy / clone (full, linked) / image / resize, and every pattern
 * that must survive read back with qemu-io on the real qemu-img.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  badPatterns,
  leftovers,
  MiB,
  type Pattern,
  type Sandbox,
  sandbox,
  tree,
  writePattern,
} from './helpers.js';

let sb: Sandbox;
const POOL = 'ksst-pool';
const IMGPOOL = 'ksst-images';

beforeAll(async () => {
  sb = await sandbox();
  await sb.engine.createPool({ name: POOL, type: 'dir', path: sb.poolPath(POOL), content: 'vmd' });
  await sb.engine.createPool({ name: IMGPOOL, type: 'dir', path: sb.poolPath(IMGPOOL), content: 'vmdi' });
});
afterAll(async () => {
  await sb?.cleanup();
});

const p = (pattern: number, offsetMiB: number): Pattern => ({ pattern, offset: offsetMiB * MiB });

async function current(disk: string): Promise<string> {
  return (await sb.engine.diskInfo({ pool: POOL, name: disk })).current;
}

async function expectIntact(file: string, patterns: Pattern[]): Promise<void> {
  expect(await badPatterns(file, patterns)).toEqual([]);
}

describe('external snapshot chains', () => {
  it('snapshot, revert, delete a middle snapshot, merge and copy keep every pattern', async () => {
    const d = 'chain-disk';
    await sb.engine.createDisk({ pool: POOL, name: d, capacity: 64 * MiB });
    await writePattern(await current(d), 0xa0, 0);
    // base: A0@0; s1 overlay: 11@1; s2 overlay: 12@2 (+ overwrites 0 with 0xb0); s3 overlay: 13@3
    await sb.engine.createSnapshot({ pool: POOL, name: d, snapshot: 'snap1' });
    await writePattern(await current(d), 0x11, 1 * MiB);
    await sb.engine.createSnapshot({ pool: POOL, name: d, snapshot: 'snap2' });
    await writePattern(await current(d), 0x12, 2 * MiB);
    await writePattern(await current(d), 0xb0, 0);
    await sb.engine.createSnapshot({ pool: POOL, name: d, snapshot: 'snap3' });
    await writePattern(await current(d), 0x13, 3 * MiB);
    const full = [p(0xb0, 0), p(0x11, 1), p(0x12, 2), p(0x13, 3)];
    await expectIntact(await current(d), full);
    expect((await sb.engine.listSnapshots({ pool: POOL, name: d })).map((s) => s.name)).toEqual([
      'snap1',
      'snap2',
      'snap3',
    ]);

    // Delete the middle snapshot: current keeps everything; snap3's point keeps snap2's data.
    await sb.engine.deleteSnapshot({ pool: POOL, name: d, snapshot: 'snap2' });
    await expectIntact(await current(d), full);
    const snaps = await sb.engine.listSnapshots({ pool: POOL, name: d });
    expect(snaps.map((s) => s.name)).toEqual(['snap1', 'snap3']);
    const snap3 = snaps.find((s) => s.name === 'snap3')!;
    await expectIntact(snap3.full_backing_filename, [p(0xb0, 0), p(0x11, 1), p(0x12, 2), p(0, 3)]);
    const snap1 = snaps.find((s) => s.name === 'snap1')!;
    await expectIntact(snap1.full_backing_filename, [p(0xa0, 0), p(0, 1), p(0, 2)]);

    // Revert to snap1: a new overlay on the base; the old branch (snap3 = old current) stays.
    const oldTop = await current(d);
    const r = await sb.engine.revertSnapshot({ pool: POOL, name: d, snapshot: 'snap1' });
    expect(await current(d)).toBe(r.file);
    await expectIntact(await current(d), [p(0xa0, 0), p(0, 1), p(0, 2), p(0, 3)]);
    await expectIntact(oldTop, full);
    await writePattern(await current(d), 0x21, 4 * MiB);

    // Revert to snap3 (on the other branch) brings its point back.
    await sb.engine.revertSnapshot({ pool: POOL, name: d, snapshot: 'snap3' });
    await expectIntact(await current(d), [p(0xb0, 0), p(0x11, 1), p(0x12, 2), p(0, 3), p(0, 4)]);

    // The base now backs two branches: deleting snap1 (which would merge into it) is refused.
    await expect(sb.engine.deleteSnapshot({ pool: POOL, name: d, snapshot: 'snap1' })).rejects.toMatchObject({
      reason: 'InUse',
    });

    // Copy snap3's point to a standalone disk.
    const copy = await sb.engine.copySnapshot({
      pool: POOL,
      name: d,
      snapshot: 'snap3',
      newName: 'chain-copy',
    });
    expect(copy.backing_filename).toBeUndefined();
    await expectIntact(copy.current, [p(0xb0, 0), p(0x11, 1), p(0x12, 2), p(0, 3)]);
    await sb.engine.deleteDisk({ pool: POOL, name: 'chain-copy' });
    await sb.engine.deleteDisk({ pool: POOL, name: d });
  });

  it('merges a chain of snapshots into one layer without losing data', async () => {
    const d = 'merge-disk';
    await sb.engine.createDisk({ pool: POOL, name: d, capacity: 64 * MiB });
    const pats: Pattern[] = [];
    for (let i = 0; i < 4; i++) {
      await writePattern(await current(d), 0x30 + i, i * MiB);
      pats.push(p(0x30 + i, i));
      await sb.engine.createSnapshot({ pool: POOL, name: d, snapshot: `msnap${i}` });
    }
    await writePattern(await current(d), 0x3f, 5 * MiB);
    pats.push(p(0x3f, 5));
    await sb.engine.mergeSnapshot({ pool: POOL, name: d, snapshot: 'msnap1' });
    expect((await sb.engine.listSnapshots({ pool: POOL, name: d })).map((s) => s.name)).toEqual(['msnap0']);
    await expectIntact(await current(d), pats);
    const files = await tree(join(sb.poolPath(POOL), d));
    expect(files).toEqual(['config.json', d, 'snapshots', 'snapshots/msnap0']);
    await sb.engine.deleteDisk({ pool: POOL, name: d });
  });

  it('deleting the current snapshot folds it into its base and moves current', async () => {
    const d = 'curdel-disk';
    await sb.engine.createDisk({ pool: POOL, name: d, capacity: 64 * MiB });
    await writePattern(await current(d), 0x41, 0);
    await sb.engine.createSnapshot({ pool: POOL, name: d, snapshot: 'only' });
    await writePattern(await current(d), 0x42, MiB);
    await sb.engine.deleteSnapshot({ pool: POOL, name: d, snapshot: 'only' });
    const cfg = JSON.parse(await readFile(join(sb.poolPath(POOL), d, 'config.json'), 'utf8'));
    expect(cfg.current).toBe(join(sb.poolPath(POOL), d, d));
    await expectIntact(cfg.current, [p(0x41, 0), p(0x42, 1)]);
    await sb.engine.deleteDisk({ pool: POOL, name: d });
  });
});

describe('clones, images, resize', () => {
  it('full and linked clones keep the source chain data; the source stays writable and separate', async () => {
    const d = 'clone-src';
    await sb.engine.createDisk({ pool: POOL, name: d, capacity: 64 * MiB });
    await writePattern(await current(d), 0x51, 0);
    await sb.engine.createSnapshot({ pool: POOL, name: d, snapshot: 'csnap' });
    await writePattern(await current(d), 0x52, MiB);
    const want = [p(0x51, 0), p(0x52, 1)];

    const full = await sb.engine.cloneDisk({ pool: POOL, name: d, newName: 'clone-full', mode: 'full' });
    expect(full.backing_filename).toBeUndefined();
    expect(full.actual_size).toBeLessThan(4 * MiB); // sparse: 2 × 64 KiB of data in a 64 MiB disk
    await expectIntact(full.current, want);

    const linked = await sb.engine.cloneDisk({
      pool: POOL,
      name: d,
      newName: 'clone-linked',
      mode: 'linked',
    });
    expect(linked.full_backing_filename).toBeDefined();
    await expectIntact(linked.current, want);

    // Writes to the source after cloning are seen by neither clone, and vice versa.
    await writePattern(await current(d), 0x53, 2 * MiB);
    await writePattern(linked.current, 0x54, 3 * MiB);
    await expectIntact(full.current, [...want, p(0, 2), p(0, 3)]);
    await expectIntact(linked.current, [...want, p(0, 2), p(0x54, 3)]);
    await expectIntact(await current(d), [...want, p(0x53, 2), p(0, 3)]);

    // The source's frozen file backs the linked clone: the source cannot be deleted first.
    await expect(sb.engine.deleteDisk({ pool: POOL, name: d })).rejects.toMatchObject({ reason: 'InUse' });
    await sb.engine.deleteDisk({ pool: POOL, name: 'clone-linked' });
    await sb.engine.deleteDisk({ pool: POOL, name: d });
    await sb.engine.deleteDisk({ pool: POOL, name: 'clone-full' });
  });

  it('disk images are flattened templates; disks from them linked or full; images in use cannot go', async () => {
    const d = 'img-src';
    await sb.engine.createDisk({ pool: POOL, name: d, capacity: 64 * MiB });
    await writePattern(await current(d), 0x61, 0);
    await sb.engine.createSnapshot({ pool: POOL, name: d, snapshot: 'isnap' });
    await writePattern(await current(d), 0x62, MiB);
    const img = await sb.engine.createDiskImage({
      pool: IMGPOOL,
      name: 'tmpl-one',
      fromDisk: { pool: POOL, name: d },
    });
    expect(img.backing_filename).toBeUndefined();
    await expectIntact(img.current, [p(0x61, 0), p(0x62, 1)]);

    const linked = await sb.engine.createDiskFromImage({
      pool: POOL,
      name: 'from-img-linked',
      image: { pool: IMGPOOL, name: 'tmpl-one' },
    });
    expect(linked.full_backing_filename).toBe(img.current);
    const full = await sb.engine.createDiskFromImage({
      pool: POOL,
      name: 'from-img-full',
      imagePath: img.current,
      full: true,
    });
    expect(full.backing_filename).toBeUndefined();
    for (const f of [linked.current, full.current]) await expectIntact(f, [p(0x61, 0), p(0x62, 1)]);
    await writePattern(linked.current, 0x63, 2 * MiB);
    await expectIntact(img.current, [p(0, 2)]);

    await expect(sb.engine.deleteDiskImage({ pool: IMGPOOL, name: 'tmpl-one' })).rejects.toMatchObject({
      reason: 'InUse',
    });
    await sb.engine.deleteDisk({ pool: POOL, name: 'from-img-linked' });
    await sb.engine.deleteDiskImage({ pool: IMGPOOL, name: 'tmpl-one' });
    for (const n of ['from-img-full', d]) await sb.engine.deleteDisk({ pool: POOL, name: n });
  });

  it('resize grows the top, refuses to shrink unless asked, and keeps data', async () => {
    const d = 'resize-disk';
    await sb.engine.createDisk({ pool: POOL, name: d, capacity: '64M' });
    await writePattern(await current(d), 0x71, 0);
    await sb.engine.createSnapshot({ pool: POOL, name: d, snapshot: 'rsnap' });
    const grown = await sb.engine.resizeDisk({ pool: POOL, name: d, capacity: 128 * MiB });
    expect(grown.virtual_size).toBe(128 * MiB);
    await writePattern(await current(d), 0x72, 100 * MiB);
    await expectIntact(await current(d), [p(0x71, 0), p(0x72, 100)]);
    await expect(sb.engine.resizeDisk({ pool: POOL, name: d, capacity: 96 * MiB })).rejects.toMatchObject({
      reason: 'InvalidParameter',
    });
    expect((await sb.engine.diskInfo({ pool: POOL, name: d })).virtual_size).toBe(128 * MiB);
    const shrunk = await sb.engine.resizeDisk({ pool: POOL, name: d, capacity: 96 * MiB, shrink: true });
    expect(shrunk.virtual_size).toBe(96 * MiB);
    await expectIntact(await current(d), [p(0x71, 0)]);
    await sb.engine.deleteDisk({ pool: POOL, name: d });
  });

  it('internal snapshots: create, revert, delete', async () => {
    const d = 'internal-disk';
    await sb.engine.createDisk({ pool: POOL, name: d, capacity: 64 * MiB });
    await writePattern(await current(d), 0x81, 0);
    await sb.engine.createInternalSnapshot({ pool: POOL, name: d, snapshot: 'isn1' });
    await writePattern(await current(d), 0x82, 0);
    await expect(
      sb.engine.createInternalSnapshot({ pool: POOL, name: d, snapshot: 'isn1' }),
    ).rejects.toMatchObject({
      reason: 'AlreadyExists',
    });
    await sb.engine.revertInternalSnapshot({ pool: POOL, name: d, snapshot: 'isn1' });
    await expectIntact(await current(d), [p(0x81, 0)]);
    expect((await sb.engine.listInternalSnapshots({ pool: POOL, name: d })).map((s) => s.name)).toEqual([
      'isn1',
    ]);
    await sb.engine.deleteInternalSnapshot({ pool: POOL, name: d, snapshot: 'isn1' });
    expect(await sb.engine.listInternalSnapshots({ pool: POOL, name: d })).toEqual([]);
    await sb.engine.deleteDisk({ pool: POOL, name: d });
  });

  it('VM images hold flattened copies and the domain definition; cloud-init seeds are NoCloud ISOs', async () => {
    const d = 'vmimg-boot';
    await sb.engine.createDisk({ pool: POOL, name: d, capacity: 64 * MiB });
    await writePattern(await current(d), 0x91, 0);
    await sb.engine.createSnapshot({ pool: POOL, name: d, snapshot: 'vsnap' });
    await writePattern(await current(d), 0x92, MiB);
    const cur = await current(d);
    const xml = `<domain type='kvm'><name>x</name><devices><disk type='file'><source file='${cur}'/></disk></devices></domain>`;
    const vmi = await sb.engine.createVMImage({
      pool: IMGPOOL,
      name: 'vmimg-one',
      domainXml: xml,
      disks: [cur],
    });
    await expectIntact(vmi.disks[0]!.file, [p(0x91, 0), p(0x92, 1)]);
    const savedXml = await readFile(vmi.xml, 'utf8');
    expect(savedXml).toContain(vmi.disks[0]!.file);
    expect(savedXml).not.toContain(cur);
    await sb.engine.deleteVMImage({ pool: IMGPOOL, name: 'vmimg-one' });

    const seed = await sb.engine.createCloudInitImage({
      pool: POOL,
      name: 'seed-disk',
      userData: '#cloud-config\npassword: x\n',
    });
    expect(seed.format).toBe('raw');
    const iso = await readFile(seed.current);
    expect(iso.subarray(32768 + 40, 32768 + 46).toString()).toBe('cidata'); // ISO9660 volume id
    expect(iso.includes(Buffer.from('#cloud-config'))).toBe(true);
    // an ISO kept as an ISO image: <pool>/<name>/<name>.iso, same bytes
    const isoImg = await sb.engine.createDiskImage({
      pool: IMGPOOL,
      name: 'iso-image',
      sourcePath: seed.current,
      imageType: 'iso',
    });
    expect(isoImg.current).toBe(join(sb.poolPath(IMGPOOL), 'iso-image', 'iso-image.iso'));
    expect((await readFile(isoImg.current)).equals(iso)).toBe(true);
    await sb.engine.deleteDiskImage({ pool: IMGPOOL, name: 'iso-image' });
    await sb.engine.deleteCloudInitImage({ pool: POOL, name: 'seed-disk' });
    await sb.engine.deleteDisk({ pool: POOL, name: d });
  });

  it('leaves no bookkeeping behind', async () => {
    expect(leftovers(await tree(sb.poolPath(POOL)))).toEqual([]);
    expect(leftovers(await tree(sb.poolPath(IMGPOOL)))).toEqual([]);
  });
});
