/** Apiserver answers mapped into the one error family; which ones are retriable is said below. */
import { KubestackError } from '../../errors.js';

export class KubeApiError extends KubestackError {
  /** HTTP status, or 0 when the apiserver could not be reached at all. */
  readonly status: number;
  constructor(status: number, method: string, path: string, message: string, cause?: unknown) {
    super(
      reasonFor(status),
      `${method} ${path}: ${status === 0 ? 'unreachable' : status} ${message}`.trim(),
      {
        cause,
        details: { status, method, path },
        // 401/403 are retried too: a restarted apiserver answers them until its authorizer caches
        // have synced (seen on the test bed), and a result must not be dropped for that.
        retriable: [0, 401, 403, 409, 429].includes(status) || status >= 500,
      },
    );
    this.status = status;
  }
}

function reasonFor(status: number): KubestackError['reason'] {
  if (status === 404) return 'NotFound';
  if (status === 409) return 'Conflict';
  if (status === 0 || status === 429 || status >= 500) return 'Unavailable';
  if (status === 400 || status === 422) return 'InvalidParameter';
  return 'Internal';
}

export const isNotFound = (e: unknown): boolean => e instanceof KubeApiError && e.status === 404;
export const isConflict = (e: unknown): boolean => e instanceof KubeApiError && e.status === 409;
export const isGone = (e: unknown): boolean => e instanceof KubeApiError && e.status === 410;
