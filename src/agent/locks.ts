/**
 * Named locks on shared host resources (e.g. `disk:/var/lib/libvirt/…`), so a VM operation and a
 * disk operation touching the same file never run at once. Locks are taken in sorted order, so two
 * operations asking for overlapping sets cannot deadlock.
 */
export class NamedLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for every named lock; returns the function that releases them all. */
  async acquire(names: readonly string[]): Promise<() => void> {
    const sorted = [...new Set(names)].sort();
    const releases: Array<() => void> = [];
    for (const name of sorted) releases.push(await this.one(name));
    return () => {
      for (const r of releases.reverse()) r();
    };
  }

  get held(): number {
    return this.tails.size;
  }

  private async one(name: string): Promise<() => void> {
    const prev = this.tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const tail = prev.then(() => mine);
    this.tails.set(name, tail);
    await prev;
    return () => {
      release();
      if (this.tails.get(name) === tail) this.tails.delete(name);
    };
  }
}

/** Bounds how many operation handlers run at once, independently of the queue's sync workers. */
export class Semaphore {
  private inUse = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  get running(): number {
    return this.inUse;
  }

  async acquire(): Promise<() => void> {
    if (this.inUse >= this.limit) await new Promise<void>((r) => this.waiters.push(r));
    else this.inUse++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.inUse--;
    };
  }
}
