/**
 * Kubernetes Events for operations — `Doing` when one starts, `Done` when it ends (Warning on
 * failure) — and for changes on the host nobody asked for (a domain destroyed or crashed by another
 * tool, a pool gone). The note keeps uni-virt's tokens so existing consumers still parse it.
 *
 * Written through the core v1 API, so each Event carries `eventTime` and also `firstTimestamp` /
 * `lastTimestamp` (events.k8s.io/v1 refuses those on create), which is what `kubectl describe`
 * sorts by. Names are `<object>.<hex nanoseconds>` like client-go's, so events of one object that
 * share a second still list in the order they happened. The same event again within
 * SERIES_WINDOW_MS updates the first one (`count`, `lastTimestamp`, `series`) instead of adding one.
 * Emitting never throws: an event that cannot be written is logged and dropped.
 */
import type { KubeObject } from '../kinds.js';
import type { Logger } from '../log.js';
import { sleep } from '../timing.js';
import type { KubeClient } from './kube/client.js';
import { eventsPath } from './kube/paths.js';
import { type EVENT_DOING, type EVENT_DONE, REPORTING_CONTROLLER } from './reasons.js';
import { microTime } from './status.js';

type Regarding = Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>;

export interface OperationEvent {
  regarding: Regarding;
  operation: string;
  stage: typeof EVENT_DOING | typeof EVENT_DONE;
  warning: boolean;
  eventId: string;
  durationSeconds: number;
  /** Appended after the uni-virt tokens (e.g. the failure message). */
  detail?: string;
}

/** A change on the host no operation made (found by observation). */
export interface HostChangeEvent {
  regarding: Regarding;
  warning: boolean;
  /** CamelCase, e.g. the new Ready reason: Shutoff, Crashed, DomainNotFound, Inactive. */
  reason: string;
  message: string;
}

export interface EventSink {
  emit(e: OperationEvent): Promise<void>;
  /** Optional: sinks that count operation events only may leave it out. */
  emitChange?(e: HostChangeEvent): Promise<void>;
}

const NOTE_MAX = 1024;
/** A repeat of the same event within this long is counted on the first one (a series). */
export const SERIES_WINDOW_MS = 10 * 60_000;

const clip = (s: string): string => (s.length > NOTE_MAX ? `${s.slice(0, NOTE_MAX - 1)}…` : s);

export function eventNote(e: OperationEvent): string {
  const tokens =
    `type:${e.regarding.kind}, name:${e.regarding.metadata.name}, operation:${e.operation}, ` +
    `status:${e.stage}, reporter:${REPORTING_CONTROLLER}, eventId:${e.eventId}, ` +
    `duration:${e.durationSeconds.toFixed(6)}`;
  return clip(e.detail ? `${tokens}, message:${e.detail}` : tokens);
}

interface EventText {
  regarding: Regarding;
  warning: boolean;
  reason: string;
  action: string;
  message: string;
  /** Count repeats on the first event (host changes; operation notes never repeat). */
  series: boolean;
}

const seconds = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

let lastNanos = 0n;

