/**
 * Crash recovery: every multi-step operation is run in a child process that SIGKILLs itself at
 * step 1, 2, 3, … (test hook KUBESTACK_STORAGE_KILL_AT) until it runs to the end. After each kill the
 * journal is recovered, and we check: the patterns that must survive are intact, no orphan files,
 * config.json names an existing, readable top — the operation either happened or did not.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exists } from '../../../src/storage/fsutil.js';
import { recoverStorageJournal } from '../../../src/storage/index.js';
import { check } from '../../../src/storage/qemu-img.js';
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
let child: string;

beforeAll(async () => {
  sb = await sandbox();
  // One self-contained bundle of the child: starting it costs ~0.3 s instead of ~1.6 s through tsx.
  child = join(sb.root, 'crash-child.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'crash-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: child,
    logLevel: 'error',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
});
afterAll(async () => {
  await sb?.cleanup();
});

const p = (pattern: number, offsetMiB: number): Pattern => ({ pattern, offset: offsetMiB * MiB });

/** Runs `method(params)` in a child killed at step `n` of `op`; true when it ran to the end. */
async function runChild(op: string, n: number, method: string, params: unknown): Promise<boolean> {
  const r = await execa(
    process.execPath,
    [child, JSON.stringify({ stateDir: join(sb.root, 'state'), method, params })],
    { reject: false, env: { KUBESTACK_STORAGE_KILL_AT: `${op}:${n}` } },
  );
  if (r.signal === 'SIGKILL') return false;
  if (r.exitCode !== 0 || !r.stdout.includes('done')) throw new Error(`child failed: ${r.stderr}`);
  return true;
}

async function config(
  pool: string,
  disk: string,
): Promise<{ current: string; name: string; dir: string } | undefined> {
  const f = join(sb.poolPath(pool), disk, 'config.json');
  if (!(await exists(f))) return undefined;
  return JSON.parse(await readFile(f, 'utf8'));
}

/** config.json consistent: names itself, its current file exists and its chain is readable. */
async function expectConsistent(pool: string, disk: string): Promise<string> {
  const c = await config(pool, disk);
  expect(c, `${disk} config.json`).toBeDefined();
  expect(c!.name).toBe(disk);
  expect(c!.dir).toBe(join(sb.poolPath(pool), disk));
  expect(await exists(c!.current)).toBe(true);
  const r = await execa('qemu-img', ['info', '-U', '--backing-chain', '--output=json', c!.current]);
  expect(JSON.parse(r.stdout).length).toBeGreaterThan(0);
  const chk = await check(c!.current, 'qcow2');
  expect(chk.corruptions + chk.checkErrors).toBe(0);
  return c!.current;
}

async function recoverAndCheckClean(POOL: string, IMGPOOL: string): Promise<void> {
  for (const pool of [POOL, IMGPOOL]) {
    const results = await recoverStorageJournal(sb.poolPath(pool));
    expect(results.filter((r) => r.outcome === 'failed')).toEqual([]);
    expect(leftovers(await tree(sb.poolPath(pool)))).toEqual([]);
  }
}

interface Scenario {
  op: string;
  method: string;
  /** Builds the starting state for run `i`; returns the params and a checker run after recovery. */
  setup: (at: {
    i: number;
    POOL: string;
    IMGPOOL: string;
  }) => Promise<{ params: unknown; check: () => Promise<void>; cleanup: string[] }>;
}

async function chainDisk(POOL: string, name: string, snaps: number): Promise<Pattern[]> {
  await sb.engine.createDisk({ pool: POOL, name, capacity: 64 * MiB });
  const pats: Pattern[] = [];
  for (let s = 0; s <= snaps; s++) {
    const cur = (await sb.engine.diskInfo({ pool: POOL, name })).current;
    await writePattern(cur, 0x10 + s, s * MiB);
    pats.push(p(0x10 + s, s));
    if (s < snaps) await sb.engine.createSnapshot({ pool: POOL, name, snapshot: `snap${s + 1}` });
  }
  return pats;
}

