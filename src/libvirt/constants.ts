/**
 * Enum and flag values of libvirt's public API (facts of its ABI), named as in the C headers
 * without the VIR_ prefix, for the wrappers' `flags` arguments and for reading results.
 */

/** virDomainState, by value. */
export const DOMAIN_STATES = [
  'nostate',
  'running',
  'blocked',
  'paused',
  'shutdown',
  'shutoff',
  'crashed',
  'pmsuspended',
] as const;
export type DomainStateName = (typeof DOMAIN_STATES)[number] | 'unknown';
export const domainStateName = (s: number): DomainStateName => DOMAIN_STATES[s] ?? 'unknown';
/** virDomainState values by name. */
export const DOMAIN_STATE = {
  NOSTATE: 0,
  RUNNING: 1,
  BLOCKED: 2,
  PAUSED: 3,
  SHUTDOWN: 4, // being shut down
  SHUTOFF: 5,
  CRASHED: 6,
  PMSUSPENDED: 7,
} as const;
/** virDomainPausedReason STARTING_UP: paused for a moment inside domainCreate. */
export const DOMAIN_PAUSED_STARTING_UP = 11;

/** virDomainModificationImpact: which definition a change applies to. */
export const DomainAffect = { CURRENT: 0, LIVE: 1, CONFIG: 2 } as const;
/** virDomainDeviceModifyFlags (attach/detach/update device). */
export const DomainDeviceModify = { ...DomainAffect, FORCE: 4 } as const;
export const DomainVcpuFlags = { ...DomainAffect, MAXIMUM: 4, GUEST: 8, HOTPLUGGABLE: 16 } as const;
export const DomainMemoryFlags = { ...DomainAffect, MAXIMUM: 4 } as const;
export const DomainXMLFlags = { SECURE: 1, INACTIVE: 2, UPDATE_CPU: 4, MIGRATABLE: 8 } as const;
export const DomainDefineFlags = { VALIDATE: 1 } as const;
export const DomainUndefineFlags = {
  MANAGED_SAVE: 1,
  SNAPSHOTS_METADATA: 2,
  NVRAM: 4,
  KEEP_NVRAM: 8,
  CHECKPOINTS_METADATA: 16,
} as const;
export const DomainStartFlags = {
  PAUSED: 1,
  AUTODESTROY: 2,
  BYPASS_CACHE: 4,
  FORCE_BOOT: 8,
  VALIDATE: 16,
} as const;
export const DomainShutdownFlags = {
  DEFAULT: 0,
  ACPI_POWER_BTN: 1,
  GUEST_AGENT: 2,
  INITCTL: 4,
  SIGNAL: 8,
  PARAVIRT: 16,
} as const;
export const DomainRebootFlags = DomainShutdownFlags;
export const DomainDestroyFlags = { DEFAULT: 0, GRACEFUL: 1 } as const;
/** virDomainMetadataType. */
export const DomainMetadataType = { DESCRIPTION: 0, TITLE: 1, ELEMENT: 2 } as const;
export const DomainBlockResizeFlags = { BYTES: 1 } as const;
export const DomainSetUserPasswordFlags = { ENCRYPTED: 1 } as const;
/** Timeouts for qemuDomainAgentCommand, in seconds, or one of these. */
export const AgentCommandTimeout = { BLOCK: -2, DEFAULT: -1, NOWAIT: 0 } as const;

export const ConnectListAllDomainsFlags = {
  ACTIVE: 1,
  INACTIVE: 2,
  PERSISTENT: 4,
  TRANSIENT: 8,
  RUNNING: 16,
  PAUSED: 32,
  SHUTOFF: 64,
  OTHER: 128,
  MANAGEDSAVE: 256,
  NO_MANAGEDSAVE: 512,
  AUTOSTART: 1024,
  NO_AUTOSTART: 2048,
  HAS_SNAPSHOT: 4096,
  NO_SNAPSHOT: 8192,
} as const;

