/**
 * The uni-virt operation protocol, read side (pure): which operation an object asks for, with
 * which raw parameters, and which client event id it carries.
 */
import type { KubeObject } from '../kinds.js';
import { EVENT_ID_LABELS, malformedLifecycleMessage, NO_SPEC_MESSAGE } from './reasons.js';

export type LifecycleRequest =
  | { kind: 'none' }
  | { kind: 'request'; op: string; params: Record<string, unknown> }
  | { kind: 'malformed'; op: string; message: string };

export function readLifecycle(obj: KubeObject): LifecycleRequest {
  const spec = obj.spec as unknown;
  if (spec === undefined || spec === null)
    return { kind: 'malformed', op: 'unknown', message: NO_SPEC_MESSAGE };
  if (typeof spec !== 'object' || Array.isArray(spec)) {
    return { kind: 'malformed', op: 'unknown', message: 'spec is not an object' };
  }
  if (!('lifecycle' in spec)) return { kind: 'none' };
  const lc = (spec as { lifecycle?: unknown }).lifecycle;
  if (lc === null || lc === undefined) return { kind: 'none' };
  if (typeof lc !== 'object' || Array.isArray(lc)) {
    return { kind: 'malformed', op: 'unknown', message: malformedLifecycleMessage('it must be an object') };
  }
  const keys = Object.keys(lc);
  if (keys.length === 0) return { kind: 'none' };
  // One request is one operation: silently running one of several would surprise the client.
  if (keys.length > 1) {
    return {
      kind: 'malformed',
      op: 'unknown',
      message: malformedLifecycleMessage(`it names ${keys.length} operations (${keys.join(', ')}); send one`),
    };
  }
  const op = keys[0] as string;
  const raw = (lc as Record<string, unknown>)[op];
  if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    return {
      kind: 'malformed',
      op,
      message: malformedLifecycleMessage(`the parameters of ${op} must be an object`),
    };
  }
  return {
    kind: 'request',
    op,
    params: { ...((raw as Record<string, unknown> | null) ?? {}) },
  };
}

/**
 * The client's event id for the request on this version: label `kubestack.label.event.id`, else
 * `eventId`, else "-1". A label that still names the last finished operation was left from that
 * one (the client sent this request without a new id): "-1", never the stale id.
 */
export function eventIdOf(obj: KubeObject | undefined): string {
  const labels = obj?.metadata.labels ?? {};
  const last = (obj?.status as { lastOperation?: { eventId?: unknown; phase?: unknown } } | undefined)
    ?.lastOperation;
  for (const l of EVENT_ID_LABELS) {
    const v = labels[l];
    if (!v) continue;
    return last && last.phase !== 'Running' && last.eventId === v ? '-1' : v;
  }
  return '-1';
}
