/**
 * Domain events as typed values, and the registry that keeps our subscriptions alive: it knows
 * which event kinds the caller wants, registers them with CALLBACK_REGISTER_ANY, maps the daemon's
 * callback ids back to kinds, and registers everything again after a reconnect (callback ids do
 * not survive a connection).
 */
import type { Codec } from './codec.js';
import { DomainEventId, eventMessages } from './procedures/events.js';
import { type DomainRef, paramsToObject } from './procedures/types.js';
import { XdrReader } from './xdr.js';

export type DomainEventKind =
  | 'lifecycle'
  | 'reboot'
  | 'device-added'
  | 'device-removed'
  | 'block-job'
  | 'block-job-2'
  | 'agent-lifecycle'
  | 'tray-change'
  | 'job-completed';

export const ALL_DOMAIN_EVENT_KINDS: readonly DomainEventKind[] = [
  'lifecycle',
  'reboot',
  'device-added',
  'device-removed',
  'block-job',
  'block-job-2',
  'agent-lifecycle',
  'tray-change',
  'job-completed',
];

/** VIR_DOMAIN_EVENT_* lifecycle event types, by their value. */
export const LIFECYCLE_EVENTS = [
  'Defined',
  'Undefined',
  'Started',
  'Suspended',
  'Resumed',
  'Stopped',
  'Shutdown',
  'PMSuspended',
  'Crashed',
] as const;
export type LifecycleEventType = (typeof LIFECYCLE_EVENTS)[number] | 'Unknown';

/** The detail values of each lifecycle event type (virDomainEvent*DetailType), by value. */
export const LIFECYCLE_DETAILS: Record<(typeof LIFECYCLE_EVENTS)[number], readonly string[]> = {
  Defined: ['added', 'updated', 'renamed', 'from-snapshot'],
  Undefined: ['removed', 'renamed'],
  Started: ['booted', 'migrated', 'restored', 'from-snapshot', 'wakeup'],
  Suspended: [
    'paused',
    'migrated',
    'ioerror',
    'watchdog',
    'restored',
    'from-snapshot',
    'api-error',
    'postcopy',
    'postcopy-failed',
  ],
  Resumed: ['unpaused', 'migrated', 'from-snapshot', 'postcopy', 'postcopy-failed'],
  Stopped: ['shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from-snapshot'],
  Shutdown: ['finished', 'guest', 'host'],
  PMSuspended: ['memory', 'disk'],
  Crashed: ['panicked', 'crashloaded'],
};

function detailName(event: LifecycleEventType, detail: number): string {
  return (event === 'Unknown' ? undefined : LIFECYCLE_DETAILS[event][detail]) ?? 'unknown';
}

export type DomainEvent =
  | {
      kind: 'lifecycle';
      domain: DomainRef;
      event: LifecycleEventType;
      eventCode: number;
      detail: number;
      /** e.g. Stopped: 'shutdown' | 'destroyed' | 'crashed' | 'migrated' | 'saved' | 'failed' | … */
      detailName: string;
    }
  | { kind: 'reboot'; domain: DomainRef }
  | { kind: 'device-added'; domain: DomainRef; devAlias: string }
  | { kind: 'device-removed'; domain: DomainRef; devAlias: string }
  /** `disk` is the disk's path (block-job) or its target name such as vda (block-job-2). */
  | { kind: 'block-job' | 'block-job-2'; domain: DomainRef; disk: string; type: number; status: number }
  | { kind: 'agent-lifecycle'; domain: DomainRef; state: number; reason: number }
  | { kind: 'tray-change'; domain: DomainRef; devAlias: string; reason: number }
  | { kind: 'job-completed'; domain: DomainRef; stats: Record<string, number | boolean | string> };

export type DomainEventOf<K extends DomainEventKind> = Extract<DomainEvent, { kind: K }>;

interface KindSpec {
  eventId: number;
  procedure: number;
  decode(body: Buffer): { callbackID: number; event: DomainEvent };
}

function spec<T extends { callbackID: number }>(
  eventId: number,
  msg: { procedure: number; body: Codec<T> },
  toEvent: (m: T) => DomainEvent,
): KindSpec {
  return {
    eventId,
    procedure: msg.procedure,
    decode: (body) => {
      const m = msg.body.dec(new XdrReader(body));
      return { callbackID: m.callbackID, event: toEvent(m) };
    },
  };
}

const M = eventMessages;
const E = DomainEventId;

