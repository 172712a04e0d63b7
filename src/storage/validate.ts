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

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

/**
 * Capacity in bytes from a number or a string: plain bytes ("10737418240") or a unit
 * ("10G", "10GB", "10GiB", "512m"); units are binary, as the original tools read them.
 */
export function parseCapacity(value: unknown, field = 'capacity'): number {
  let bytes: number;
  if (typeof value === 'number') bytes = value;
  else if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?\s*$/i.exec(value);
    if (!m) throw new ValidationError(`'${value}' is not a size (bytes, or a number with K/M/G/T)`, field);
    bytes = Math.round(Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1));
  } else throw new ValidationError('a size is required', field);
  if (!Number.isSafeInteger(bytes) || bytes <= 0)
    throw new ValidationError(`'${String(value)}' is not a positive size`, field);
  return bytes;
}

/** Human size as the original reported it (base 1024, one decimal below 10): "2.0 GB", "49 GB". */
export function uniformBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v).toString()} ${units[i]}`;
}
