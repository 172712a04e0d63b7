/**
 * Sizes as clients and the original tools write them: plain digits (thousands separators allowed,
 * as the API document writes `10,737,418,240`) or a number with a binary unit (`10G`, `10GB`,
 * `10GiB`, `512m`; K/M/G/T/P are powers of 1024), and the human form the original reported.
 */
import { ValidationError } from './errors.js';

/** Bytes per unit letter ('' and 'b' are bytes). */
export const BINARY_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

const SIZE_RE = /^\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*([kmgtpb]?)(?:i?b)?\s*$/i;

/** A size split into its number and its unit letter ('' when the text had no unit). */
export interface SizeText {
  readonly number: number;
  readonly fraction: boolean;
  /** Lower case: '', 'b', 'k', 'm', 'g', 't' or 'p'. */
  readonly unit: string;
  /** number × the unit's bytes (not rounded). */
  readonly bytes: number;
}

/** Reads "10G", "10GiB", "512 MB", "10,737,418,240", "1.5t"; undefined when the text is not a size. */
export function readSize(raw: string): SizeText | undefined {
  const m = SIZE_RE.exec(raw);
  if (!m) return undefined;
  const whole = (m[1] ?? '').replace(/,/g, '');
  const unit = (m[3] ?? '').toLowerCase();
  const number = Number(`${whole}.${m[2] ?? '0'}`);
  return { number, fraction: m[2] !== undefined, unit, bytes: number * (BINARY_UNITS[unit] ?? 1) };
}

const UNIT_BYTES: Readonly<Record<string, number>> = { B: 1, KiB: 1024, MiB: 1024 ** 2 };

/**
 * A size in `unit` (B, KiB or MiB): digits alone are already in `unit`; with a suffix the bytes are
 * converted. Undefined when the text is not a size (or is a fraction without a unit), NaN when the
 * result is not a whole number of `unit`.
 */
export function parseSize(raw: string, unit: string): number | undefined {
  const s = readSize(raw);
  if (!s) return undefined;
  if (s.unit === '') return s.fraction ? undefined : s.number;
  const n = s.bytes / (UNIT_BYTES[unit] ?? 1);
  return Number.isInteger(n) ? n : Number.NaN;
}

/**
 * Capacity in bytes from a number or a string: plain bytes ("10737418240") or a unit
 * ("10G", "10GB", "10GiB", "512m"); units are binary, as the original tools read them.
 */
export function parseCapacity(value: unknown, field = 'capacity'): number {
  let bytes: number;
  if (typeof value === 'number') bytes = value;
  else if (typeof value === 'string') {
    const s = readSize(value);
    if (!s) throw new ValidationError(`'${value}' is not a size (bytes, or a number with K/M/G/T)`, field);
    bytes = Math.round(s.bytes);
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
