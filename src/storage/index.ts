/** The storage engine: see engine.ts for the API and docs/storage.md for the design. */

export type { CloneDiskParams, CreateDiskParams, DiskInfo, DiskRef, ResizeDiskParams } from './disks.js';
export { DEFAULT_STATE_DIR, StorageEngine, type StorageEngineOptions } from './engine.js';
export type {
  CloudInitParams,
  CreateDiskFromImageParams,
  CreateDiskImageParams,
  CreateVMImageParams,
  VMImageInfo,
} from './images.js';
export { scanDomainUse } from './in-use.js';
export { type RecoveryResult, recoverStorageJournal } from './journal.js';
export type { CreatePoolParams, PoolInfo } from './pool-ops.js';
export {
  FilePoolRegistry,
  type PoolContent,
  type PoolRecord,
  type PoolRegistry,
  type PoolType,
} from './pools.js';
export type { BlockJobInfo, DomainUse, DomainUseCheck, OnlineSnapshotPort } from './ports.js';
export type { SnapshotInfo, SnapshotRef } from './snapshots.js';
