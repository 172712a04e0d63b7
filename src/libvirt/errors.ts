/**
 * Errors of the libvirt client, all in the agent's one error family (KubestackError).
 * libvirt's numeric codes (virErrorNumber) are facts of its public ABI; we name the ones the agent
 * reacts to and map each to an ErrorReason, so executors never match on message text.
 */
import { type ErrorReason, KubestackError } from '../errors.js';

/** libvirt error codes (virErrorNumber values) the agent cares about. */
export const LibvirtErrorCode = {
  INTERNAL_ERROR: 1,
  NO_MEMORY: 2,
  NO_SUPPORT: 3,
  NO_CONNECT: 5,
  INVALID_CONN: 6,
  INVALID_DOMAIN: 7,
  INVALID_ARG: 8,
  OPERATION_FAILED: 9,
  XML_ERROR: 27,
  DOM_EXIST: 28,
  OPERATION_DENIED: 29,
  XML_DETAIL: 35,
  NETWORK_EXIST: 37,
  SYSTEM_ERROR: 38,
  RPC: 39,
  NO_DOMAIN: 42,
  NO_NETWORK: 43,
  AUTH_FAILED: 45,
  INVALID_STORAGE_POOL: 46,
  INVALID_STORAGE_VOL: 47,
  NO_STORAGE_POOL: 49,
  NO_STORAGE_VOL: 50,
  NO_NODE_DEVICE: 53,
  OPERATION_INVALID: 55,
  NO_INTERFACE: 57,
  NO_NWFILTER: 62,
  NO_SECRET: 66,
  CONFIG_UNSUPPORTED: 67,
  OPERATION_TIMEOUT: 68,
  INVALID_DOMAIN_SNAPSHOT: 71,
  NO_DOMAIN_SNAPSHOT: 72,
  ARGUMENT_UNSUPPORTED: 74,
  STORAGE_POOL_BUILT: 76,
  OPERATION_ABORTED: 78,
  NO_DOMAIN_METADATA: 80,
  BLOCK_COPY_ACTIVE: 83,
  OPERATION_UNSUPPORTED: 84,
  AGENT_UNRESPONSIVE: 86,
  RESOURCE_BUSY: 87,
  ACCESS_DENIED: 88,
  STORAGE_VOL_EXIST: 90,
  CPU_INCOMPATIBLE: 91,
  XML_INVALID_SCHEMA: 92,
  AGENT_UNSYNCED: 97,
  DEVICE_MISSING: 99,
} as const;

export type LibvirtErrorCodeName = keyof typeof LibvirtErrorCode;

const codeNames = new Map<number, LibvirtErrorCodeName>(
  Object.entries(LibvirtErrorCode).map(([k, v]) => [v, k as LibvirtErrorCodeName]),
);

const C = LibvirtErrorCode;
const reasonByCode = new Map<number, ErrorReason>([
  [C.NO_DOMAIN, 'NotFound'],
  [C.NO_NETWORK, 'NotFound'],
  [C.NO_STORAGE_POOL, 'NotFound'],
  [C.NO_STORAGE_VOL, 'NotFound'],
  [C.NO_NODE_DEVICE, 'NotFound'],
  [C.NO_INTERFACE, 'NotFound'],
  [C.NO_NWFILTER, 'NotFound'],
  [C.NO_SECRET, 'NotFound'],
  [C.NO_DOMAIN_SNAPSHOT, 'NotFound'],
  [C.NO_DOMAIN_METADATA, 'NotFound'],
  [C.DEVICE_MISSING, 'NotFound'],
  [C.DOM_EXIST, 'AlreadyExists'],
  [C.NETWORK_EXIST, 'AlreadyExists'],
  [C.STORAGE_VOL_EXIST, 'AlreadyExists'],
  [C.STORAGE_POOL_BUILT, 'AlreadyExists'],
  [C.NO_SUPPORT, 'Unsupported'],
  [C.CONFIG_UNSUPPORTED, 'Unsupported'],
  [C.ARGUMENT_UNSUPPORTED, 'Unsupported'],
  [C.OPERATION_UNSUPPORTED, 'Unsupported'],
  [C.INVALID_ARG, 'InvalidParameter'],
  [C.XML_ERROR, 'InvalidParameter'],
  [C.XML_DETAIL, 'InvalidParameter'],
  [C.XML_INVALID_SCHEMA, 'InvalidParameter'],
  [C.OPERATION_TIMEOUT, 'Timeout'],
  [C.AGENT_UNRESPONSIVE, 'Timeout'],
  [C.RESOURCE_BUSY, 'InUse'],
  [C.BLOCK_COPY_ACTIVE, 'InUse'],
]);

