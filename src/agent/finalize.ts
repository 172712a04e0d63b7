/**
 * Deletion of an object this node owns: our finalizer holds it until the kind's release hook
 * (src/executors/release.ts) has let go of the agent's own records; host data stays, as with
 * uni-virt. A hook may refuse for now, which is reported in status and as a Warning event, and
 * retried later. An operation still in flight on the object finishes first.
 */
import { InUseError } from '../errors.js';
import { RELEASE_HOOKS, type ReleaseHook } from '../executors/release.js';
import type { OperationContext } from '../executors/types.js';
import type { KindName, KubeObject } from '../kinds.js';
import type { EventSink } from './events.js';
import { isConflict, isNotFound } from './kube/api-error.js';
import { eventIdOf } from './lifecycle.js';
import type { ProcessResult } from './queue.js';
import { EVENT_DONE } from './reasons.js';
import { failureMembers, microTime, statusPatch } from './status.js';
import { hasFinalizer, type StatusWriter } from './status-writer.js';

export type CleanupHooks = Partial<Record<KindName, ReleaseHook>>;

export interface FinalizeDeps {
  writer: StatusWriter;
  events: EventSink;
  hooks: CleanupHooks;
  makeContext: (key: string, obj: KubeObject) => OperationContext;
  busy: (key: string) => boolean;
}

export async function finalize(
  d: FinalizeDeps,
  key: string,
  obj: KubeObject,
): Promise<ProcessResult | undefined> {
  if (!hasFinalizer(obj)) return undefined;
  if (d.busy(key)) return { requeueAfterMs: 500 };
  const hook = d.hooks[obj.kind as KindName] ?? RELEASE_HOOKS[obj.kind as KindName];
  const decision = hook ? await hook(d.makeContext(key, obj), obj) : { release: true as const };
  if (!decision.release) {
    await reportRefusal(d, obj, decision.message);
    return { requeueAfterMs: decision.retryAfterMs ?? 30_000 };
  }
  try {
    await d.writer.setFinalizer(obj, false);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    // A newer version exists: try again on it. Not left to the watch, since the newer version may
    // be the echo of our own status write, which is not synced.
    if (isConflict(err)) return { requeueAfterMs: 100 };
    throw err;
  }
  return undefined;
}

async function reportRefusal(d: FinalizeDeps, obj: KubeObject, message: string): Promise<void> {
  const error = new InUseError(`deletion waits: ${message}`);
  // Our own write comes back through the watch: report a refusal once, not on every re-check.
  const waiting = (
    obj.spec?.status as { conditions?: { state?: { waiting?: { message?: string } } } } | undefined
  )?.conditions?.state?.waiting;
  if (waiting?.message === error.message) return;
  const now = new Date();
  const updated =
    (await d.writer.writeMembers(obj, failureMembers(obj, error, now.getTime())).catch(() => undefined)) ??
    obj;
  const last = {
    name: 'delete',
    eventId: eventIdOf(obj),
    phase: 'Failed' as const,
    startedAt: microTime(now),
    finishedAt: microTime(now),
    reason: error.reason,
    message: error.message,
    error: { reason: error.reason, message: error.message },
  };
  await d.writer.writeStatus(updated, statusPatch(updated, { last }, microTime(now))).catch(() => undefined);
  await d.events.emit({
    regarding: obj,
    operation: 'delete',
    stage: EVENT_DONE,
    warning: true,
    eventId: eventIdOf(obj),
    durationSeconds: 0,
    detail: error.message,
  });
}
