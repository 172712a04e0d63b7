/** The libvirt RPC client: public surface. */
export * from './api/domain.js';
export * from './api/node.js';
export * from './api/snapshot.js';
export * from './api/stats.js';
export * from './api/storage.js';
export { type ConnectOptions, LibvirtClient } from './client.js';
export * from './connection.js';
export * from './constants.js';
export * from './errors.js';
export {
  ALL_DOMAIN_EVENT_KINDS,
  ALL_STORAGE_POOL_EVENT_KINDS,
  type DomainEvent,
  type DomainEventKind,
  type DomainEventOf,
  LIFECYCLE_DETAILS,
  LIFECYCLE_EVENTS,
  type LibvirtEvent,
  type LifecycleEventType,
  POOL_LIFECYCLE_EVENTS,
  type StoragePoolEvent,
  type StoragePoolEventKind,
} from './events.js';
export {
  type DomainRef,
  type Procedure,
  param,
  paramsToObject,
  procedures,
  type SnapshotRef,
  type StoragePoolRef,
  type StorageVolRef,
  type TypedParam,
  type TypedParamType,
} from './procedures/index.js';