export const DomainSnapshotCreateFlags = {
  REDEFINE: 1,
  CURRENT: 2,
  NO_METADATA: 4,
  HALT: 8,
  DISK_ONLY: 16,
  REUSE_EXT: 32,
  QUIESCE: 64,
  ATOMIC: 128,
  LIVE: 256,
  VALIDATE: 512,
} as const;
export const DomainSnapshotDeleteFlags = { CHILDREN: 1, METADATA_ONLY: 2, CHILDREN_ONLY: 4 } as const;
export const DomainSnapshotRevertFlags = { RUNNING: 1, PAUSED: 2, FORCE: 4, RESET_NVRAM: 8 } as const;

export const DomainBlockJobType = ['unknown', 'pull', 'copy', 'commit', 'active-commit', 'backup'] as const;
export const DomainBlockJobStatus = ['completed', 'failed', 'canceled', 'ready'] as const;
export const DomainBlockCommitFlags = {
  SHALLOW: 1,
  DELETE: 2,
  ACTIVE: 4,
  RELATIVE: 8,
  BANDWIDTH_BYTES: 16,
} as const;
export const DomainBlockRebaseFlags = {
  SHALLOW: 1,
  REUSE_EXT: 2,
  COPY_RAW: 4,
  COPY: 8,
  RELATIVE: 16,
  COPY_DEV: 32,
  BANDWIDTH_BYTES: 64,
} as const;
export const DomainBlockCopyFlags = {
  SHALLOW: 1,
  REUSE_EXT: 2,
  TRANSIENT_JOB: 4,
  SYNCHRONOUS_WRITES: 8,
} as const;
export const DomainBlockJobAbortFlags = { ASYNC: 1, PIVOT: 2 } as const;
export const DomainBlockPullFlags = { BANDWIDTH_BYTES: 64 } as const;

export const DomainMigrateFlags = {
  LIVE: 1,
  PEER2PEER: 2,
  TUNNELLED: 4,
  PERSIST_DEST: 8,
  UNDEFINE_SOURCE: 16,
  PAUSED: 32,
  NON_SHARED_DISK: 64,
  NON_SHARED_INC: 128,
  CHANGE_PROTECTION: 256,
  UNSAFE: 512,
  OFFLINE: 1024,
  COMPRESSED: 2048,
  ABORT_ON_ERROR: 4096,
  AUTO_CONVERGE: 8192,
  POSTCOPY: 32768,
  TLS: 65536,
  PARALLEL: 131072,
} as const;

/** virStoragePoolState, by value. */
export const STORAGE_POOL_STATES = ['inactive', 'building', 'running', 'degraded', 'inaccessible'] as const;
export const storagePoolStateName = (s: number): string => STORAGE_POOL_STATES[s] ?? 'unknown';
export const StoragePoolBuildFlags = { NEW: 0, REPAIR: 1, RESIZE: 2, NO_OVERWRITE: 4, OVERWRITE: 8 } as const;
export const StoragePoolDeleteFlags = { NORMAL: 0, ZEROED: 1 } as const;
export const StoragePoolCreateFlags = {
  NORMAL: 0,
  WITH_BUILD: 1,
  WITH_BUILD_OVERWRITE: 2,
  WITH_BUILD_NO_OVERWRITE: 4,
} as const;
export const ConnectListAllStoragePoolsFlags = {
  INACTIVE: 1,
  ACTIVE: 2,
  PERSISTENT: 4,
  TRANSIENT: 8,
  AUTOSTART: 16,
  NO_AUTOSTART: 32,
} as const;

/** virStorageVolType, by value. */
export const STORAGE_VOL_TYPES = ['file', 'block', 'dir', 'network', 'netdir', 'ploop'] as const;
export const storageVolTypeName = (t: number): string => STORAGE_VOL_TYPES[t] ?? 'unknown';
export const StorageVolCreateFlags = { PREALLOC_METADATA: 1, REFLINK: 2, VALIDATE: 4 } as const;
export const StorageVolResizeFlags = { ALLOCATE: 1, DELTA: 2, SHRINK: 4 } as const;
export const StorageVolDeleteFlags = { NORMAL: 0, ZEROED: 1, WITH_SNAPSHOTS: 2 } as const;
