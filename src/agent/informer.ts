/**
 * List + watch of one kind in one namespace under one label selector, with a local cache.
 *
 * Liveness is owned here, because Node watch streams are known to stall silently:
 *  - every watch asks for bookmarks and a bounded lifetime (`timeoutSeconds`, plus a client-side
 *    abort a little later in case the server never closes);
 *  - a watchdog relists when nothing (event or bookmark) arrived within `watchdogMs`;
 *  - 410 Gone (HTTP or in-stream) drops the resourceVersion and relists;
 *  - any other failure reconnects from the last resourceVersion with capped exponential backoff,
 *    reset as soon as something arrives; an apiserver that is down at start-up is simply retried.
 * A relist diffs against the cache (vanished objects become DELETED) and reports every live object
 * as SYNC, so the consumer is level-triggered and a missed event can never be lost for good.
 */
import type { Readable } from 'node:stream';
import { errorMessage } from '../errors.js';
import type { KindName, KubeObject } from '../kinds.js';
import type { Logger } from '../log.js';
import { nextBackoff } from '../timing.js';
import { isGone } from './kube/api-error.js';
import type { KubeClient } from './kube/client.js';
import { collectionPath } from './kube/paths.js';

export type InformerEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'SYNC';

export interface InformerOptions {
  client: KubeClient;
  kind: KindName;
  namespace: string;
  labelSelector: string;
  /** Client-side filter on top of the label selector; objects failing it are treated as absent. */
  filter?: (obj: KubeObject) => boolean;
  /** Server-side watch lifetime (default 300 s, jittered by up to 10 %). */
  watchTimeoutSeconds?: number;
  /** Relist when nothing arrived for this long (default 150 s). */
  watchdogMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  log: Logger;
  onEvent: (type: InformerEventType, obj: KubeObject) => void;
  /** restart reasons: relist-gone, watchdog, error, expired (normal end of a bounded watch). */
  onRestart?: (reason: 'gone' | 'watchdog' | 'error' | 'expired') => void;
  onConnected?: (connected: boolean) => void;
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; message?: string };
}

export class Informer {
  private readonly cache = new Map<string, KubeObject>();
  private rv: string | undefined;
  private stopped = false;
  private synced = false;
  private syncWaiters: Array<() => void> = [];
  private current: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private lastSeen = Date.now();
  private wakeSleep: (() => void) | undefined;

  constructor(private readonly o: InformerOptions) {}

  get hasSynced(): boolean {
    return this.synced;
  }

  get(name: string): KubeObject | undefined {
    return this.cache.get(name);
  }

  list(): KubeObject[] {
    return [...this.cache.values()];
  }

