import { describe, expect, it } from 'vitest';
import { Limiter } from '../../../src/libvirt/limiter.js';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('Limiter', () => {
  it('runs at most max at once, the rest in FIFO order, and frees a slot on failure too', async () => {
    const l = new Limiter(2);
    const started: number[] = [];
    const gates = [0, 1, 2, 3].map(() => deferred());
    const runs = gates.map((g, i) =>
      l.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(l.queued).toBe(2);
    gates[1]?.reject(new Error('boom'));
    await expect(runs[1]).rejects.toThrow('boom');
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve();
    gates[2]?.resolve();
    gates[3]?.resolve();
    expect(await Promise.all([runs[0], runs[2], runs[3]])).toEqual([0, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('does not cap with max 0', async () => {
    const l = new Limiter(0);
    let n = 0;
    const gate = deferred();
    const runs = Array.from({ length: 10 }, () =>
      l.run(async () => {
        n++;
        await gate.promise;
      }),
    );
    await Promise.resolve();
    expect(n).toBe(10);
    gate.resolve();
    await Promise.all(runs);
  });
});
