/**
 * One key's sync (level-triggered: it always starts from the cached object; KubeVirt's
 * virt-handler shape — every host event, resync and restart only enqueues the key):
 *   gone → nothing (an operation never runs from a DELETED event);
 *   spec.lifecycle → admission (admission.ts) → accept (journal) → acknowledge by removing it
 *   (guarded by resourceVersion) → Doing event → handler under its locks → journal → result
 *   (results.ts: spec members, observation, /status) → Done event → delete if asked;
 *   a refused request → the lifecycle is removed and the failure written in one step;
 *   no request → observation only: the host's state, written when it changed.
 * Retriable failures (apiserver conflicts/unavailability, retriable handler errors) keep the
 * operation's state here and ask the queue for a per-key backoff retry.
 */
import { asKubestackError, KubestackError } from '../errors.js';
import type { Services } from '../executors/services.js';
import type { OperationContext, OperationSpec } from '../executors/types.js';
import type { KindName, KubeObject } from '../kinds.js';
import { lockNames } from '../lock-names.js';
import { redactParams, redactText } from '../redact.js';
import { admit } from './admission.js';
import { isResumable, type OperationCatalog } from './catalog.js';
import type { Journal, JournalEntry } from './journal.js';
import { isConflict, isNotFound } from './kube/api-error.js';
import { eventIdOf } from './lifecycle.js';
import type { NamedLocks, Semaphore } from './locks.js';
import type { ProcessResult } from './queue.js';
import { EVENT_DOING } from './reasons.js';
import {
  emitDone,
  type Result,
  type ResultDeps,
  unobserved,
  writeRejection,
  writeResult,
} from './results.js';
import { type LastOperation, microTime } from './status.js';
import { hasFinalizer } from './status-writer.js';

export type { Result } from './results.js';

/** Besides what the result writes need (writer, events, metrics, log, inspect, observes): */
export interface DispatchDeps extends ResultDeps {
  catalog: OperationCatalog;
  services: Services;
  journal: Journal;
  locks: NamedLocks;
  /** Bounds handlers running at once (the configured concurrency). */
  handlers: Semaphore;
  nodeName: string;
  signal: AbortSignal;
  /** Decide and log, but never write or run anything. */
  dryRun: boolean;
  /** The current cached object for a key (undefined: gone or no longer ours). */
  getObject: (key: string) => KubeObject | undefined;
  /** Attempts for a handler failing with a retriable error before it is reported failed. */
  maxHandlerAttempts?: number;
  /** Pipeline timestamps (performance.now()) for benchmarks and tracing. */
  trace?: (key: string, stage: TraceStage, at: number) => void;
  /** Observes an object and writes what changed (observation.ts); resolves with the object as now;
   * `byOperation`: right after one of our operations (so not an out-of-band change). */
  observe: (key: string, obj: KubeObject, byOperation?: boolean) => Promise<KubeObject>;
  observes: (kind: KindName) => boolean;
}

export type TraceStage =
  | 'seen'
  | 'acked'
  | 'handler-start'
  | 'handler-end'
  | 'journaled'
  | 'spec-written'
  | 'reported';

/** Work kept across retries of one key. */
export type Pending =
  | {
      stage: 'run';
      entry: JournalEntry;
      op: OperationSpec;
      params: unknown;
      obj: KubeObject;
      attempt: number;
      /** The "Running" status write, in flight while the handler runs; awaited before results. */
      running?: Deferred<KubeObject | undefined>;
    }
  | { stage: 'report'; entry: JournalEntry; obj: KubeObject; result: Result };

/** A handler still running after this long gets `status.lastOperation.phase: Running` written. */
export const RUNNING_STATUS_DELAY_MS = 1000;

interface Deferred<T> {
  /** Cancels the call if it has not started; resolves with its result, or undefined. */
  settle(): Promise<T | undefined>;
}

function deferred<T>(ms: number, fn: () => Promise<T>): Deferred<T> {
  let started: Promise<T> | undefined;
  const timer = setTimeout(() => {
    started = fn();
  }, ms);
  return {
    settle() {
      clearTimeout(timer);
      return started ?? Promise.resolve(undefined);
    },
  };
}

export const keyOf = (kind: string, namespace: string, name: string): string =>
  `${kind}/${namespace}/${name}`;

export function splitKey(key: string): { kind: KindName; namespace: string; name: string } {
  const [kind, namespace, name] = key.split('/') as [KindName, string, string];
  return { kind, namespace, name };
}

