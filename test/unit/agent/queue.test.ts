import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../../src/agent/queue.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('WorkQueue', () => {
  it('de-duplicates a key that is already waiting', async () => {
    const seen: string[] = [];
    const q = new WorkQueue({ concurrency: 1, process: async (k) => void seen.push(k) });
    q.add('a');
    q.add('b');
    q.add('b');
    q.add('b');
    await q.idle();
    expect(seen).toEqual(['a', 'b']);
  });

  it('is serial per key: a key added while running runs again afterwards, never concurrently', async () => {
    let running = 0;
    let max = 0;
    let count = 0;
    const q = new WorkQueue({
      concurrency: 4,
      process: async () => {
        running++;
        max = Math.max(max, running);
        count++;
        await tick(20);
        running--;
        return undefined;
      },
    });
    q.add('k');
    await tick(5);
    q.add('k');
    q.add('k');
    await q.idle();
    expect(max).toBe(1);
    expect(count).toBe(2);
  });

  it('bounds global concurrency and has no head-of-line blocking', async () => {
    let running = 0;
    let max = 0;
    const done: string[] = [];
    const q = new WorkQueue({
      concurrency: 3,
      process: async (k) => {
        running++;
        max = Math.max(max, running);
        await tick(k === 'slow' ? 200 : 10);
        running--;
        done.push(k);
        return undefined;
      },
    });
    q.add('slow');
    for (let i = 0; i < 10; i++) q.add(`fast${i}`);
    await tick(150);
    // all fast keys finished while the slow one still runs
    expect(done.filter((d) => d.startsWith('fast'))).toHaveLength(10);
    expect(done).not.toContain('slow');
    await q.idle();
    expect(max).toBe(3);
  });

  it('retries with per-key exponential backoff and resets with forget', async () => {
    const times: number[] = [];
    let n = 0;
    const q = new WorkQueue({
      concurrency: 1,
      backoffBaseMs: 20,
      process: async (k) => {
        times.push(performance.now());
        n++;
        if (n < 4) return { retry: true };
        q.forget(k);
        return undefined;
      },
    });
    q.add('x');
    await q.idle();
    expect(n).toBe(4);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[1]).toBeGreaterThanOrEqual(38);
    expect(gaps[2]).toBeGreaterThanOrEqual(78);
    expect(q.retries('x')).toBe(0);
  });

  it('treats a thrown error as retriable', async () => {
    let n = 0;
    const errors: unknown[] = [];
    const q = new WorkQueue({
      concurrency: 1,
      backoffBaseMs: 1,
      onError: (_k, e) => errors.push(e),
      process: async () => {
        if (++n === 1) throw new Error('boom');
        return undefined;
      },
    });
    q.add('x');
    await q.idle();
    expect(n).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('requeues after a delay and stops on shutdown', async () => {
    let n = 0;
    const q = new WorkQueue({
      concurrency: 1,
      process: async () => (++n < 3 ? { requeueAfterMs: 5 } : undefined),
    });
    q.add('x');
    await q.idle();
    expect(n).toBe(3);
    q.addAfter('x', 10_000);
    await q.shutdown();
    q.add('y');
    expect(q.depth).toBe(0);
  });
});
