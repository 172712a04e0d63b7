/**
 * libvirt's keepalive program (0x6b656570): both sides may send PING (1) and must answer PONG (2),
 * as one-way MESSAGE packets without a body. We answer the daemon's PINGs, PING it ourselves when
 * the connection has been silent for an interval, and declare it dead after `count` silent
 * intervals — a hung daemon or half-open socket never produces a socket error on its own.
 */

export const KeepaliveProcedure = { PING: 1, PONG: 2 } as const;

/** Timers and time, injectable so tests drive them by hand. */
export interface KeepaliveClock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemClock: KeepaliveClock = {
  now: () => Date.now(),
  setInterval: (fn, ms) => {
    const h = setInterval(fn, ms);
    h.unref();
    return h;
  },
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

export interface KeepaliveOptions {
  /** Silence after which we PING (libvirt's default keepalive_interval is 5 s). */
  intervalMs: number;
  /** Silent intervals after which the peer is dead (libvirt's default keepalive_count is 5). */
  count: number;
  clock?: KeepaliveClock;
  /** When anything was last received from the peer. */
  lastReceiveAt(): number;
  sendPing(): void;
  onDead(silentMs: number): void;
}

export class Keepalive {
  private handle: unknown;
  private readonly clock: KeepaliveClock;

  constructor(private readonly opts: KeepaliveOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  start(): void {
    if (this.handle !== undefined || this.opts.intervalMs <= 0) return;
    this.handle = this.clock.setInterval(() => this.tick(), this.opts.intervalMs);
  }

  stop(): void {
    if (this.handle === undefined) return;
    this.clock.clearInterval(this.handle);
    this.handle = undefined;
  }

  /** One check: dead after `count` silent intervals, else PING after one. */
  tick(): void {
    const silent = this.clock.now() - this.opts.lastReceiveAt();
    if (silent >= this.opts.intervalMs * this.opts.count) {
      this.stop();
      this.opts.onDead(silent);
    } else if (silent >= this.opts.intervalMs) {
      this.opts.sendPing();
    }
  }
}

/** The answer owed to a keepalive packet from the peer: PONG for PING, nothing otherwise. */
export function keepaliveReply(procedure: number): number | undefined {
  return procedure === KeepaliveProcedure.PING ? KeepaliveProcedure.PONG : undefined;
}