  start(): void {
    this.loop ??= this.run();
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** Forces a relist now (tests and the watchdog use it). */
  relist(): void {
    this.rv = undefined;
    this.current?.abort();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.abort();
    this.wakeSleep?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const initial = this.o.backoffInitialMs ?? 500;
    let backoff = initial;
    while (!this.stopped) {
      try {
        if (this.rv === undefined) await this.doList();
        const gotSomething = await this.doWatch();
        if (gotSomething) backoff = initial;
        this.o.onRestart?.('expired');
      } catch (err) {
        if (this.stopped) break;
        if (isGone(err) || err instanceof WatchExpired) {
          this.o.log.info({ kind: this.o.kind }, 'resourceVersion too old; relisting');
          this.rv = undefined;
          this.o.onRestart?.('gone');
          continue;
        }
        this.o.onConnected?.(false);
        this.o.onRestart?.('error');
        this.o.log.warn(
          { kind: this.o.kind, err: errorMessage(err), retryInMs: backoff },
          'watch failed; retrying',
        );
        await this.sleep(backoff * (0.8 + Math.random() * 0.4));
        backoff = nextBackoff(backoff, this.o.backoffMaxMs ?? 30_000);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wakeSleep = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private accepts(obj: KubeObject): boolean {
    return this.o.filter ? this.o.filter(obj) : true;
  }

  private async doList(): Promise<void> {
    const list = await this.o.client.request<{ metadata: { resourceVersion: string }; items: KubeObject[] }>(
      'GET',
      collectionPath(this.o.kind, this.o.namespace),
      { query: { labelSelector: this.o.labelSelector || undefined }, timeoutMs: 60_000 },
    );
    const seen = new Set<string>();
    for (const item of list.items) {
      // List items carry no kind/apiVersion; the consumer relies on them.
      const obj = { ...item, kind: this.o.kind, apiVersion: 'doslab.io/v1' };
      if (!this.accepts(obj)) continue;
      seen.add(obj.metadata.name);
      const had = this.cache.get(obj.metadata.name);
      this.cache.set(obj.metadata.name, obj);
      this.o.onEvent(had ? 'SYNC' : 'ADDED', obj);
    }
    for (const [name, obj] of this.cache) {
      if (!seen.has(name)) {
        this.cache.delete(name);
        this.o.onEvent('DELETED', obj);
      }
    }
    this.rv = list.metadata.resourceVersion;
    this.lastSeen = Date.now();
    this.o.onConnected?.(true);
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  /** Watches from this.rv until the stream ends; returns whether anything arrived. */
  private async doWatch(): Promise<boolean> {
    const timeout = Math.round((this.o.watchTimeoutSeconds ?? 300) * (0.9 + Math.random() * 0.1));
    const ac = new AbortController();
    this.current = ac;
    const hardStop = setTimeout(() => ac.abort(), (timeout + 30) * 1000);
    const watchdogMs = this.o.watchdogMs ?? 150_000;
    this.lastSeen = Date.now();
    const dog = setInterval(
      () => {
        if (Date.now() - this.lastSeen > watchdogMs) {
          this.o.log.warn(
            { kind: this.o.kind, silentMs: Date.now() - this.lastSeen },
            'watch silent; relisting',
          );
          this.o.onRestart?.('watchdog');
          this.o.client.resetConnections();
          this.relist();
        }
      },
      Math.min(5_000, watchdogMs / 2),
    );
    let got = false;
    try {
      const res = await this.o.client.stream(collectionPath(this.o.kind, this.o.namespace), {
        query: {
          watch: 1,
          resourceVersion: this.rv,
          allowWatchBookmarks: true,
          timeoutSeconds: timeout,
          labelSelector: this.o.labelSelector || undefined,
        },
        signal: ac.signal,
      });
      this.o.onConnected?.(true);
      // A connection cut mid-stream (apiserver restart, our own abort) errors the response; keep
      // it here (an unhandled stream error would crash the process) and fail this watch with it.
      let streamError: unknown;
      res.on('error', (err) => {
        streamError ??= err;
      });
      for await (const line of ndjsonLines(res)) {
        if (!line.trim()) continue;
        got = true;
        this.lastSeen = Date.now();
        this.apply(JSON.parse(line) as WatchEvent);
      }
      if (streamError !== undefined) throw streamError;
    } catch (err) {
      if (ac.signal.aborted || this.stopped) return got;
      throw err;
    } finally {
      clearTimeout(hardStop);
      clearInterval(dog);
      this.current = undefined;
      ac.abort(); // an early exit (410, bad line) must not leave the stream's socket behind
    }
    return got;
  }

  private apply(ev: WatchEvent): void {
    const obj = ev.object;
    if (ev.type === 'ERROR') {
      if (obj.code === 410) {
        this.rv = undefined;
        throw new WatchExpired();
      }
      throw new Error(`watch error: ${obj.message ?? JSON.stringify(obj)}`);
    }
    if (obj.metadata?.resourceVersion) this.rv = obj.metadata.resourceVersion;
    if (ev.type === 'BOOKMARK') return;
    const name = obj.metadata.name;
    const had = this.cache.has(name);
    if (ev.type === 'DELETED' || !this.accepts(obj)) {
      if (had) {
        this.cache.delete(name);
        this.o.onEvent('DELETED', obj);
      }
      return;
    }
    this.cache.set(name, obj);
    this.o.onEvent(had ? 'MODIFIED' : 'ADDED', obj);
  }
}

/**
 * Lines of a newline-delimited JSON stream. (Not node:readline: it re-emits a stream error that
 * arrives after the loop ended on its own interface, where nobody listens, and crashes the process.)
 */
async function* ndjsonLines(input: Readable): AsyncGenerator<string> {
  let buf = '';
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    buf += chunk;
    let i = buf.indexOf('\n');
    while (i >= 0) {
      yield buf.slice(0, i);
      buf = buf.slice(i + 1);
      i = buf.indexOf('\n');
    }
  }
  if (buf) yield buf;
}

/** An in-stream 410: the resourceVersion was compacted away. */
class WatchExpired extends Error {
  constructor() {
    super('watch expired (410 Gone)');
  }
}
