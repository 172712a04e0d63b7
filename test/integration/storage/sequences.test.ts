/**
 * Random sequences of operations against a model: fast-check draws sequences of write / snapshot /
 * revert / delete-snapshot / merge / clone (full, linked) / image (+ disk from it) / resize over a few disks; after every step
 * each disk's current contents, and at the end every snapshot's point in time, are read back with
 * qemu-io and compared with what the model says must be there.
 */
import { execa } from 'execa';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubestackError } from '../../../src/errors.js';
import { MiB, type Sandbox, sandbox, writePattern } from './helpers.js';

let sb: Sandbox;
const POOL = 'ksseq-pool';
const SLOTS = 6; // 64 KiB extents at 0, 1, …, 5 MiB

const IMGPOOL = 'ksseq-images';

beforeAll(async () => {
  sb = await sandbox();
  await sb.engine.createPool({ name: POOL, type: 'dir', path: sb.poolPath(POOL) });
  await sb.engine.createPool({ name: IMGPOOL, type: 'dir', path: sb.poolPath(IMGPOOL), content: 'vmdi' });
});
afterAll(async () => {
  await sb?.cleanup();
});

type Content = number[]; // pattern per slot, 0 = never written

interface ModelDisk {
  cur: Content;
  snaps: Map<string, Content>;
}

type Cmd =
  | { t: 'write'; d: number; slot: number; pattern: number }
  | { t: 'snap'; d: number }
  | { t: 'revert'; d: number; pick: number }
  | { t: 'delete'; d: number; pick: number }
  | { t: 'merge'; d: number; pick: number }
  | { t: 'clone'; d: number; linked: boolean }
  | { t: 'resize'; d: number }
  | { t: 'image'; d: number; full: boolean };

const cmd = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('write' as const),
      d: fc.nat(3),
      slot: fc.nat(SLOTS - 1),
      pattern: fc.integer({ min: 1, max: 255 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('snap' as const), d: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('revert' as const), d: fc.nat(3), pick: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('delete' as const), d: fc.nat(3), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('merge' as const), d: fc.nat(3), pick: fc.nat(20) }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('clone' as const), d: fc.nat(3), linked: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('resize' as const), d: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('image' as const), d: fc.nat(3), full: fc.boolean() }) },
);

async function mismatches(file: string, want: Content): Promise<string | undefined> {
  const args = ['-r', '-U', '-f', 'qcow2'];
  for (const [slot, p] of want.entries()) args.push('-c', `read -P ${p} ${slot * MiB} 65536`);
  const r = await execa('qemu-io', [...args, file], { reject: false });
  return r.exitCode === 0 && !r.stdout.includes('failed')
    ? undefined
    : `${file}: want ${JSON.stringify(want)}\n${r.stdout}`;
}

let run = 0;

