/**
 * Out-of-band changes: a Ready condition that moved while no operation of ours was running (a
 * domain destroyed or crashed by another tool, a pool unmounted, a switch deleted) becomes an Event
 * and a log line. The condition is the one observation writes (`status`, `reason`), so every kind
 * is judged the same way; a VM's reason is its power state.
 *
 * The state last seen is kept per key here, not read back from the cache: right after an operation
 * the cached object may still be the version before our own write.
 */
import type { Readiness } from '../executors/observe.js';
import type { KubeObject } from '../kinds.js';
import type { Logger } from '../log.js';
import type { EventSink } from './events.js';
import { CONDITION_READY } from './reasons.js';

export interface HostChange {
  warning: boolean;
  reason: string;
  message: string;
}

/** Host-caused changes this soon after one of our operations on the key are its own aftermath. */
export const OPERATION_GRACE_MS = 15_000;

type Seen = Pick<Readiness, 'status' | 'reason'>;

function readyOf(obj: KubeObject): Seen | undefined {
  const conditions = (obj.status?.['conditions'] ?? []) as Array<Record<string, unknown>>;
  const c = conditions.find((x) => x['type'] === CONDITION_READY);
  return typeof c?.['status'] === 'string' && typeof c['reason'] === 'string'
    ? { status: c['status'] as Readiness['status'], reason: c['reason'] }
    : undefined;
}

/** The change from `before` to `after`, or undefined when there is none worth an Event. */
export function describeChange(
  obj: KubeObject,
  before: Seen | undefined,
  after: Readiness,
): HostChange | undefined {
  // Nothing known before, or the host could not be asked now: no claim about a change.
  if (!before || before.status === 'Unknown' || after.status === 'Unknown') return undefined;
  if (before.status === after.status && before.reason === after.reason) return undefined;
  const what = `${obj.kind} ${obj.metadata.name}`;
  return {
    // Unhealthy now, or stopped by someone else (a domain destroyed or shut down by another tool).
    warning: after.status !== 'True' || before.reason === 'Running',
    reason: after.reason,
    message: `${what} changed outside the agent: was ${before.reason}, now ${after.reason} (${after.message})`,
  };
}

export class HostStates {
  private readonly seen = new Map<string, Seen>();
  private readonly operationAt = new Map<string, number>();

  /**
   * Records what observation found for `key`; returns the out-of-band change it shows, if any.
   * `byOperation`: observed right after one of our operations (remembered, never reported).
   */
  observed(key: string, obj: KubeObject, after: Readiness, byOperation: boolean): HostChange | undefined {
    const before = this.seen.get(key) ?? readyOf(obj);
    if (after.status !== 'Unknown') this.seen.set(key, { status: after.status, reason: after.reason });
    const now = Date.now();
    if (byOperation) {
      this.operationAt.set(key, now);
      return undefined;
    }
    if (now - (this.operationAt.get(key) ?? 0) < OPERATION_GRACE_MS) return undefined;
    this.operationAt.delete(key);
    return describeChange(obj, before, after);
  }

  forget(key: string): void {
    this.seen.delete(key);
    this.operationAt.delete(key);
  }
}

/** A log line and an Event (Warning when the thing is no longer healthy) for an out-of-band change. */
export function reportHostChange(log: Logger, events: EventSink, obj: KubeObject, change: HostChange): void {
  const line = { kind: obj.kind, name: obj.metadata.name, reason: change.reason };
  if (change.warning) log.warn(line, change.message);
  else log.info(line, change.message);
  void events.emitChange?.({ regarding: obj, ...change });
}
