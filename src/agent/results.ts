/**
 * The write half of an operation: its result (spec members, observation, /status, the Done
 * event, the delete a delete operation asks for) and the refusal of a request that cannot run.
 * Only the dispatcher's per-key sync calls these, through the one status writer.
 */
import type { KubestackError } from '../errors.js';
import type { Observation } from '../executors/observe.js';
import type { OperationOutcome } from '../executors/types.js';
import type { KindName, KubeObject } from '../kinds.js';
import type { Logger } from '../log.js';
import type { EventSink } from './events.js';
import type { JournalEntry } from './journal.js';
import { eventIdOf } from './lifecycle.js';
import type { AgentMetrics } from './metrics.js';
import { EVENT_DONE } from './reasons.js';
import {
  failureMembers,
  type LastOperation,
  microTime,
  statusPatch,
  successMembers,
  successText,
  withMembers,
} from './status.js';
import { hasFinalizer, type ObjectRef, type StatusWriter } from './status-writer.js';

export type Result = { ok: true; outcome: OperationOutcome } | { ok: false; error: KubestackError };

export interface ResultDeps {
  writer: StatusWriter;
  events: EventSink;
  metrics: AgentMetrics;
  log: Logger;
  /**
   * What the host says about the object now, or `known` when the operation already observed it;
   * never writes (the result's writes carry it). undefined: nothing to report.
   */
  inspect: (key: string, obj: KubeObject, known?: Observation) => Promise<Observation | undefined>;
  /** Whether the kind's health comes from observation (else from its last successful operation). */
  observes: (kind: KindName) => boolean;
}

function lastOperation(entry: JournalEntry, result: Result, kind: KindName, obj: KubeObject, now: Date) {
  const text = result.ok
    ? successText(kind, obj, result.outcome)
    : { reason: result.error.reason, message: result.error.message };
  const last: LastOperation = {
    name: entry.operation,
    eventId: entry.eventId,
    phase: result.ok ? 'Succeeded' : 'Failed',
    startedAt: entry.startedAt ?? microTime(now),
    finishedAt: microTime(now),
    ...text,
    ...(result.ok ? {} : { error: text }),
  };
  return { last, text };
}

/**
 * Writes an operation's result together with the observation that follows it: one patch of the
 * `spec` members (the result's, then the observed report over them), one of /status (Ready and
 * lastOperation). Throws what the writer throws (the caller retries retriable ones).
 */
export async function writeResult(
  d: ResultDeps,
  key: string,
  ref: ObjectRef,
  entry: JournalEntry,
  start: KubeObject,
  result: Result,
): Promise<void> {
  if (result.ok && result.outcome.deleteObject) {
    await d.writer.deleteObject(ref, start.metadata.uid);
    return;
  }
  const now = new Date();
  const members = result.ok
    ? successMembers(ref.kind, start, result.outcome, now.getTime())
    : failureMembers(start, result.error, now.getTime());
  const labels = result.ok ? result.outcome.labels : undefined;
  // Observed as the object will be once the result is written (observers may read its spec).
  const seen = await d.inspect(
    key,
    withMembers(start, members),
    result.ok ? result.outcome.observed : undefined,
  );
  const obj = (await d.writer.writeMembers(start, { ...members, ...seen?.spec }, labels)) ?? start;
  const { last, text } = lastOperation(entry, result, ref.kind, obj, now);
  // A kind nobody observes yet is as healthy as its last successful operation says.
  const ready =
    seen?.ready ?? (result.ok && !d.observes(ref.kind) ? { status: 'True' as const, ...text } : undefined);
  await d.writer.writeStatus(obj, statusPatch(obj, { last, ...(ready ? { ready } : {}) }, microTime(now)));
}

/** The result without the handler's observation: what the journal keeps, and what a retry reports. */
export function unobserved<R extends Result>(r: R): R {
  if (!r.ok || !r.outcome.observed) return r;
  const { observed: _observed, ...outcome } = r.outcome;
  return { ...r, outcome };
}

export function emitDone(d: ResultDeps, obj: KubeObject, entry: JournalEntry, result: Result): void {
  const now = Date.now();
  void d.events.emit({
    regarding: obj,
    operation: entry.operation,
    stage: EVENT_DONE,
    warning: !result.ok,
    eventId: entry.eventId,
    durationSeconds: entry.startedAt ? (now - Date.parse(entry.startedAt)) / 1000 : 0,
    ...(result.ok ? {} : { detail: result.error.message }),
  });
}

/**
 * A request that cannot run (malformed, unknown or unimplemented operation, invalid parameters):
 * the lifecycle is removed and the failure written in one guarded patch, then /status and a
 * Warning event. Nothing touched the host. Resolves false when the object changed meanwhile.
 */
export async function writeRejection(
  d: ResultDeps,
  obj: KubeObject,
  operation: string,
  error: KubestackError,
): Promise<KubeObject> {
  const now = new Date();
  const acked = await d.writer.ack(obj, {
    addFinalizer: !hasFinalizer(obj),
    spec: failureMembers(obj, error, now.getTime()),
  });
  const eventId = eventIdOf(obj);
  const last: LastOperation = {
    name: operation,
    eventId,
    phase: 'Failed',
    startedAt: microTime(now),
    finishedAt: microTime(now),
    reason: error.reason,
    message: error.message,
    error: { reason: error.reason, message: error.message },
  };
  await d.writer
    .writeStatus(acked, statusPatch(acked, { last }, microTime(now)))
    .catch((err) => d.log.warn({ err: String(err) }, 'could not write the rejection status'));
  await d.events.emit({
    regarding: acked,
    operation,
    stage: EVENT_DONE,
    warning: true,
    eventId,
    durationSeconds: 0,
    detail: error.message,
  });
  return acked;
}