const scenarios: Scenario[] = [
  {
    op: 'createDisk',
    method: 'createDisk',
    setup: async ({ i, POOL }) => {
      const name = `cd-disk${i}`;
      return {
        params: { pool: POOL, name, capacity: 64 * MiB },
        cleanup: [name],
        check: async () => {
          if (await exists(join(sb.poolPath(POOL), name))) await expectConsistent(POOL, name);
        },
      };
    },
  },
  {
    op: 'createSnapshot',
    method: 'createSnapshot',
    setup: async ({ i, POOL }) => {
      const name = `cs-disk${i}`;
      const pats = await chainDisk(POOL, name, 1);
      return {
        params: { pool: POOL, name, snapshot: 'snap-new' },
        cleanup: [name],
        check: async () => {
          const cur = await expectConsistent(POOL, name);
          expect(await badPatterns(cur, pats)).toEqual([]);
          const made = await exists(join(sb.poolPath(POOL), name, 'snapshots', 'snap-new'));
          expect(cur.endsWith('/snap-new')).toBe(made);
        },
      };
    },
  },
  {
    op: 'revertSnapshot',
    method: 'revertSnapshot',
    setup: async ({ i, POOL }) => {
      const name = `rv-disk${i}`;
      const pats = await chainDisk(POOL, name, 2);
      const before = (await sb.engine.diskInfo({ pool: POOL, name })).current;
      return {
        params: { pool: POOL, name, snapshot: 'snap1' },
        cleanup: [name],
        check: async () => {
          const cur = await expectConsistent(POOL, name);
          const snapFiles = (await tree(join(sb.poolPath(POOL), name, 'snapshots'))).length;
          if (cur === before) {
            expect(snapFiles).toBe(2); // rolled back: no orphan overlay
            expect(await badPatterns(cur, pats)).toEqual([]);
          } else {
            expect(snapFiles).toBe(3);
            expect(await badPatterns(cur, [p(0x10, 0), p(0, 1), p(0, 2)])).toEqual([]);
            expect(await badPatterns(before, pats)).toEqual([]); // the old branch is intact
          }
        },
      };
    },
  },
  {
    op: 'deleteSnapshot',
    method: 'deleteSnapshot',
    setup: async ({ i, POOL }) => {
      const name = `ds-disk${i}`;
      const pats = await chainDisk(POOL, name, 3);
      return {
        params: { pool: POOL, name, snapshot: 'snap2' },
        cleanup: [name],
        check: async () => {
          const cur = await expectConsistent(POOL, name);
          expect(await badPatterns(cur, pats)).toEqual([]);
          const snaps = await sb.engine.listSnapshots({ pool: POOL, name });
          const s3 = snaps.find((s) => s.name === 'snap3')!;
          // snap3's point in time (what was there when it was taken) is unchanged
          expect(
            await badPatterns(s3.full_backing_filename, [p(0x10, 0), p(0x11, 1), p(0x12, 2), p(0, 3)]),
          ).toEqual([]);
          const s1 = snaps.find((s) => s.name === 'snap1')!;
          expect(await badPatterns(s1.full_backing_filename, [p(0x10, 0), p(0, 1)])).toEqual([]);
        },
      };
    },
  },
  {
    op: 'deleteSnapshot',
    method: 'deleteSnapshot',
    setup: async ({ i, POOL }) => {
      const name = `dc-disk${i}`;
      const pats = await chainDisk(POOL, name, 2);
      return {
        params: { pool: POOL, name, snapshot: 'snap2' }, // the current top
        cleanup: [name],
        check: async () => {
          const cur = await expectConsistent(POOL, name);
          expect(await badPatterns(cur, pats)).toEqual([]);
        },
      };
    },
  },
  ...(['full', 'linked'] as const).map(
    (mode): Scenario => ({
      op: 'cloneDisk',
      method: 'cloneDisk',
      setup: async ({ i, POOL }) => {
        const name = `cl${mode[0]}-src${i}`;
        const clone = `cl${mode[0]}-dst${i}`;
        const pats = await chainDisk(POOL, name, 1);
        return {
          params: { pool: POOL, name, newName: clone, mode },
          cleanup: [clone, name],
          check: async () => {
            const cur = await expectConsistent(POOL, name);
            expect(await badPatterns(cur, pats)).toEqual([]);
            if (await exists(join(sb.poolPath(POOL), clone))) {
              const cc = await expectConsistent(POOL, clone);
              expect(await badPatterns(cc, pats)).toEqual([]);
              if (mode === 'linked') {
                // the clone's backing file must be frozen: the source moved to a new top
                const backing = (await sb.engine.diskInfo({ pool: POOL, name: clone })).full_backing_filename;
                expect(backing).not.toBe(cur);
              }
            }
          },
        };
      },
    }),
  ),
  {
    op: 'deleteDisk',
    method: 'deleteDisk',
    setup: async ({ i, POOL }) => {
      const name = `dd-disk${i}`;
      const pats = await chainDisk(POOL, name, 1);
      return {
        params: { pool: POOL, name },
        cleanup: [name],
        check: async () => {
          if (await exists(join(sb.poolPath(POOL), name))) {
            const cur = await expectConsistent(POOL, name);
            expect(await badPatterns(cur, pats)).toEqual([]);
          }
        },
      };
    },
  },
  {
    op: 'createDiskImage',
    method: 'createDiskImage',
    setup: async ({ i, POOL, IMGPOOL }) => {
      const name = `ci-src${i}`;
      const img = `ci-img${i}`;
      const pats = await chainDisk(POOL, name, 1);
      return {
        params: { pool: IMGPOOL, name: img, fromDisk: { pool: POOL, name } },
        cleanup: [name, `${IMGPOOL}:${img}`],
        check: async () => {
          if (await exists(join(sb.poolPath(IMGPOOL), img))) {
            const cur = await expectConsistent(IMGPOOL, img);
            expect(await badPatterns(cur, pats)).toEqual([]);
          }
        },
      };
    },
  },
  {
    op: 'createDiskFromImage',
    method: 'createDiskFromImage',
    setup: async ({ i, POOL, IMGPOOL }) => {
      const src = `fi-src${i}`;
      const img = `fi-img${i}`;
      const name = `fi-disk${i}`;
      const pats = await chainDisk(POOL, src, 1);
      await sb.engine.createDiskImage({ pool: IMGPOOL, name: img, fromDisk: { pool: POOL, name: src } });
      return {
        params: { pool: POOL, name, image: { pool: IMGPOOL, name: img } },
        cleanup: [name, src, `${IMGPOOL}:${img}`],
        check: async () => {
          if (await exists(join(sb.poolPath(POOL), name))) {
            const cur = await expectConsistent(POOL, name);
            expect(await badPatterns(cur, pats)).toEqual([]);
          }
        },
      };
    },
  },
];

