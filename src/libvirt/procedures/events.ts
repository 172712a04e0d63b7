/**
 * Domain event registration and the event MESSAGE bodies of the REMOTE program. Every "callback"
 * event starts with the callbackID the daemon gave at registration.
 */
import { array, type Codec, int, none, optional, string, struct } from '../codec.js';
import { domainRef, field, proc, storagePoolRef, typedParam } from './types.js';

/** VIR_DOMAIN_EVENT_ID_* values (what REGISTER_ANY subscribes to). */
export const DomainEventId = {
  LIFECYCLE: 0,
  REBOOT: 1,
  BLOCK_JOB: 8,
  TRAY_CHANGE: 10,
  DEVICE_REMOVED: 15,
  BLOCK_JOB_2: 16,
  AGENT_LIFECYCLE: 18,
  DEVICE_ADDED: 19,
  JOB_COMPLETED: 21,
} as const;

/** VIR_STORAGE_POOL_EVENT_ID_* values. */
export const StoragePoolEventId = { LIFECYCLE: 0, REFRESH: 1 } as const;

export const eventProcedures = {
  connectDomainEventCallbackRegisterAny: proc(
    316,
    'CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY',
    struct({ eventID: int, dom: optional(domainRef) }),
    field('callbackID', int),
  ),
  connectDomainEventCallbackDeregisterAny: proc(
    317,
    'CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY',
    field('callbackID', int),
    none,
  ),
  connectStoragePoolEventRegisterAny: proc(
    368,
    'CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY',
    struct({ eventID: int, pool: optional(storagePoolRef) }),
    field('callbackID', int),
  ),
  connectStoragePoolEventDeregisterAny: proc(
    369,
    'CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY',
    field('callbackID', int),
    none,
  ),
};

/** Procedure numbers of the event messages we decode, and their bodies. */
export const eventMessages = {
  lifecycle: {
    procedure: 318,
    body: struct({ callbackID: int, msg: struct({ dom: domainRef, event: int, detail: int }) }),
  },
  reboot: { procedure: 319, body: struct({ callbackID: int, msg: struct({ dom: domainRef }) }) },
  blockJob: {
    procedure: 326,
    body: struct({
      callbackID: int,
      msg: struct({ dom: domainRef, path: string, type: int, status: int }),
    }),
  },
  trayChange: {
    procedure: 328,
    body: struct({ callbackID: int, msg: struct({ dom: domainRef, devAlias: string, reason: int }) }),
  },
  deviceRemoved: {
    procedure: 333,
    body: struct({ callbackID: int, msg: struct({ dom: domainRef, devAlias: string }) }),
  },
  blockJob2: {
    procedure: 339,
    body: struct({ callbackID: int, dom: domainRef, dst: string, type: int, status: int }),
  },
  agentLifecycle: {
    procedure: 348,
    body: struct({ callbackID: int, dom: domainRef, state: int, reason: int }),
  },
  deviceAdded: {
    procedure: 354,
    body: struct({ callbackID: int, dom: domainRef, devAlias: string }),
  },
  poolLifecycle: {
    procedure: 370,
    body: struct({ callbackID: int, pool: storagePoolRef, event: int, detail: int }),
  },
  poolRefresh: { procedure: 373, body: struct({ callbackID: int, pool: storagePoolRef }) },
  jobCompleted: {
    procedure: 363,
    body: struct({ callbackID: int, dom: domainRef, params: array(typedParam, 64) }),
  },
} satisfies Record<string, { procedure: number; body: Codec<{ callbackID: number }> }>;
