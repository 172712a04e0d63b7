/** Input rules for the storage engine: names and capacities (paths: ../paths.ts). */
import { ValidationError } from '../errors.js';
import { assertResourceName } from '../names.js';

// Resource names become directory and file names, so they must also start with a letter or digit
// (no hidden name, no '..').
export function assertName(value: unknown, field: string): string {
  return assertResourceName(value, field, field, { leadingAlnum: true });
}

// Internal snapshot names go to qemu-img as an argument of -c/-a/-d; keep them plain too.
const SNAP_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export function assertSnapshotName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !SNAP_RE.test(value)) {
    throw new ValidationError(`'${String(value)}' is not a valid snapshot name`, field);
  }
  return value;
}
