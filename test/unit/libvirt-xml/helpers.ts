import { expect } from 'vitest';
import { KubestackError, ValidationError } from '../../../src/errors.js';

/** Asserts that `fn` throws a ValidationError for `field` whose message matches `pattern`. */
export function expectInvalid(fn: () => unknown, field: string, pattern: RegExp | string): ValidationError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a ValidationError').toBeInstanceOf(ValidationError);
  const err = caught as ValidationError;
  expect(err.field).toBe(field);
  expect(err.reason).toBe('InvalidParameter');
  expect(err.message.startsWith(`${field}: `)).toBe(true);
  if (typeof pattern === 'string') expect(err.message).toContain(pattern);
  else expect(err.message).toMatch(pattern);
  return err;
}

/** Runs `fn` and returns what it threw (failing if nothing was thrown). */
export function thrown(fn: () => unknown): KubestackError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KubestackError);
    return err as KubestackError;
  }
  throw new Error('expected an error');
}
