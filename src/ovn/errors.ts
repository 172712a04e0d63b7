/**
 * OVSDB errors: one class per RFC 7047 / ovsdb-server error string, all in the agent's error family.
 * A failed `wait` guard ("timed out" with timeout 0) means someone changed the rows we planned
 * from: a Conflict, retried after the replica catches up. A lost connection is Unavailable.
 */
import { type ErrorOptions, type ErrorReason, KubestackError } from '../errors.js';
import type { Operation, OperationResult } from './protocol.js';

export interface OvsdbErrorDetails {
  /** The RFC error string, e.g. "constraint violation". */
  error: string;
  /** The server's free-text details, if any. */
  serverDetails?: string;
  /** Index of the failing operation in the transaction (undefined: commit-time failure). */
  opIndex?: number;
  /** The failing operation's op name and table (never its row contents, which may be large). */
  op?: string;
  table?: string;
}

export class OvsdbError extends KubestackError {
  readonly error: string;
  readonly serverDetails: string | undefined;
  readonly opIndex: number | undefined;

  constructor(info: OvsdbErrorDetails, opts: ErrorOptions = {}, reason: ErrorReason = 'OvsdbError') {
    const where =
      info.opIndex === undefined
        ? 'at commit'
        : `in operation ${info.opIndex}${info.op ? ` (${info.op}${info.table ? ` ${info.table}` : ''})` : ''}`;
    super(reason, `OVSDB ${info.error} ${where}${info.serverDetails ? `: ${info.serverDetails}` : ''}`, {
      ...opts,
      details: {
        ovsdbError: info.error,
        opIndex: info.opIndex,
        op: info.op,
        table: info.table,
        ...opts.details,
      },
    });
    this.error = info.error;
    this.serverDetails = info.serverDetails;
    this.opIndex = info.opIndex;
  }
}

export class ReferentialIntegrityViolationError extends OvsdbError {}
export class ConstraintViolationError extends OvsdbError {}
export class ResourcesExhaustedError extends OvsdbError {}
export class IoError extends OvsdbError {}
export class DuplicateUuidNameError extends OvsdbError {}
export class DuplicateUuidError extends OvsdbError {}
export class DomainError extends OvsdbError {}
export class OvsdbRangeError extends OvsdbError {}
export class NotSupportedError extends OvsdbError {}
export class AbortedError extends OvsdbError {}
export class NotOwnerError extends OvsdbError {}
export class UnknownDatabaseError extends OvsdbError {}
export class UnknownTableError extends OvsdbError {}
export class UnknownColumnError extends OvsdbError {}
export class OvsdbSyntaxError extends OvsdbError {}
export class PermissionError extends OvsdbError {}
export class ObjectTooBigError extends OvsdbError {}
export class CanceledError extends OvsdbError {}

/** A `wait` operation's condition did not hold: the world changed since we read it. Retriable. */
export class TimedOutError extends OvsdbError {
  constructor(info: OvsdbErrorDetails, opts: ErrorOptions = {}) {
    super(info, { retriable: true, ...opts }, 'Conflict');
  }
}

/** The connection to ovsdb-server is down or was lost while a call was pending. Retriable. */
export class OvsdbUnavailableError extends KubestackError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('Unavailable', message, opts);
  }
}

type OvsdbErrorClass = new (info: OvsdbErrorDetails, opts?: ErrorOptions) => OvsdbError;

const BY_STRING: Readonly<Record<string, OvsdbErrorClass>> = {
  'referential integrity violation': ReferentialIntegrityViolationError,
  'constraint violation': ConstraintViolationError,
  'resources exhausted': ResourcesExhaustedError,
  'I/O error': IoError,
  'duplicate uuid-name': DuplicateUuidNameError,
  'duplicate uuid': DuplicateUuidError,
  'domain error': DomainError,
  'range error': OvsdbRangeError,
  'timed out': TimedOutError,
  'not supported': NotSupportedError,
  aborted: AbortedError,
  'not owner': NotOwnerError,
  'unknown database': UnknownDatabaseError,
  'unknown table': UnknownTableError,
  'unknown column': UnknownColumnError,
  'syntax error': OvsdbSyntaxError,
  'permission error': PermissionError,
  'object too big': ObjectTooBigError,
  canceled: CanceledError,
};

export function ovsdbErrorFor(info: OvsdbErrorDetails): OvsdbError {
  const Cls = BY_STRING[info.error] ?? OvsdbError;
  return new Cls(info);
}

/**
 * Turns a transact reply into the first error it reports, or undefined if all ops succeeded.
 * RFC 7047 §4.1.3: a failing op's element carries `error` and the rest are null; a commit failure
 * adds one element past the last operation.
 */
export function checkOperationResults(
  ops: readonly Operation[],
  results: readonly (OperationResult | null)[],
): OvsdbError | undefined {
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    if (!r || r.error === undefined) continue;
    const op = ops[i];
    return ovsdbErrorFor({
      error: r.error,
      ...(r.details !== undefined ? { serverDetails: r.details } : {}),
      ...(i < ops.length ? { opIndex: i } : {}),
      ...(op ? { op: op.op, ...('table' in op ? { table: op.table } : {}) } : {}),
    });
  }
  if (results.length < ops.length) {
    return ovsdbErrorFor({ error: 'syntax error', serverDetails: 'short transact reply' });
  }
  return undefined;
}