export const KIND_SPECS: Record<DomainEventKind, KindSpec> = {
  lifecycle: spec(E.LIFECYCLE, M.lifecycle, ({ msg }) => {
    const event = LIFECYCLE_EVENTS[msg.event] ?? 'Unknown';
    return {
      kind: 'lifecycle',
      domain: msg.dom,
      event,
      eventCode: msg.event,
      detail: msg.detail,
      detailName: detailName(event, msg.detail),
    };
  }),
  reboot: spec(E.REBOOT, M.reboot, ({ msg }) => ({ kind: 'reboot', domain: msg.dom })),
  'device-added': spec(E.DEVICE_ADDED, M.deviceAdded, (m) => ({
    kind: 'device-added',
    domain: m.dom,
    devAlias: m.devAlias,
  })),
  'device-removed': spec(E.DEVICE_REMOVED, M.deviceRemoved, ({ msg }) => ({
    kind: 'device-removed',
    domain: msg.dom,
    devAlias: msg.devAlias,
  })),
  'block-job': spec(E.BLOCK_JOB, M.blockJob, ({ msg }) => ({
    kind: 'block-job',
    domain: msg.dom,
    disk: msg.path,
    type: msg.type,
    status: msg.status,
  })),
  'block-job-2': spec(E.BLOCK_JOB_2, M.blockJob2, (m) => ({
    kind: 'block-job-2',
    domain: m.dom,
    disk: m.dst,
    type: m.type,
    status: m.status,
  })),
  'agent-lifecycle': spec(E.AGENT_LIFECYCLE, M.agentLifecycle, (m) => ({
    kind: 'agent-lifecycle',
    domain: m.dom,
    state: m.state,
    reason: m.reason,
  })),
  'tray-change': spec(E.TRAY_CHANGE, M.trayChange, ({ msg }) => ({
    kind: 'tray-change',
    domain: msg.dom,
    devAlias: msg.devAlias,
    reason: msg.reason,
  })),
  'job-completed': spec(E.JOB_COMPLETED, M.jobCompleted, (m) => ({
    kind: 'job-completed',
    domain: m.dom,
    stats: paramsToObject(m.params),
  })),
};

const kindByProcedure = new Map<number, DomainEventKind>(
  (Object.entries(KIND_SPECS) as [DomainEventKind, KindSpec][]).map(([k, s]) => [s.procedure, k]),
);

/** Registers one kind on the current connection; returns the daemon's callback id. */
export type RegisterFn = (eventId: number) => Promise<number>;

export class EventRegistry {
  private readonly wanted = new Set<DomainEventKind>();
  private callbacks = new Map<number, DomainEventKind>();
  /** Registrations made (or under way) on the current connection, one per kind. */
  private registered = new Map<DomainEventKind, Promise<void>>();

  get kinds(): DomainEventKind[] {
    return [...this.wanted];
  }

  /** Remembers kinds for every connection; registers them now when `register` is given. */
  async add(kinds: readonly DomainEventKind[], register: RegisterFn | undefined): Promise<void> {
    for (const k of kinds) this.wanted.add(k);
    if (register) await Promise.all(kinds.map((k) => this.ensure(k, register)));
  }

  /** A new connection: callback ids of the old one are void. */
  reset(): void {
    this.callbacks = new Map();
    this.registered = new Map();
  }

  /** Registers every wanted kind not yet registered on the current connection. */
  async ensureAll(register: RegisterFn): Promise<void> {
    await Promise.all(this.kinds.map((k) => this.ensure(k, register)));
  }

  private ensure(kind: DomainEventKind, register: RegisterFn): Promise<void> {
    const existing = this.registered.get(kind);
    if (existing) return existing;
    const callbacks = this.callbacks;
    const p = register(KIND_SPECS[kind].eventId).then((id) => {
      callbacks.set(id, kind);
    });
    this.registered.set(kind, p);
    p.catch(() => {
      // A failed registration may be retried by the next subscribe or reconnect.
      if (this.registered.get(kind) === p) this.registered.delete(kind);
    });
    return p;
  }

  /** Decodes an event MESSAGE; undefined when it is not one of ours (unknown procedure or id). */
  decode(procedure: number, body: Buffer): DomainEvent | undefined {
    const kind = kindByProcedure.get(procedure);
    if (!kind) return undefined;
    const { callbackID, event } = KIND_SPECS[kind].decode(body);
    return this.callbacks.get(callbackID) === kind ? event : undefined;
  }
}
