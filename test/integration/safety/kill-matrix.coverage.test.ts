/**
 * The kill -9 matrix covers every implemented operation that changes the host: each has an entry
 * in some group (kill-matrix.all.ts), is read-only, or is still listed as pending. Needs nothing
 * running; it sits here beside the matrix it checks.
 */
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../../src/executors/registry.js';
import { ALL_MATRIX_ENTRIES, PENDING_MATRIX_ENTRIES } from './kill-matrix.all.js';
import { READ_ONLY_OPERATIONS } from './kill-matrix.entries.js';

const implemented = createRegistry()
  .list()
  .filter((e) => e.implemented);
const key = (kind: string, name: string) => `${kind}.${name}`;

describe('kill -9 matrix coverage', () => {
  it('every entry names an implemented operation of its kind, once', () => {
    const known = new Set(implemented.map((e) => key(e.kind, e.name)));
    const keys = ALL_MATRIX_ENTRIES.map((e) => key(e.kind, e.operation));
    expect(keys.filter((k) => !known.has(k))).toEqual([]);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('every implemented host-changing operation has an entry or is named as pending', () => {
    const covered = new Set([
      ...ALL_MATRIX_ENTRIES.map((e) => e.operation),
      ...READ_ONLY_OPERATIONS,
      ...PENDING_MATRIX_ENTRIES,
    ]);
    expect(implemented.map((e) => e.name).filter((n) => !covered.has(n))).toEqual([]);
    const stale = PENDING_MATRIX_ENTRIES.filter((n) => ALL_MATRIX_ENTRIES.some((e) => e.operation === n));
    expect(stale).toEqual([]);
    if (PENDING_MATRIX_ENTRIES.length) {
      process.stdout.write(`kill -9 matrix: no entry yet for ${PENDING_MATRIX_ENTRIES.join(', ')}\n`);
    }
  });
});
