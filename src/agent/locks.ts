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
