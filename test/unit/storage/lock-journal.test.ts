import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atomicWriteJson, exists } from '../../../src/storage/fsutil.js';
import { recoverStorageJournal, runJournalled, writeJournal } from '../../../src/storage/journal.js';
import { clearStaleLocks, withLocks } from '../../../src/storage/lock.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ks-unit-storage-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function procStart(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] as string;
}

describe('locks', () => {
  it('serialises holders inside one process', async () => {
    const lock = join(dir, 'l1.lock');
    const order: string[] = [];
    const a = withLocks([lock], async () => {
      order.push('a-in');
      await new Promise((r) => setTimeout(r, 30));
      order.push('a-out');
    });
    const b = withLocks([lock], async () => {
      order.push('b-in');
    });
    await Promise.all([a, b]);
    expect(order).toEqual(['a-in', 'a-out', 'b-in']);
    expect(await exists(lock)).toBe(false);
  });

  it('breaks the lock of a process that died', async () => {
    const dead = await execa('sh', ['-c', 'echo $$']);
    const lock = join(dir, 'l2.lock');
    await writeFile(lock, `${dead.stdout.trim()} 12345`);
    expect(await withLocks([lock], async () => 'got', 2000)).toBe('got');
  });

  it('treats a reused pid (other start time) as dead', async () => {
    const lock = join(dir, 'l3.lock');
    await writeFile(lock, '1 999999999');
    expect(await withLocks([lock], async () => 'got', 2000)).toBe('got');
  });

  it('never breaks a lock taken on another host (shared pools)', async () => {
    const lock = join(dir, 'l5.lock');
    await writeFile(lock, '999999 1 some-other-host');
    await expect(withLocks([lock], async () => 'got', 200)).rejects.toMatchObject({ reason: 'Timeout' });
    expect(await clearStaleLocks(dir)).toBe(0);
    await rm(lock);
  });

  it('waits for a live holder in another process and times out', async () => {
    const lock = join(dir, 'l4.lock');
    await writeFile(lock, `1 ${await procStart(1)}`); // pid 1 lives as long as the machine
    await expect(withLocks([lock], async () => 'got', 200)).rejects.toMatchObject({ reason: 'Timeout' });
    expect(await clearStaleLocks(dir)).toBe(0);
    await rm(lock);
  });
});

describe('journal', () => {
  it('rolls back the prepare steps when one fails and leaves no journal', async () => {
    const pool = join(dir, 'pool-a');
    const made = join(pool, 'made');
    await expect(
      runJournalled(
        {
          op: 't',
          subject: 's',
          poolPath: pool,
          rollback: [{ kind: 'remove', path: made }],
          prepare: async () => {
            await writeFile(made, 'x');
            throw new Error('boom');
          },
          forward: [],
        },
        'j1',
      ),
    ).rejects.toThrow('boom');
    expect(await exists(made)).toBe(false);
    expect(await readdir(join(pool, '.ks-journal'))).toEqual([]);
  });

  it('recovery undoes phase prepare and finishes phase commit', async () => {
    const pool = join(dir, 'pool-b');
    const tmp = join(pool, 'tmp1');
    const final = join(pool, 'final');
    await writeJournal(pool, {
      id: 'a',
      op: 'x',
      subject: 's',
      phase: 'prepare',
      rollback: [{ kind: 'remove', path: tmp }],
      forward: [{ kind: 'rename', from: tmp, to: final }],
      startedAt: '',
    });
    await writeFile(tmp, 'half');
    const cfg = join(pool, 'cfg.json');
    await atomicWriteJson(cfg, { v: 1 });
    await writeFile(join(pool, 'tmp2'), 'done');
    await writeJournal(pool, {
      id: 'b',
      op: 'y',
      subject: 's',
      phase: 'commit',
      rollback: [],
      forward: [
        { kind: 'rename', from: join(pool, 'tmp2'), to: join(pool, 'final2') },
        { kind: 'writeJson', path: cfg, value: { v: 2 } },
      ],
      startedAt: '',
    });
    const r = await recoverStorageJournal(pool);
    expect(r.map((x) => x.outcome)).toEqual(['rolledBack', 'rolledForward']);
    expect(await exists(tmp)).toBe(false);
    expect(await exists(final)).toBe(false);
    expect(await readFile(join(pool, 'final2'), 'utf8')).toBe('done');
    expect(JSON.parse(await readFile(cfg, 'utf8'))).toEqual({ v: 2 });
    // running it again is harmless
    expect(await recoverStorageJournal(pool)).toEqual([]);
  });

  it("leaves another host's operation alone", async () => {
    const pool = join(dir, 'pool-c');
    const tmp = join(pool, 'theirs');
    await writeJournal(pool, {
      id: 'f',
      op: 'x',
      subject: 's',
      phase: 'prepare',
      host: 'some-other-host',
      rollback: [{ kind: 'remove', path: tmp }],
      forward: [],
      startedAt: '',
    });
    await writeFile(tmp, 'in flight');
    const r = await recoverStorageJournal(pool);
    expect(r.map((x) => x.outcome)).toEqual(['skipped']);
    expect(await exists(tmp)).toBe(true);
  });
});