/** A core v1 Event (first occurrence). */
export function buildCoreEvent(t: EventText, nodeName: string, now = new Date()): Record<string, unknown> {
  const ns = t.regarding.metadata.namespace ?? 'default';
  // Strictly increasing, so two events of one object in the same millisecond keep their order.
  lastNanos =
    BigInt(now.getTime()) * 1_000_000n > lastNanos ? BigInt(now.getTime()) * 1_000_000n : lastNanos + 1n;
  const nanos = lastNanos;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${t.regarding.metadata.name}.${nanos.toString(16)}`.slice(0, 253), namespace: ns },
    eventTime: microTime(now),
    firstTimestamp: seconds(now),
    lastTimestamp: seconds(now),
    count: 1,
    action: t.action.slice(0, 128),
    reason: t.reason.slice(0, 128),
    type: t.warning ? 'Warning' : 'Normal',
    involvedObject: {
      apiVersion: t.regarding.apiVersion,
      kind: t.regarding.kind,
      name: t.regarding.metadata.name,
      namespace: ns,
      ...(t.regarding.metadata.uid ? { uid: t.regarding.metadata.uid } : {}),
    },
    source: { component: REPORTING_CONTROLLER, host: nodeName },
    reportingComponent: REPORTING_CONTROLLER,
    reportingInstance: `${REPORTING_CONTROLLER}-${nodeName}`.slice(0, 128),
    message: clip(t.message),
  };
}

export const operationText = (e: OperationEvent): EventText => ({
  regarding: e.regarding,
  warning: e.warning,
  reason: e.operation,
  action: e.operation,
  message: eventNote(e),
  series: false,
});

export const changeText = (e: HostChangeEvent): EventText => ({
  regarding: e.regarding,
  warning: e.warning,
  reason: e.reason,
  action: 'Observe',
  message: e.message,
  series: true,
});

/** The patch that counts one more occurrence of an event (its `count`-th). */
export function repeatPatch(count: number, now = new Date()): Record<string, unknown> {
  return {
    count,
    lastTimestamp: seconds(now),
    series: { count, lastObservedTime: microTime(now) },
  };
}

interface Written {
  name: string;
  count: number;
  at: number;
}

/**
 * Writes events through a small queue of its own (at most EVENTS_IN_FLIGHT at once), so a burst of
 * operations never lets events crowd out acknowledgements and results at the apiserver.
 */
export class KubeEventSink implements EventSink {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  /** The last write of each distinct event (object, type, reason, message), for series. */
  private readonly recent = new Map<string, Written>();

  constructor(
    private readonly client: KubeClient,
    private readonly nodeName: string,
    private readonly log: Logger,
  ) {}

  emit(e: OperationEvent): Promise<void> {
    return this.write(operationText(e));
  }

  emitChange(e: HostChangeEvent): Promise<void> {
    return this.write(changeText(e));
  }

  private async write(t: EventText): Promise<void> {
    // Built now, so the times are when it happened, not when the queue let it out.
    const now = new Date();
    const body = buildCoreEvent(t, this.nodeName, now);
    if (this.inFlight >= EVENTS_IN_FLIGHT) await new Promise<void>((r) => this.waiting.push(r));
    else this.inFlight++;
    try {
      await this.send(t, body, now);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }

  private async send(t: EventText, body: Record<string, unknown>, now: Date): Promise<void> {
    const ns = t.regarding.metadata.namespace ?? 'default';
    const id = `${ns}/${t.regarding.metadata.uid ?? t.regarding.metadata.name}/${body.type}/${t.reason}/${t.message}`;
    this.prune(now.getTime());
    for (let attempt = 1; attempt <= 3; attempt++) {
      const prev = t.series ? this.recent.get(id) : undefined;
      try {
        if (prev) {
          const count = prev.count + 1;
          await this.client.request('PATCH', `${eventsPath(ns)}/${prev.name}`, {
            body: repeatPatch(count, now),
            patch: 'merge',
            timeoutMs: 10_000,
          });
          this.recent.set(id, { ...prev, count, at: now.getTime() });
        } else {
          await this.client.request('POST', eventsPath(ns), { body, timeoutMs: 10_000 });
          const name = (body.metadata as { name: string }).name;
          if (t.series) this.recent.set(id, { name, count: 1, at: now.getTime() });
        }
        return;
      } catch (err) {
        // The first of a series may be gone (events expire): write a new one.
        if (prev) this.recent.delete(id);
        if (attempt === 3) {
          this.log.warn({ err: String(err), reason: t.reason }, 'event not written');
          return;
        }
        await sleep(200 * attempt);
      }
    }
  }

  private prune(now: number): void {
    for (const [id, w] of this.recent) if (now - w.at > SERIES_WINDOW_MS) this.recent.delete(id);
  }
}

const EVENTS_IN_FLIGHT = 4;
