/**
 * What the agent writes back, computed purely from (object, outcome, clock):
 *  - the uni-virt shape inside `spec` (merge patch on the object: every user field is kept);
 *  - our own top-level `status` (merge patch on /status): a standard Ready condition and
 *    `lastOperation`.
 * `prune` drops whatever already has the wanted value, so an unchanged object gets no write.
 */
import type { KubestackError } from '../errors.js';
import type { KubeObject, OperationOutcome } from '../executors/types.js';
import { type KindName, kindInfo } from './kinds.js';
import { CONDITION_READY, type OperationPhase, READY_MESSAGE, READY_REASON, vmMessage } from './reasons.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = Record<string, unknown>;

export interface LastOperation {
  name: string;
  eventId: string;
  phase: OperationPhase;
  startedAt: string;
  finishedAt?: string;
  error?: { reason: string; message: string };
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

function waiting(reason: string, message: string): JsonObject {
  return { conditions: { state: { waiting: { reason, message } } } };
}

/** Success reason/message: the outcome's, else the VM's power state, else Ready. */
export function successText(kind: KindName, obj: KubeObject | undefined, outcome: OperationOutcome) {
  if (kind === 'VirtualMachine') {
    const state =
      (outcome.spec?.powerstate as string | undefined) ??
      (obj?.spec?.powerstate as string | undefined) ??
      'Unknown';
    const reason = outcome.reason ?? state;
    return { reason, message: outcome.message ?? vmMessage(reason) };
  }
  return { reason: outcome.reason ?? READY_REASON, message: outcome.message ?? READY_MESSAGE };
}

export function successSpecPatch(
  kind: KindName,
  obj: KubeObject | undefined,
  outcome: OperationOutcome,
  nowMs: number,
): JsonObject {
  const { reason, message } = successText(kind, obj, outcome);
  const spec: JsonObject = { ...(outcome.spec ?? {}) };
  if (outcome.report) spec[kindInfo(kind).reportField] = outcome.report;
  spec.status = waiting(reason, message);
  spec.description = { lastOperationTimeStamp: nowMs };
  return { spec };
}

export function failureSpecPatch(err: KubestackError, nowMs: number): JsonObject {
  return {
    spec: { status: waiting(err.reason, err.message), description: { lastOperationTimeStamp: nowMs } },
  };
}

/** The whole desired top-level status (merge-patched onto /status). */
export function statusPatch(
  obj: KubeObject | undefined,
  last: LastOperation,
  ready: { ok: boolean | 'unknown'; reason: string; message: string },
  now: string,
): JsonObject {
  const current = (obj?.status ?? {}) as { conditions?: Condition[] };
  const others = (current.conditions ?? []).filter((c) => c.type !== CONDITION_READY);
  const prev = (current.conditions ?? []).find((c) => c.type === CONDITION_READY);
  const status: Condition['status'] = ready.ok === 'unknown' ? 'Unknown' : ready.ok ? 'True' : 'False';
  const generation = obj?.metadata.generation;
  const cond: Condition = {
    type: CONDITION_READY,
    status,
    reason: ready.reason,
    message: ready.message,
    lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  };
  return {
    status: {
      ...(generation === undefined ? {} : { observedGeneration: generation }),
      conditions: [...others, cond],
      lastOperation: last,
    },
  };
}

function isPlainObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The part of a merge patch that would change `current`; undefined when nothing would.
 * (null in a patch deletes; it is kept only when the key exists.)
 */
export function prune(patch: JsonObject, current: unknown): JsonObject | undefined {
  const cur = isPlainObject(current) ? current : {};
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      if (k in cur && cur[k] !== null) out[k] = null;
    } else if (isPlainObject(v) && isPlainObject(cur[k])) {
      const sub = prune(v, cur[k]);
      if (sub) out[k] = sub;
    } else if (!deepEqual(v, cur[k])) {
      out[k] = v;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** RFC 3339 with 6 fractional digits, as MicroTime requires (never dropped when .000000). */
export function microTime(d: Date = new Date()): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
