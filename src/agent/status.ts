/**
 * What the agent writes back, computed purely from (object, outcome or observation, clock):
 *  - `spec` members in the uni-virt shape, each REPLACED as a whole (a key that vanished from the
 *    host's description vanishes from the report too): the last operation's result in
 *    `spec.status`, the report (`spec.domain`, `spec.volume`, …) and other members an operation sets;
 *  - our own top-level `status` (merge patch on /status): the Ready condition (does the thing
 *    exist and work, as observed) and `lastOperation` (the last request's outcome), kept apart so a
 *    refused request never makes a healthy thing look broken.
 * `changedMembers` / `prune` drop whatever already has the wanted value: unchanged → no write.
 */
import type { KubestackError } from '../errors.js';
import type { Readiness } from '../executors/observe.js';
import type { OperationOutcome } from '../executors/types.js';
import { type KindName, type KubeObject, kindInfo } from '../kinds.js';
import { CONDITION_READY, type OperationPhase, READY_MESSAGE, READY_REASON, vmMessage } from './reasons.js';

export type JsonObject = Record<string, unknown>;

export interface LastOperation {
  name: string;
  eventId: string;
  phase: OperationPhase;
  startedAt: string;
  finishedAt?: string;
  /** The result as uni-virt clients read it in spec.status (reason/message), when finished. */
  reason?: string;
  message?: string;
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
      (outcome.spec?.['powerstate'] as string | undefined) ??
      (obj?.spec?.['powerstate'] as string | undefined) ??
      'Unknown';
    const reason = outcome.reason ?? state;
    return { reason, message: outcome.message ?? vmMessage(reason) };
  }
  return { reason: outcome.reason ?? READY_REASON, message: outcome.message ?? READY_MESSAGE };
}

function resultMembers(obj: KubeObject | undefined, reason: string, message: string, nowMs: number) {
  const description = obj?.spec?.['description'];
  const desc = description && typeof description === 'object' ? (description as JsonObject) : {};
  return {
    status: waiting(reason, message),
    description: { ...desc, lastOperationTimeStamp: nowMs },
  };
}

/** The spec members a successful operation sets. */
export function successMembers(
  kind: KindName,
  obj: KubeObject | undefined,
  outcome: OperationOutcome,
  nowMs: number,
): JsonObject {
  const { reason, message } = successText(kind, obj, outcome);
  const members: JsonObject = { ...(outcome.spec ?? {}) };
  if (outcome.report) members[kindInfo(kind).reportField] = outcome.report;
  return { ...members, ...resultMembers(obj, reason, message, nowMs) };
}

/** The spec members a failed or refused operation sets (the report is left as it was). */
export function failureMembers(obj: KubeObject | undefined, err: KubestackError, nowMs: number): JsonObject {
  return resultMembers(obj, err.reason, err.message, nowMs);
}

const isPlainObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

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

/** The members that differ from the object's spec (null: present and to be removed). */
export function changedMembers(obj: KubeObject, members: JsonObject): JsonObject {
  const spec = obj.spec ?? {};
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(members)) {
    if (v === null || v === undefined) {
      if (k in spec) out[k] = null;
    } else if (!deepEqual(spec[k], v)) out[k] = v;
  }
  return out;
}

/** The object as it will be once these `spec` members are written (null removes one). */
export function withMembers(obj: KubeObject, members: JsonObject): KubeObject {
  const spec: JsonObject = { ...(obj.spec ?? {}) };
  for (const [k, v] of Object.entries(members)) {
    if (v === null || v === undefined) delete spec[k];
    else spec[k] = v;
  }
  return { ...obj, spec };
}

/**
 * The desired top-level status (merge-patched onto /status): the Ready condition when given,
 * `lastOperation` when given; other conditions are kept.
 */
export function statusPatch(
  obj: KubeObject | undefined,
  parts: { ready?: Readiness; last?: LastOperation },
  now: string,
): JsonObject {
  const current = (obj?.status ?? {}) as { conditions?: Condition[] };
  const generation = obj?.metadata.generation;
  const status: JsonObject = generation === undefined ? {} : { observedGeneration: generation };
  if (parts.ready) {
    const others = (current.conditions ?? []).filter((c) => c.type !== CONDITION_READY);
    const prev = (current.conditions ?? []).find((c) => c.type === CONDITION_READY);
    const same = prev && prev.status === parts.ready.status;
    const cond: Condition = {
      type: CONDITION_READY,
      ...parts.ready,
      lastTransitionTime: same ? prev.lastTransitionTime : now,
      ...(generation === undefined ? {} : { observedGeneration: generation }),
    };
    status['conditions'] = [...others, cond];
  }
  if (parts.last) status['lastOperation'] = parts.last;
  return { status };
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
