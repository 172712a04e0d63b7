import { describe, expect, it } from 'vitest';
import { NamedLocks } from '../../../src/agent/locks.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('NamedLocks', () => {
  it('excludes holders of the same name and lets other names run', async () => {
    const locks = new NamedLocks();
    const order: string[] = [];
    const a = (async () => {
      const r = await locks.acquire(['disk:/a']);
      order.push('a+');
      await tick(30);
      order.push('a-');
      r();
    })();
    await tick(1);
    const b = (async () => {
      const r = await locks.acquire(['disk:/a', 'vm:x']);
      order.push('b+');
      r();
    })();
    const c = (async () => {
      const r = await locks.acquire(['disk:/c']);
      order.push('c+');
      r();
    })();
    await Promise.all([a, b, c]);
    expect(order.indexOf('c+')).toBeLessThan(order.indexOf('a-'));
    expect(order.indexOf('b+')).toBeGreaterThan(order.indexOf('a-'));
    expect(locks.held).toBe(0);
  });

  it('does not deadlock on overlapping sets asked in opposite orders', async () => {
    const locks = new NamedLocks();
    const run = async (names: string[]) => {
      const r = await locks.acquire(names);
      await tick(5);
      r();
    };
    await Promise.all([run(['x', 'y']), run(['y', 'x']), run(['x', 'y']), run(['y', 'x'])]);
    expect(locks.held).toBe(0);
  });
});