export class Dispatcher {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly d: DispatchDeps) {}

  /** True while an operation of this key is between acceptance and its reported result. */
  busy(key: string): boolean {
    return this.pending.has(key);
  }

  /** Resumes work a previous run left in the journal (see recovery.ts). */
  adopt(key: string, p: Pending): void {
    this.pending.set(key, p);
  }

  async sync(key: string): Promise<ProcessResult | undefined> {
    const p = this.pending.get(key);
    if (p) return p.stage === 'run' ? this.run(key, p) : this.report(key, p);
    const obj = this.d.getObject(key);
    if (!obj || obj.metadata.deletionTimestamp) return undefined;
    const a = admit(this.d.catalog, obj);
    if (a.verdict === 'none') {
      if (this.d.dryRun) return undefined;
      if (!hasFinalizer(obj)) await this.d.writer.setFinalizer(obj, true).catch(ignoreConflict);
      await this.d.observe(key, obj);
      return undefined;
    }
    const uid = obj.metadata.uid ?? '';
    const rv = obj.metadata.resourceVersion ?? '';
    const opName = a.verdict === 'admit' ? a.op.name : a.operation;
    const id = `${uid}/${rv}/${opName}`;
    if (this.d.journal.has(id)) return undefined; // never twice for the same (uid, rv, op)
    if (a.verdict === 'reject')
      return this.reject(obj, a.operation, a.known ? a.operation : 'unknown', a.error);
    if (this.d.dryRun) {
      this.d.log.info(
        { key, operation: a.op.name, params: redactParams(a.op, a.params) },
        'dry run: would run operation',
      );
      return undefined;
    }
    return this.accept(key, obj, a.op, a.params, id);
  }

  private async accept(
    key: string,
    obj: KubeObject,
    op: OperationSpec,
    params: unknown,
    id: string,
  ): Promise<ProcessResult | undefined> {
    const entry: JournalEntry = {
      id,
      phase: 'accepted',
      key,
      operation: op.name,
      eventId: eventIdOf(obj),
      uid: obj.metadata.uid ?? '',
      resourceVersion: obj.metadata.resourceVersion ?? '',
      // Redacted: the journal is a file on the host. Recovery hooks work on redacted parameters;
      // only a resumable operation (run again as it was) keeps them whole.
      params: isResumable(op) ? params : redactParams(op, params),
      at: new Date().toISOString(),
    };
    await this.d.journal.record(entry);
    let acked: KubeObject;
    try {
      acked = await this.d.writer.ack(obj, { addFinalizer: !hasFinalizer(obj) });
    } catch (err) {
      // Nothing ran: forget the acceptance, so a retry (or the newer version) is judged afresh.
      await this.d.journal.record({ ...entry, phase: 'dropped', at: new Date().toISOString() });
      if (isNotFound(err)) return undefined;
      if (isConflict(err)) {
        // Changed since we read it: judge the newer version soon. Not "wait for its watch event":
        // the newer version may be the echo of our own write, which is not synced again.
        this.d.log.debug({ key, operation: op.name }, 'acknowledgement lost a race; re-reading');
        return { requeueAfterMs: 50 };
      }
      throw err;
    }
    this.d.trace?.(key, 'acked', performance.now());
    const started: JournalEntry = {
      ...entry,
      phase: 'started',
      startedAt: microTime(),
      at: new Date().toISOString(),
    };
    await this.d.journal.record(started);
    const last: LastOperation = {
      name: op.name,
      eventId: entry.eventId,
      phase: 'Running',
      startedAt: started.startedAt as string,
    };
    // The Doing event goes out while the handler already runs; the Running status only if the
    // handler is still busy after a moment (a quick operation goes straight to its result).
    const running = deferred(RUNNING_STATUS_DELAY_MS, () =>
      this.d.writer.writeStatus(acked, { status: { lastOperation: last } }).catch((err) => {
        this.d.log.warn({ key, err: String(err) }, 'could not write the running status');
        return undefined;
      }),
    );
    void this.d.events.emit({
      regarding: acked,
      operation: op.name,
      stage: EVENT_DOING,
      warning: false,
      eventId: entry.eventId,
      durationSeconds: 0,
    });
    return this.run(key, { stage: 'run', entry: started, op, params, obj: acked, attempt: 1, running });
  }

  private async run(key: string, p: Extract<Pending, { stage: 'run' }>): Promise<ProcessResult | undefined> {
    const { kind, namespace, name } = splitKey(key);
    const log = this.d.log.child({ kind, name, operation: p.op.name, eventId: p.entry.eventId });
    const ctx: OperationContext = {
      kind,
      name,
      namespace,
      nodeName: this.d.nodeName,
      object: p.obj,
      log,
      signal: this.d.signal,
      services: this.d.services,
    };
    let result: Result;
    const t0 = performance.now();
    let release: (() => void) | undefined;
    let slot: (() => void) | undefined;
    try {
      const names = [lockNames.object(key), ...(p.op.locks?.(p.params as never, ctx) ?? [])];
      slot = await this.d.handlers.acquire();
      release = await this.d.locks.acquire(names);
      this.d.trace?.(key, 'handler-start', performance.now());
      result = { ok: true, outcome: await p.op.handler(ctx, p.params as never) };
    } catch (err) {
      result = { ok: false, error: scrubbed(p.op, p.params, asKubestackError(err)) };
    } finally {
      release?.();
      slot?.();
    }
    this.d.trace?.(key, 'handler-end', performance.now());
    const seconds = (performance.now() - t0) / 1000;
    if (!result.ok && result.error.retriable && p.attempt < (this.d.maxHandlerAttempts ?? 5)) {
      log.warn({ err: result.error.message, attempt: p.attempt }, 'retriable failure; will retry');
      this.pending.set(key, { ...p, attempt: p.attempt + 1 });
      this.d.metrics.queueRetries.inc();
      return { retry: true };
    }
    const res = result.ok ? 'succeeded' : 'failed';
    this.d.metrics.operations.inc({ kind, operation: p.op.name, result: res });
    this.d.metrics.operationSeconds.observe({ kind, operation: p.op.name, result: res }, seconds);
    if (result.ok) log.info({ seconds }, 'operation succeeded');
    else log.warn({ seconds, reason: result.error.reason, err: result.error.message }, 'operation failed');
    const finished: JournalEntry = {
      ...p.entry,
      phase: 'finished',
      result: result.ok
        ? { ok: true, outcome: unobserved(result).outcome as Record<string, unknown> }
        : { ok: false, reason: result.error.reason, message: result.error.message },
      at: new Date().toISOString(),
    };
    const [, afterRunning] = await Promise.all([this.d.journal.record(finished), p.running?.settle()]);
    this.d.trace?.(key, 'journaled', performance.now());
    return this.report(key, { stage: 'report', entry: finished, obj: afterRunning ?? p.obj, result });
  }

  /** Writes the result and the Done event; keeps the work for a retry when the write may succeed later. */
  private async report(
    key: string,
    p: Extract<Pending, { stage: 'report' }>,
  ): Promise<ProcessResult | undefined> {
    try {
      await writeResult(this.d, key, splitKey(key), p.entry, p.obj, p.result);
      this.d.trace?.(key, 'spec-written', performance.now());
    } catch (err) {
      if (!isNotFound(err)) {
        const e = asKubestackError(err);
        if (e.retriable || isConflict(err)) {
          // Observed again on the retry: what the handler saw may be stale by then.
          const result = unobserved(p.result);
          this.pending.set(key, { ...p, obj: this.d.getObject(key) ?? p.obj, result });
          this.d.log.warn({ key, err: e.message }, 'result not written yet; will retry');
          return { retry: true };
        }
        this.d.log.error({ key, err: e.message }, 'result could not be written');
      }
    }
    this.pending.delete(key);
    this.d.trace?.(key, 'reported', performance.now());
    emitDone(this.d, p.obj, p.entry, p.result);
    // `done` needs no wait: if it is lost in a crash, recovery re-writes the same result (a no-op).
    this.d.journal
      .record({ ...p.entry, phase: 'done', at: new Date().toISOString() })
      .catch((err) => this.d.log.error({ key, err: String(err) }, 'journal write failed'));
    return undefined;
  }

  /** A request that cannot run: counted (documented names only as labels), logged, written. */
  private async reject(
    obj: KubeObject,
    operation: string,
    label: string,
    error: KubestackError,
  ): Promise<ProcessResult | undefined> {
    const kind = obj.kind;
    this.d.metrics.operations.inc({ kind, operation: label, result: 'rejected' });
    this.d.log.warn({ kind, name: obj.metadata.name, operation, err: error.message }, 'request rejected');
    if (this.d.dryRun) return undefined;
    try {
      await writeRejection(this.d, obj, operation, error);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      if (isConflict(err)) return { requeueAfterMs: 50 }; // the newer version is judged afresh
      throw err;
    }
    return undefined;
  }
}

/** The error with every secret value of the request removed from its message (status, events, logs). */
function scrubbed(op: OperationSpec, params: unknown, err: KubestackError): KubestackError {
  const message = redactText(op, params, err.message);
  if (message === err.message) return err;
  return new KubestackError(err.reason, message, { retriable: err.retriable, details: err.details });
}

function ignoreConflict(err: unknown): void {
  if (!isConflict(err) && !isNotFound(err)) throw err;
}
