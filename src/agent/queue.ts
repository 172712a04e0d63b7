/**
 * A keyed work queue in the client-go style: items are object keys, not events.
 *  - de-duplicating: a key already waiting is not queued twice;
 *  - serial per key: a key added while it is being processed is remembered and runs again after;
 *  - bounded global concurrency, and no head-of-line blocking (a busy key never holds up others,
 *    because busy keys are never in the ready list);
 *  - per-key exponential backoff for retries, reset by `forget`.
 */
import { backoffDelay } from '../timing.js';

export interface ProcessResult {
  /** Run the key again after its per-key backoff (a retriable failure). */
  retry?: boolean;
  /** Run the key again after this delay (a timed re-check). */
  requeueAfterMs?: number;
}

export interface QueueOptions {
  concurrency: number;
  process: (key: string) => Promise<ProcessResult | undefined>;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Called with the time a key waited in the ready list before a worker took it. */
  onWait?: (ms: number) => void;
  onDepth?: (depth: number) => void;
  onError?: (key: string, err: unknown) => void;
}

export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly queuedAt = new Map<string, number>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly o: QueueOptions) {}

  get depth(): number {
    return this.ready.length;
  }

  get active(): number {
    return this.processing.size;
  }

  add(key: string): void {
    if (this.closed) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queuedAt.has(key)) return;
    this.queuedAt.set(key, performance.now());
    this.ready.push(key);
    this.o.onDepth?.(this.ready.length);
    this.pump();
  }

  addAfter(key: string, ms: number): void {
    if (this.closed) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const prev = this.timers.get(key);
    if (prev) clearTimeout(prev);
    const t = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    t.unref();
    this.timers.set(key, t);
  }

  /** Requeues with this key's exponential backoff: base·2^failures, capped. */
  addRateLimited(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const ms = backoffDelay(n, this.o.backoffBaseMs ?? 200, this.o.backoffMaxMs ?? 60_000);
    this.addAfter(key, ms);
    return ms;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Resolves when nothing is ready, running or waiting on a timer. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking new work and waits for running items to finish. */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.ready.length = 0;
    this.queuedAt.clear();
    this.dirty.clear();
    await this.idle();
  }

  private isIdle(): boolean {
    return this.ready.length === 0 && this.processing.size === 0 && this.timers.size === 0;
  }

  private pump(): void {
    while (this.processing.size < this.o.concurrency && this.ready.length > 0) {
      const key = this.ready.shift() as string;
      const at = this.queuedAt.get(key) ?? performance.now();
      this.queuedAt.delete(key);
      this.o.onWait?.(performance.now() - at);
      this.o.onDepth?.(this.ready.length);
      this.processing.add(key);
      void this.run(key);
    }
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  private async run(key: string): Promise<void> {
    let result: ProcessResult | undefined;
    try {
      result = await this.o.process(key);
    } catch (err) {
      this.o.onError?.(key, err);
      result = { retry: true };
    }
    this.processing.delete(key);
    if (result?.retry) this.addRateLimited(key);
    else if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    if (this.dirty.delete(key)) this.add(key);
    this.pump();
  }
}
