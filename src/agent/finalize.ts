/**
 * Deletion of an object this node owns: our finalizer holds it until the kind's clean-up hook says
 * it is safe to let go. The default hook releases at once (the host thing stays, as with uni-virt);
 * a kind may refuse (e.g. a disk still used by a domain), which is reported in status and as a
 * Warning event, and retried later. An operation still in flight on the object finishes first.
 */

import { InUseError } from '../errors.js';
import type { KubeObject, OperationContext } from '../executors/types.js';
import type { EventSink } from './events.js';
import type { KindName } from './kinds.js';
import { isConflict, isNotFound } from './kube/api-error.js';
import { eventIdOf } from './lifecycle.js';
import type { ProcessResult } from './queue.js';
import { EVENT_DONE } from './reasons.js';
import { failureSpecPatch, microTime, statusPatch } from './status.js';
import { hasFinalizer, type StatusWriter } from './status-writer.js';

export type CleanupDecision = { release: true } | { release: false; message: string; retryAfterMs?: number };

/** Runs on delete, before the finalizer is removed; must be idempotent. */
export type CleanupHook = (ctx: OperationContext, obj: KubeObject) => Promise<CleanupDecision>;

export type CleanupHooks = Partial<Record<KindName, CleanupHook>>;

export const releaseHook: CleanupHook = async () => ({ release: true });

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
  const hook = d.hooks[obj.kind as KindName] ?? releaseHook;
  const decision = await hook(d.makeContext(key, obj), obj);
  if (!decision.release) {
    await reportRefusal(d, obj, decision.message);
    return { requeueAfterMs: decision.retryAfterMs ?? 30_000 };
  }
  try {
    await d.writer.setFinalizer(obj, false);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    if (isConflict(err)) return undefined; // the newer version arrives through the watch
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
    (await d.writer.writeSpec(obj, failureSpecPatch(error, now.getTime())).catch(() => undefined)) ?? obj;
  await d.writer
    .writeStatus(
      updated,
      statusPatch(
        updated,
        {
          name: 'delete',
          eventId: eventIdOf(obj),
          phase: 'Failed',
          startedAt: microTime(now),
          finishedAt: microTime(now),
          error: { reason: error.reason, message: error.message },
        },
        { ok: false, reason: error.reason, message: error.message },
        microTime(now),
      ),
    )
    .catch(() => undefined);
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
