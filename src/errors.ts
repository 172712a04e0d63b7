/**
 * The one error family of the agent. Every layer (libvirt client, OVSDB client, storage engine,
 * executors, agent) throws a KubestackError or a subclass; the status writer turns `reason` and
 * `message` into what users see, and the queue retries only what is `retriable`.
 */

export type ErrorReason =
  | 'InvalidParameter' // the request is malformed or breaks a documented constraint; nothing ran
  | 'NotFound' // a named object (domain, pool, disk, switch, …) does not exist
  | 'AlreadyExists' // the name is taken
  | 'InUse' // refused: something still uses it (a disk by a domain, a backing file, …)
  | 'Conflict' // a concurrent change (apiserver 409, OVSDB wait failed); retried
  | 'Unsupported' // the operation or option is not supported on this node
  | 'Timeout' // a bounded wait ran out
  | 'Unavailable' // a dependency (apiserver, libvirtd, OVSDB) is unreachable right now; retried
  | 'LibvirtError' // libvirtd refused or failed
  | 'OvsdbError' // an OVSDB transaction failed
  | 'CommandFailed' // an external command (qemu-img, mount, …) failed
  | 'Internal'; // a bug: nothing else fits

export interface ErrorOptions {
  cause?: unknown;
  retriable?: boolean;
  /** Structured facts for logs and `status.lastOperation.error` (no secrets). */
  details?: Record<string, unknown>;
}

export class KubestackError extends Error {
  readonly reason: ErrorReason;
  readonly retriable: boolean;
  readonly details: Record<string, unknown>;

  constructor(reason: ErrorReason, message: string, opts: ErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.reason = reason;
    this.retriable = opts.retriable ?? (reason === 'Conflict' || reason === 'Unavailable');
    this.details = opts.details ?? {};
  }
}

/** A request parameter breaks its constraint. `field` is the parameter's name as the user wrote it. */
export class ValidationError extends KubestackError {
  readonly field: string | undefined;
  constructor(message: string, field?: string, opts: ErrorOptions = {}) {
    super('InvalidParameter', field ? `${field}: ${message}` : message, {
      ...opts,
      details: { ...(field ? { field } : {}), ...opts.details },
    });
    this.field = field;
  }
}

export class NotFoundError extends KubestackError {
  constructor(what: string, name: string, opts: ErrorOptions = {}) {
    super('NotFound', `${what} '${name}' not found`, opts);
  }
}

export class AlreadyExistsError extends KubestackError {
  constructor(what: string, name: string, opts: ErrorOptions = {}) {
    super('AlreadyExists', `${what} '${name}' already exists`, opts);
  }
}

export class InUseError extends KubestackError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('InUse', message, opts);
  }
}

export class UnsupportedError extends KubestackError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('Unsupported', message, opts);
  }
}

export class TimeoutError extends KubestackError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('Timeout', message, opts);
  }
}

/** An external command failed: its name, exit code and the tail of its stderr. */
export class CommandError extends KubestackError {
  constructor(command: string, exitCode: number | undefined, stderrTail: string, opts: ErrorOptions = {}) {
    const tail = stderrTail.trim();
    super(
      'CommandFailed',
      `${command} failed${exitCode === undefined ? '' : ` (exit ${exitCode})`}${tail ? `: ${tail}` : ''}`,
      {
        ...opts,
        details: { command, exitCode, ...opts.details },
      },
    );
  }
}

/** Wraps anything thrown into the family, keeping KubestackErrors as they are. */
export function asKubestackError(err: unknown): KubestackError {
  if (err instanceof KubestackError) return err;
  if (err instanceof Error) return new KubestackError('Internal', err.message, { cause: err });
  return new KubestackError('Internal', String(err));
}

/** The message of anything thrown, for logs. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
