/**
 * Kubernetes Events (events.k8s.io/v1) for operations: `Doing` when one starts, `Done` when it ends
 * (Warning on failure). The note keeps uni-virt's tokens so existing consumers still parse it; we add
 * `regarding.apiVersion` and `uid` so `kubectl describe` lists them. Emitting never throws: an event
 * that cannot be written is logged and dropped, it never fails the operation.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../kinds.js';
import type { Logger } from '../log.js';
import { sleep } from '../timing.js';
import type { KubeClient } from './kube/client.js';
import { eventsPath } from './kube/paths.js';
import { type EVENT_DOING, type EVENT_DONE, REPORTING_CONTROLLER } from './reasons.js';
import { microTime } from './status.js';

export interface OperationEvent {
  regarding: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>;
  operation: string;
  stage: typeof EVENT_DOING | typeof EVENT_DONE;
  warning: boolean;
  eventId: string;
  durationSeconds: number;
  /** Appended after the uni-virt tokens (e.g. the failure message). */
  detail?: string;
}

export interface EventSink {
  emit(e: OperationEvent): Promise<void>;
}

const NOTE_MAX = 1024;

export function eventNote(e: OperationEvent): string {
  const tokens =
    `type:${e.regarding.kind}, name:${e.regarding.metadata.name}, operation:${e.operation}, ` +
    `status:${e.stage}, reporter:${REPORTING_CONTROLLER}, eventId:${e.eventId}, ` +
    `duration:${e.durationSeconds.toFixed(6)}`;
  const full = e.detail ? `${tokens}, message:${e.detail}` : tokens;
  return full.length > NOTE_MAX ? `${full.slice(0, NOTE_MAX - 1)}…` : full;
}

export function buildEvent(e: OperationEvent, nodeName: string, now = new Date()): Record<string, unknown> {
  const ns = e.regarding.metadata.namespace ?? 'default';
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: randomUUID(), namespace: ns },
    eventTime: microTime(now),
    action: e.operation.slice(0, 128),
    reason: e.operation.slice(0, 128),
    type: e.warning ? 'Warning' : 'Normal',
    regarding: {
      apiVersion: e.regarding.apiVersion,
      kind: e.regarding.kind,
      name: e.regarding.metadata.name,
      namespace: ns,
      ...(e.regarding.metadata.uid ? { uid: e.regarding.metadata.uid } : {}),
    },
    reportingController: REPORTING_CONTROLLER,
    reportingInstance: `${REPORTING_CONTROLLER}-${nodeName}`.slice(0, 128),
    note: eventNote(e),
  };
}

/**
 * Writes events through a small queue of its own (at most EVENTS_IN_FLIGHT at once), so a burst of
 * operations never lets events crowd out acknowledgements and results at the apiserver.
 */
export class KubeEventSink implements EventSink {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly client: KubeClient,
    private readonly nodeName: string,
    private readonly log: Logger,
  ) {}

  async emit(e: OperationEvent): Promise<void> {
    // Built now, so eventTime is when it happened, not when the queue let it out.
    const body = buildEvent(e, this.nodeName);
    if (this.inFlight >= EVENTS_IN_FLIGHT) await new Promise<void>((r) => this.waiting.push(r));
    else this.inFlight++;
    try {
      await this.send(e, body);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }

  private async send(e: OperationEvent, body: Record<string, unknown>): Promise<void> {
    const ns = e.regarding.metadata.namespace ?? 'default';
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await this.client.request('POST', eventsPath(ns), { body, timeoutMs: 10_000 });
        return;
      } catch (err) {
        if (attempt === 3) {
          this.log.warn({ err: String(err), operation: e.operation, stage: e.stage }, 'event not written');
          return;
        }
        await sleep(200 * attempt);
      }
    }
  }
}

const EVENTS_IN_FLIGHT = 4;
