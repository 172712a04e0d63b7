/**
 * An OVSDB client for one database on one server: connect (unix/tcp), `transact` with typed errors,
 * `monitor_cond` subscriptions feeding a RowCache, an echo inactivity probe, and reconnect with
 * backoff that re-issues every monitor and refills the cache from the new snapshot.
 */
import { performance } from 'node:perf_hooks';
import { Counter, Histogram } from 'prom-client';
import { TimeoutError } from '../errors.js';
import type { Logger } from '../log.js';
import { rootLogger } from '../log.js';
import { nextBackoff, sleep } from '../timing.js';
import { RowCache } from './cache.js';
import { checkOperationResults, OvsdbUnavailableError } from './errors.js';
import { JsonRpcConnection, OvsdbRpcError } from './jsonrpc.js';
import type { MonitorRequest, Operation, OperationResult, TableUpdates, TableUpdates2 } from './protocol.js';
import { openSocket, parseRemote, type Remote } from './remote.js';
import { type DatabaseSchema, parseSchema } from './schema.js';

const transactSeconds = new Histogram({
  name: 'kubestack_ovsdb_transact_seconds',
  help: 'Duration of OVSDB transact calls',
  labelNames: ['database', 'outcome'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
});
const reconnects = new Counter({
  name: 'kubestack_ovsdb_reconnects_total',
  help: 'OVSDB connections re-established after a loss',
  labelNames: ['database'] as const,
});

export interface OvsdbClientOptions {
  /**
   * `unix:/path` or `tcp:host:port`; a comma-separated list for a clustered DB (e.g. kube-ovn's
   * three NB replicas): members are tried in turn and a non-leader is skipped (writes go to the
   * leader without a forwarding hop), as the OVN command-line tools do by default.
   */
  remote: string;
  /** Database name: `OVN_Northbound`, `Open_vSwitch`, … */
  database: string;
  /** Tables (and columns) to replicate into `cache`; empty: no monitor. */
  monitor?: Record<string, MonitorRequest>;
  log?: Logger;
  /** Send an echo after this much silence, drop the connection after twice it. 0 disables. */
  probeIntervalMs?: number;
  connectTimeoutMs?: number;
  /** How long a call made while disconnected waits for the reconnect before failing Unavailable. */
  readyTimeoutMs?: number;
  reconnectMinDelayMs?: number;
  reconnectMaxDelayMs?: number;
}

export class OvsdbClient {
  readonly cache: RowCache;
  readonly database: string;
  private readonly remotes: Remote[];
  private nextRemote = 0;
  private readonly log: Logger;
  private readonly opts: Required<Omit<OvsdbClientOptions, 'log' | 'monitor'>>;
  private readonly monitorRequests: Record<string, MonitorRequest>;
  private conn: JsonRpcConnection | undefined;
  private schemaValue: DatabaseSchema | undefined;
  private closing = false;
  private readyWaiters: Array<() => void> = [];
  private probeTimer: NodeJS.Timeout | undefined;
  private probeSentAt: number | undefined;
  private readonly reconnectListeners = new Set<() => void>();
  private monitorSeq = 0;
  private monitorId = '';
  /** Last transaction id seen by monitor_cond_since (all zeros: none). */
  private lastTxnId = '00000000-0000-0000-0000-000000000000';
  /** Whether the last (re)subscription resumed the replica instead of refilling it. */
  resumed = false;

  private constructor(opts: OvsdbClientOptions) {
    this.remotes = opts.remote.split(',').map((r) => parseRemote(r.trim()));
    this.database = opts.database;
    this.log = (opts.log ?? rootLogger).child({ component: 'ovsdb', database: opts.database });
    this.monitorRequests = opts.monitor ?? {};
    this.opts = {
      remote: opts.remote,
      database: opts.database,
      probeIntervalMs: opts.probeIntervalMs ?? 5000,
      connectTimeoutMs: opts.connectTimeoutMs ?? 5000,
      readyTimeoutMs: opts.readyTimeoutMs ?? 5000,
      reconnectMinDelayMs: opts.reconnectMinDelayMs ?? 100,
      reconnectMaxDelayMs: opts.reconnectMaxDelayMs ?? 5000,
    };
    this.cache = new RowCache(() => this.schemaValue);
  }

  /** Connects, reads the schema and fills the cache from the monitors' snapshot. */
  static async connect(opts: OvsdbClientOptions): Promise<OvsdbClient> {
    const c = new OvsdbClient(opts);
    // Each member once (a follower or a dead member is skipped), then give up.
    for (let i = 1; ; i++) {
      try {
        await c.establish();
        break;
      } catch (err) {
        if (i >= c.remotes.length) throw err;
      }
    }
    c.startProbe();
    return c;
  }

  get connected(): boolean {
    return this.conn !== undefined && !this.conn.isClosed;
  }

  get schema(): DatabaseSchema {
    if (!this.schemaValue) throw new OvsdbUnavailableError('OVSDB schema not loaded');
    return this.schemaValue;
  }

  /** Runs `ops` as one atomic transaction; throws the typed error of the first failing op. */
  async transact(ops: readonly Operation[]): Promise<OperationResult[]> {
    const conn = await this.ready();
    const t0 = performance.now();
    let outcome = 'ok';
    try {
      const results = (await conn.call('transact', [this.database, ...ops])) as (OperationResult | null)[];
      const err = checkOperationResults(ops, results);
      if (err) {
        outcome = err.error;
        throw err;
      }
      return results as OperationResult[];
    } catch (err) {
      if (outcome === 'ok') outcome = 'error';
      throw err;
    } finally {
      transactSeconds.observe({ database: this.database, outcome }, (performance.now() - t0) / 1000);
    }
  }

  /** Any other method (`list_dbs`, `echo`, `get_server_id`, …). */
  async call(method: string, params: unknown[]): Promise<unknown> {
    const conn = await this.ready();
    return conn.call(method, params);
  }

  async echo(payload: unknown[] = ['kubestack']): Promise<unknown> {
    return this.call('echo', payload);
  }

  /** Resolves when `pred` holds on the cache (re-checked on every update), or fails with Timeout. */
  waitUntil(pred: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer);
        off();
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onAbort = (): void => done(new TimeoutError('wait aborted'));
      const timer = setTimeout(
        () => done(new TimeoutError(`condition not met within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const off = this.cache.onChange(() => {
        if (pred()) done();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Called after each successful reconnect, once the cache holds the new snapshot. */
  onReconnect(fn: () => void): () => void {
    this.reconnectListeners.add(fn);
    return () => this.reconnectListeners.delete(fn);
  }

  /** Whether `table` is replicated into the cache. */
  monitors(table: string): boolean {
    return table in this.monitorRequests;
  }

  /** Drops the current connection as if the server went away (tests of reconnect use it). */
  dropConnection(): void {
    this.conn?.close();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.conn?.close();
    this.conn = undefined;
  }

  private async ready(): Promise<JsonRpcConnection> {
    if (this.closing) throw new OvsdbUnavailableError('OVSDB client closed');
    if (this.conn && !this.conn.isClosed) return this.conn;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== waiter);
        reject(new OvsdbUnavailableError(`OVSDB ${this.database} unreachable at ${this.opts.remote}`));
      }, this.opts.readyTimeoutMs);
      const waiter = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.readyWaiters.push(waiter);
    });
    return this.ready();
  }

  private async establish(): Promise<void> {
    const remote = this.remotes[this.nextRemote % this.remotes.length] as Remote;
    this.nextRemote++;
    const sock = await openSocket(remote, this.opts.connectTimeoutMs);
    const conn = new JsonRpcConnection(
      sock,
      this.log,
      (method, params) => this.onNotification(method, params),
      (err) => this.onConnectionLost(conn, err),
    );
    // A server that accepts but never answers must not hang the (re)connect: bound the handshake.
    const timer = setTimeout(() => conn.close(), this.opts.connectTimeoutMs);
    try {
      if (this.remotes.length > 1) await this.requireLeader(conn);
      if (!this.schemaValue) this.schemaValue = parseSchema(await conn.call('get_schema', [this.database]));
      await this.subscribe(conn);
    } catch (err) {
      conn.close();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    this.conn = conn;
    this.probeSentAt = undefined;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }

  /** For a cluster member: the database must be connected to the cluster and its leader. */
  private async requireLeader(conn: JsonRpcConnection): Promise<void> {
    const r = (await conn.call('transact', [
      '_Server',
      {
        op: 'select',
        table: 'Database',
        where: [['name', '==', this.database]],
        columns: ['model', 'leader', 'connected'],
      },
    ])) as Array<{ rows?: Array<{ model?: string; leader?: boolean; connected?: boolean }> }>;
    const row = r[0]?.rows?.[0];
    if (!row) throw new OvsdbUnavailableError(`database ${this.database} not served by this member`);
    if (row.model === 'clustered' && (row.leader !== true || row.connected !== true)) {
      throw new OvsdbUnavailableError(`this ${this.database} member is not the cluster leader`);
    }
  }

  /** Issues monitor_cond for every replicated table (plain monitor on servers without it). */
  private async subscribe(conn: JsonRpcConnection): Promise<void> {
    const tables = Object.keys(this.monitorRequests);
    if (tables.length === 0) return;
    const id = `kst-${++this.monitorSeq}`;
    this.monitorId = id;
    const requests: Record<string, MonitorRequest[]> = {};
    for (const [t, req] of Object.entries(this.monitorRequests)) requests[t] = [req];
    // Newest first: monitor_cond_since resumes from the last transaction seen (clustered DBs keep
    // a history), so a reconnect transfers only what changed; older servers get older methods.
    try {
      await conn.call('monitor_cond_since', [this.database, id, requests, this.lastTxnId], {
        onResult: (r) => {
          const [found, txn, updates] = (Array.isArray(r) ? r : []) as [unknown, unknown, unknown];
          if (found !== true) this.cache.reset(tables);
          this.cache.applyUpdates2((updates ?? {}) as TableUpdates2);
          if (typeof txn === 'string') this.lastTxnId = txn;
          this.resumed = found === true;
        },
      });
      return;
    } catch (err) {
      if (!(err instanceof OvsdbRpcError) || !/unknown method/i.test(err.message)) throw err;
    }
    this.resumed = false;
    try {
      await conn.call('monitor_cond', [this.database, id, requests], {
        onResult: (r) => {
          this.cache.reset(tables);
          this.cache.applyUpdates2((r ?? {}) as TableUpdates2);
        },
      });
    } catch (err) {
      if (!(err instanceof OvsdbRpcError) || !/unknown method/i.test(err.message)) throw err;
      for (const reqs of Object.values(requests)) for (const r of reqs) delete r.where;
      await conn.call('monitor', [this.database, id, requests], {
        onResult: (r) => {
          this.cache.reset(tables);
          this.cache.applyUpdates((r ?? {}) as TableUpdates);
        },
      });
    }
  }

  private onNotification(method: string, params: unknown[]): void {
    if (params[0] !== this.monitorId) return; // a cancelled monitor's late update
    if (method === 'update3') {
      if (typeof params[1] === 'string') this.lastTxnId = params[1];
      this.cache.applyUpdates2((params[2] ?? {}) as TableUpdates2);
    } else if (method === 'update2') this.cache.applyUpdates2((params[1] ?? {}) as TableUpdates2);
    else if (method === 'update') this.cache.applyUpdates((params[1] ?? {}) as TableUpdates);
  }

  private onConnectionLost(conn: JsonRpcConnection, err: Error): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    if (this.closing) return;
    this.log.warn({ err: err.message }, 'OVSDB connection lost; reconnecting');
    void this.reconnectLoop();
  }

  private async reconnectLoop(): Promise<void> {
    let delay = this.opts.reconnectMinDelayMs;
    while (!this.closing) {
      await sleep(delay);
      if (this.closing) return;
      try {
        await this.establish();
        reconnects.inc({ database: this.database });
        this.log.info('OVSDB reconnected; monitors re-issued');
        for (const fn of this.reconnectListeners) fn();
        return;
      } catch (err) {
        this.log.debug({ err: (err as Error).message, delay }, 'OVSDB reconnect failed');
        delay = nextBackoff(delay, this.opts.reconnectMaxDelayMs);
      }
    }
  }

  /**
   * Inactivity probe: after `probeIntervalMs` of silence send an echo; if nothing at all has arrived
   * since that echo went out by the next tick, the peer is gone: drop and reconnect.
   */
  private startProbe(): void {
    const interval = this.opts.probeIntervalMs;
    if (interval <= 0) return;
    this.probeTimer = setInterval(() => {
      const conn = this.conn;
      if (!conn || conn.isClosed) return;
      if (this.probeSentAt !== undefined) {
        if (conn.lastReceived >= this.probeSentAt) {
          this.probeSentAt = undefined;
        } else {
          this.log.warn('OVSDB peer silent past the inactivity probe; dropping the connection');
          this.probeSentAt = undefined;
          conn.close();
          return;
        }
      }
      if (Date.now() - conn.lastReceived < interval) return;
      this.probeSentAt = Date.now();
      conn.call('echo', ['probe']).catch(() => undefined);
    }, interval);
    this.probeTimer.unref();
  }
}