// Each scenario has its own pools, so the scenarios run side by side: recovery of one pool never
// meets an operation running in it.
describe.concurrent('crash at every step, then recovery', () => {
  for (const [k, sc] of scenarios.entries()) {
    it(`${sc.op} #${k}`, async () => {
      const POOL = `kscr${k}-pool`;
      const IMGPOOL = `kscr${k}-images`;
      await sb.engine.createPool({ name: POOL, type: 'dir', path: sb.poolPath(POOL) });
      await sb.engine.createPool({ name: IMGPOOL, type: 'dir', path: sb.poolPath(IMGPOOL), content: 'vmdi' });
      let finished = false;
      let kills = 0;
      for (let n = 1; !finished && n < 30; n++) {
        const { params, check, cleanup } = await sc.setup({ i: n, POOL, IMGPOOL });
        finished = await runChild(sc.op, n, sc.method, params);
        if (!finished) kills++;
        await recoverAndCheckClean(POOL, IMGPOOL);
        await check();
        for (const c of cleanup) {
          const [pool, name] = c.includes(':') ? (c.split(':') as [string, string]) : [POOL, c];
          if (await exists(join(sb.poolPath(pool), name))) await sb.engine.deleteDisk({ pool, name });
        }
      }
      expect(finished).toBe(true);
      expect(kills).toBeGreaterThanOrEqual(2);
    });
  }
});

describe('two processes on one disk', () => {
  it('the per-disk lock serialises them: both snapshots land on one linear chain', async () => {
    const POOL = 'kscr-twoproc';
    await sb.engine.createPool({ name: POOL, type: 'dir', path: sb.poolPath(POOL) });
    const pats = await chainDisk(POOL, 'twoproc-disk', 0);
    const run = (snapshot: string) =>
      execa(process.execPath, [
        child,
        JSON.stringify({
          stateDir: join(sb.root, 'state'),
          method: 'createSnapshot',
          params: { pool: POOL, name: 'twoproc-disk', snapshot },
        }),
      ]);
    const [a, b] = await Promise.all([run('par-one'), run('par-two')]);
    expect([a.stdout, b.stdout]).toEqual(['done', 'done']);
    const snaps = await sb.engine.listSnapshots({ pool: POOL, name: 'twoproc-disk' });
    expect(snaps.map((s) => s.name)).toEqual(['par-one', 'par-two']);
    const top = snaps.find((s) => s.current)!;
    const other = snaps.find((s) => !s.current)!;
    expect(top.full_backing_filename).toBe(other.file); // not two overlays on the same base
    const cur = await expectConsistent(POOL, 'twoproc-disk');
    expect(cur).toBe(top.file);
    expect(await badPatterns(cur, pats)).toEqual([]);
    await sb.engine.deleteDisk({ pool: POOL, name: 'twoproc-disk' });
  });
});