/** The ErrorReason a libvirt error code maps to ('LibvirtError' when nothing more precise fits). */
export function reasonForLibvirtCode(code: number): ErrorReason {
  return reasonByCode.get(code) ?? 'LibvirtError';
}

/** The decoded `remote_error` of a failed call. */
export interface RemoteErrorFields {
  code: number;
  domain: number;
  message: string | null;
  level: number;
}

/** libvirtd refused or failed a call: carries libvirt's code, error domain and message. */
export class LibvirtError extends KubestackError {
  readonly code: number;
  /** libvirt's error domain (virErrorDomain: which driver raised it), not a VM. */
  readonly errorDomain: number;
  readonly level: number;
  readonly libvirtMessage: string;
  readonly procedure: string | undefined;

  constructor(fields: RemoteErrorFields, procedure?: string) {
    const message = fields.message ?? `libvirt error ${fields.code}`;
    const codeName = codeNames.get(fields.code);
    super(reasonForLibvirtCode(fields.code), message, {
      // Connection-level RPC failures may succeed on a fresh connection.
      retriable: fields.code === C.RPC || fields.code === C.NO_CONNECT || fields.code === C.INVALID_CONN,
      details: {
        libvirtCode: fields.code,
        ...(codeName ? { libvirtCodeName: codeName } : {}),
        libvirtDomain: fields.domain,
        ...(procedure ? { procedure } : {}),
      },
    });
    this.code = fields.code;
    this.errorDomain = fields.domain;
    this.level = fields.level;
    this.libvirtMessage = message;
    this.procedure = procedure;
  }

  get codeName(): LibvirtErrorCodeName | undefined {
    return codeNames.get(this.code);
  }

  is(name: LibvirtErrorCodeName): boolean {
    return this.code === LibvirtErrorCode[name];
  }

  get isNoDomain(): boolean {
    return this.code === C.NO_DOMAIN;
  }

  get isOperationInvalid(): boolean {
    return this.code === C.OPERATION_INVALID;
  }

  get isNoStoragePool(): boolean {
    return this.code === C.NO_STORAGE_POOL;
  }

  get isNoStorageVol(): boolean {
    return this.code === C.NO_STORAGE_VOL;
  }

  get isNoSnapshot(): boolean {
    return this.code === C.NO_DOMAIN_SNAPSHOT;
  }
}

/** The daemon does not know the procedure (older libvirt) or the feature. */
export class LibvirtUnsupportedError extends LibvirtError {}

/** The connection to libvirtd is gone (or was never made); the call may be retried. */
export class LibvirtDisconnectedError extends KubestackError {
  constructor(message = 'not connected to libvirtd', cause?: unknown) {
    super('Unavailable', message, { retriable: true, ...(cause === undefined ? {} : { cause }) });
  }
}

/** The peer sent bytes that break the protocol (bad length, truncated XDR, unknown serial). */
export class LibvirtProtocolError extends KubestackError {
  constructor(message: string) {
    super('Internal', `libvirt protocol: ${message}`);
  }
}

/** Builds the right subclass for a decoded remote_error. */
export function libvirtErrorFrom(fields: RemoteErrorFields, procedure?: string): LibvirtError {
  if (fields.code === C.NO_SUPPORT && /unknown procedure/i.test(fields.message ?? '')) {
    return new LibvirtUnsupportedError(fields, procedure);
  }
  return new LibvirtError(fields, procedure);
}

export const isLibvirtError = (err: unknown): err is LibvirtError => err instanceof LibvirtError;
