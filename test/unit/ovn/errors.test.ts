/** RFC 7047 result arrays → one typed error: failing op index, commit-time failures, Conflict. */
import { describe, expect, it } from 'vitest';
import { KubestackError } from '../../../src/errors.js';
import {
  ConstraintViolationError,
  checkOperationResults,
  OvsdbError,
  ReferentialIntegrityViolationError,
  TimedOutError,
} from '../../../src/ovn/errors.js';
import { insert, waitAbsent } from '../../../src/ovn/ops.js';

const ops = [waitAbsent('Logical_Switch', 'sw'), insert('Logical_Switch', { name: 'sw' })];

describe('checkOperationResults', () => {
  it('passes a clean reply', () => {
    expect(checkOperationResults(ops, [{}, { uuid: ['uuid', 'u'] }])).toBeUndefined();
  });

  it('a failed wait guard is a retriable Conflict naming the op', () => {
    const err = checkOperationResults(ops, [
      { error: 'timed out', details: 'where clause test failed' },
      null,
    ]);
    expect(err).toBeInstanceOf(TimedOutError);
    expect(err).toBeInstanceOf(KubestackError);
    expect(err?.reason).toBe('Conflict');
    expect(err?.retriable).toBe(true);
    expect(err?.opIndex).toBe(0);
    expect(err?.message).toMatch(/operation 0 \(wait Logical_Switch\)/);
  });

  it('a commit-time failure is the extra element past the last op', () => {
    const err = checkOperationResults(ops, [
      {},
      { uuid: ['uuid', 'u'] },
      { error: 'constraint violation', details: 'dup' },
    ]);
    expect(err).toBeInstanceOf(ConstraintViolationError);
    expect(err?.opIndex).toBeUndefined();
    expect(err?.reason).toBe('OvsdbError');
    expect(err?.retriable).toBe(false);
    expect(err?.message).toMatch(/at commit: dup/);
  });

  it('maps each RFC string to its class, unknown strings to the base class', () => {
    expect(checkOperationResults(ops, [{}, {}, { error: 'referential integrity violation' }])).toBeInstanceOf(
      ReferentialIntegrityViolationError,
    );
    const other = checkOperationResults(ops, [{ error: 'something new' }, null]);
    expect(other?.constructor).toBe(OvsdbError);
  });
});