async function runSequence(cmds: Cmd[]): Promise<void> {
  run++;
  const names: string[] = [];
  const images: string[] = [];
  const model = new Map<string, ModelDisk>();
  const first = `seq${run}-d0`;
  await sb.engine.createDisk({ pool: POOL, name: first, capacity: 16 * MiB });
  names.push(first);
  model.set(first, { cur: Array(SLOTS).fill(0), snaps: new Map() });
  let snapNo = 0;
  const disk = (d: number) => names[d % names.length] as string;
  const current = async (n: string) => (await sb.engine.diskInfo({ pool: POOL, name: n })).current;
  const snapshotsOf = async (n: string) =>
    (await sb.engine.listSnapshots({ pool: POOL, name: n })).map((s) => s.name);
  try {
    for (const c of cmds) {
      const n = disk(c.d);
      const m = model.get(n) as ModelDisk;
      const snaps = [...m.snaps.keys()].sort();
      const pick = 'pick' in c && snaps.length > 0 ? (snaps[c.pick % snaps.length] as string) : undefined;
      switch (c.t) {
        case 'write':
          await writePattern(await current(n), c.pattern, c.slot * MiB);
          m.cur[c.slot] = c.pattern;
          break;
        case 'snap': {
          const s = `snap${++snapNo}`;
          await sb.engine.createSnapshot({ pool: POOL, name: n, snapshot: s });
          m.snaps.set(s, [...m.cur]);
          break;
        }
        case 'revert': {
          if (!pick) break;
          const r = await sb.engine.revertSnapshot({ pool: POOL, name: n, snapshot: pick });
          m.cur = [...(m.snaps.get(pick) as Content)];
          m.snaps.set(r.name, [...m.cur]); // the revert overlay is listed too; its point is the same
          break;
        }
        case 'delete':
        case 'merge': {
          if (!pick) break;
          const before = await snapshotsOf(n);
          try {
            if (c.t === 'delete') await sb.engine.deleteSnapshot({ pool: POOL, name: n, snapshot: pick });
            else await sb.engine.mergeSnapshot({ pool: POOL, name: n, snapshot: pick });
          } catch (err) {
            // refusing is allowed (a branch shares the base; not on the current chain), losing data is not
            if (!(err instanceof KubestackError) || !['InUse', 'InvalidParameter'].includes(err.reason))
              throw err;
          }
          const after = new Set(await snapshotsOf(n));
          for (const s of before) if (!after.has(s)) m.snaps.delete(s);
          break;
        }
        case 'clone': {
          const nn = `seq${run}-d${names.length}`;
          const before = new Set(await snapshotsOf(n));
          await sb.engine.cloneDisk({ pool: POOL, name: n, newName: nn, mode: c.linked ? 'linked' : 'full' });
          for (const s of await snapshotsOf(n)) if (!before.has(s)) m.snaps.set(s, [...m.cur]); // the freeze overlay
          names.push(nn);
          model.set(nn, { cur: [...m.cur], snaps: new Map() });
          break;
        }
        case 'image': {
          // disk → flattened image → new disk from it (linked or full)
          const img = `seq${run}-i${images.length}`;
          const nn = `seq${run}-d${names.length}`;
          await sb.engine.createDiskImage({ pool: IMGPOOL, name: img, fromDisk: { pool: POOL, name: n } });
          images.push(img);
          await sb.engine.createDiskFromImage({
            pool: POOL,
            name: nn,
            image: { pool: IMGPOOL, name: img },
            full: c.full,
          });
          names.push(nn);
          model.set(nn, { cur: [...m.cur], snaps: new Map() });
          break;
        }
        case 'resize': {
          const size = (await sb.engine.diskInfo({ pool: POOL, name: n })).virtual_size;
          await sb.engine.resizeDisk({ pool: POOL, name: n, capacity: size + 4 * MiB });
          break;
        }
      }
      for (const dn of names) {
        const bad = await mismatches(await current(dn), (model.get(dn) as ModelDisk).cur);
        expect(bad, `after ${JSON.stringify(c)}`).toBeUndefined();
      }
    }
    // every snapshot's point in time
    for (const dn of names) {
      const list = await sb.engine.listSnapshots({ pool: POOL, name: dn });
      const md = model.get(dn) as ModelDisk;
      expect(list.map((s) => s.name).sort()).toEqual([...md.snaps.keys()].sort());
      for (const s of list) {
        const bad = await mismatches(s.full_backing_filename, md.snaps.get(s.name) as Content);
        expect(bad, `snapshot ${dn}@${s.name} (${JSON.stringify(cmds)})`).toBeUndefined();
      }
    }
  } finally {
    // delete clones first (linked clones back onto their sources)
    for (const dn of [...names].reverse()) await sb.engine.deleteDisk({ pool: POOL, name: dn });
    for (const img of images) await sb.engine.deleteDiskImage({ pool: IMGPOOL, name: img });
  }
}

const RUNS = Number(process.env.KS_SEQ_RUNS ?? 4);

describe('random operation sequences', () => {
  it('never lose data', { timeout: 30_000 + RUNS * 20_000 }, async () => {
    await fc.assert(fc.asyncProperty(fc.array(cmd, { minLength: 6, maxLength: 14 }), runSequence), {
      numRuns: RUNS,
      endOnFailure: true,
    });
  });
});
