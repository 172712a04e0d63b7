/**
 * Domain and storage pool events as typed values, and the registry that keeps our subscriptions
 * alive: it knows which event kinds the caller wants, registers them (domain: CALLBACK_REGISTER_ANY,
 * pool: STORAGE_POOL_EVENT_REGISTER_ANY), maps the daemon's callback ids back to kinds, and
 * registers everything again after a reconnect (callback ids do not survive a connection).
 */
import type { Codec } from './codec.js';
import { DomainEventId, eventMessages, StoragePoolEventId } from './procedures/events.js';
import { type DomainRef, paramsToObject, type StoragePoolRef } from './procedures/types.js';
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

export type StoragePoolEventKind = 'pool-lifecycle' | 'pool-refresh';
export type EventKind = DomainEventKind | StoragePoolEventKind;
export type EventFamily = 'domain' | 'pool';

export const ALL_STORAGE_POOL_EVENT_KINDS: readonly StoragePoolEventKind[] = [
  'pool-lifecycle',
  'pool-refresh',
];

/** VIR_STORAGE_POOL_EVENT_* lifecycle types, by value. */
export const POOL_LIFECYCLE_EVENTS = [
  'Defined',
  'Undefined',
  'Started',
  'Stopped',
  'Created',
  'Deleted',
] as const;

export type StoragePoolEvent =
  | {
      kind: 'pool-lifecycle';
      pool: StoragePoolRef;
      event: (typeof POOL_LIFECYCLE_EVENTS)[number] | 'Unknown';
      eventCode: number;
      detail: number;
    }
  | { kind: 'pool-refresh'; pool: StoragePoolRef };

export type LibvirtEvent = DomainEvent | StoragePoolEvent;

export const isStoragePoolEvent = (e: LibvirtEvent): e is StoragePoolEvent => 'pool' in e;

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
  family: EventFamily;
  eventId: number;
  procedure: number;
  decode(body: Buffer): { callbackID: number; event: LibvirtEvent };
}

function spec<T extends { callbackID: number }>(
  eventId: number,
  msg: { procedure: number; body: Codec<T> },
  toEvent: (m: T) => LibvirtEvent,
  family: EventFamily = 'domain',
): KindSpec {
  return {
    family,
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

export const KIND_SPECS: Record<EventKind, KindSpec> = {
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
  'pool-lifecycle': spec(
    StoragePoolEventId.LIFECYCLE,
    M.poolLifecycle,
    (m) => ({
      kind: 'pool-lifecycle',
      pool: m.pool,
      event: POOL_LIFECYCLE_EVENTS[m.event] ?? 'Unknown',
      eventCode: m.event,
      detail: m.detail,
    }),
    'pool',
  ),
  'pool-refresh': spec(
    StoragePoolEventId.REFRESH,
    M.poolRefresh,
    (m) => ({ kind: 'pool-refresh', pool: m.pool }),
    'pool',
  ),
};

const kindByProcedure = new Map<number, EventKind>(
  (Object.entries(KIND_SPECS) as [EventKind, KindSpec][]).map(([k, s]) => [s.procedure, k]),
);

/** Registers one kind on the current connection; returns the daemon's callback id. */
export type RegisterFn = (family: EventFamily, eventId: number) => Promise<number>;

/** Domain and pool callback ids come from different drivers and may overlap: key them by family. */
const callbackKey = (family: EventFamily, id: number): string => `${family}:${id}`;

export class EventRegistry {
  private readonly wanted = new Set<EventKind>();
  private callbacks = new Map<string, EventKind>();
  /** Registrations made (or under way) on the current connection, one per kind. */
  private registered = new Map<EventKind, Promise<void>>();

  get kinds(): EventKind[] {
    return [...this.wanted];
  }

  /** Remembers kinds for every connection; registers them now when `register` is given. */
  async add(kinds: readonly EventKind[], register: RegisterFn | undefined): Promise<void> {
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

  private ensure(kind: EventKind, register: RegisterFn): Promise<void> {
    const existing = this.registered.get(kind);
    if (existing) return existing;
    const callbacks = this.callbacks;
    const { family, eventId } = KIND_SPECS[kind];
    const p = register(family, eventId).then((id) => {
      callbacks.set(callbackKey(family, id), kind);
    });
    this.registered.set(kind, p);
    p.catch(() => {
      // A failed registration may be retried by the next subscribe or reconnect.
      if (this.registered.get(kind) === p) this.registered.delete(kind);
    });
    return p;
  }

  /** Decodes an event MESSAGE; undefined when it is not one of ours (unknown procedure or id). */
  decode(procedure: number, body: Buffer): LibvirtEvent | undefined {
    const kind = kindByProcedure.get(procedure);
    if (!kind) return undefined;
    const spec = KIND_SPECS[kind];
    const { callbackID, event } = spec.decode(body);
    return this.callbacks.get(callbackKey(spec.family, callbackID)) === kind ? event : undefined;
  }
}
