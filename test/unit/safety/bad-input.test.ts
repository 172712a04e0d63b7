/**
 * The bad-input corpus at the validation level: every payload in every string parameter of every
 * implemented operation is refused by `validateParams` as InvalidParameter naming that parameter.
 * (The host-level half — nothing changes on the host — is test/integration/safety/bad-input.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { validateParams } from '../../../src/executors/validate.js';
import { baseline, CORPUS, corpusCases } from './corpus.js';

const cases = corpusCases();

describe('bad-input corpus (validation)', () => {
  it('covers every implemented operation with a string parameter', () => {
    expect(cases.length).toBeGreaterThan(CORPUS.strings.length * 20);
  });

  it('every baseline request (documented examples) is valid on its own', () => {
    const ops = [...new Set(cases.map((c) => c.op))];
    const invalid = ops.flatMap((op) => {
      try {
        validateParams(op, baseline(op));
        return [];
      } catch (err) {
        return [`${op.name}: ${(err as Error).message}`];
      }
    });
    expect(invalid).toEqual([]);
  });

  it('each payload is InvalidParameter naming the parameter', () => {
    const accepted: string[] = [];
    for (const { op, param, payload } of cases) {
      const raw = { ...baseline(op), [param]: payload.value };
      try {
        validateParams(op, raw);
        accepted.push(
          `${op.name}.${param} accepted ${payload.category} ${JSON.stringify(payload.value).slice(0, 40)}`,
        );
      } catch (err) {
        const field = err instanceof ValidationError ? err.field : undefined;
        if (field !== param) {
          accepted.push(`${op.name}.${param} ${payload.category}: ${(err as Error).message.slice(0, 120)}`);
        }
      }
    }
    expect(accepted).toEqual([]);
  });
});
