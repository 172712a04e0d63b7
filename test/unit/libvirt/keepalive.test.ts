import { describe, expect, it } from 'vitest';
import {
  Keepalive,
  type KeepaliveClock,
  KeepaliveProcedure,
  keepaliveReply,
} from '../../../src/libvirt/keepalive.js';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  let fn: (() => void) | undefined;
  let every = 0;
  let next = 0;
  const clock: KeepaliveClock = {
    now: () => now,
    setInterval: (f, ms) => {
      fn = f;
      every = ms;
      next = now + ms;
      return 1;
    },
    clearInterval: () => {
      fn = undefined;
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    while (fn && next <= end) {
      now = next;
      next += every;
      fn();
    }
    now = end;
  };
  return {
    clock,
    advance,
    setNow: (t: number) => (now = t),
    get now() {
      return now;
    },
  };
}

describe('keepalive', () => {
  it('answers PING with PONG and nothing else', () => {
    expect(keepaliveReply(KeepaliveProcedure.PING)).toBe(KeepaliveProcedure.PONG);
    expect(keepaliveReply(KeepaliveProcedure.PONG)).toBeUndefined();
  });

  it('stays quiet while traffic flows, pings after a silent interval', () => {
    const m = manualClock();
    let last = 0;
    let pings = 0;
    const k = new Keepalive({
      intervalMs: 5000,
      count: 5,
      clock: m.clock,
      lastReceiveAt: () => last,
      sendPing: () => pings++,
      onDead: () => {
        throw new Error('not dead');
      },
    });
    k.start();
    for (let i = 0; i < 10; i++) {
      m.advance(4000);
      last = m.now; // traffic
    }
    expect(pings).toBe(0);
    m.advance(5000);
    expect(pings).toBe(1);
    last = m.now; // the PONG
    m.advance(4999);
    expect(pings).toBe(1);
    k.stop();
  });

  it('declares the peer dead after count silent intervals, once', () => {
    const m = manualClock();
    let pings = 0;
    const dead: number[] = [];
    const k = new Keepalive({
      intervalMs: 1000,
      count: 3,
      clock: m.clock,
      lastReceiveAt: () => 0,
      sendPing: () => pings++,
      onDead: (silent) => dead.push(silent),
    });
    k.start();
    m.advance(10_000);
    expect(pings).toBe(2);
    expect(dead).toEqual([3000]);
  });

  it('does nothing with interval 0', () => {
    const m = manualClock();
    const k = new Keepalive({
      intervalMs: 0,
      count: 3,
      clock: m.clock,
      lastReceiveAt: () => 0,
      sendPing: () => {
        throw new Error('no');
      },
      onDead: () => {
        throw new Error('no');
      },
    });
    k.start();
    m.advance(100_000);
  });
});
