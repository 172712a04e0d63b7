/**
 * Caps how many long-running calls a connection has in flight. libvirtd stops reading a client's
 * socket while `max_client_requests` (default 5) of its calls are unanswered; if long calls
 * (migration, managed save, volume copies) filled every slot, our keepalive answers would go
 * unread and the daemon would drop us after ~30 s. Calls beyond the cap wait in FIFO order.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  /** `max` <= 0 means no cap. */
  constructor(private readonly max: number) {}

  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.max <= 0 || this.active < this.max) return this.start(fn);
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        this.start(fn).then(resolve, reject);
      });
    });
  }

  get queued(): number {
    return this.waiting.length;
  }

  private start<T>(fn: () => Promise<T>): Promise<T> {
    this.active++;
    let p: Promise<T>;
    try {
      p = fn();
    } catch (err) {
      p = Promise.reject(err);
    }
    const release = (): void => {
      this.active--;
      this.waiting.shift()?.();
    };
    p.then(release, release);
    return p;
  }
}
