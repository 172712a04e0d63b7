/** Wire values: one-element sets as bare atoms, and update2 diffs per column shape. */
import { describe, expect, it } from 'vitest';
import { parseSchema } from '../../../src/ovn/schema.js';
import { applyDiff, mapOf, optional, setOf, stringsOf, toMap, uuidsOf } from '../../../src/ovn/values.js';

describe('values', () => {
  it('reads sets given as a bare atom, a set or empty', () => {
    expect(setOf('a')).toEqual(['a']);
    expect(setOf(['set', ['a', 'b']])).toEqual(['a', 'b']);
    expect(setOf(['set', []])).toEqual([]);
    expect(uuidsOf(['uuid', 'u1'])).toEqual(['u1']);
    expect(stringsOf(['set', [['uuid', 'u1'], 'x']])).toEqual(['u1', 'x']);
    expect(optional(['set', []])).toBeUndefined();
    expect(optional(true)).toBe(true);
    expect(mapOf(toMap({ a: '1', b: 2 }))).toEqual({ a: '1', b: '2' });
  });

  it('applies diffs: set = symmetric difference, map = changed/added/removed, scalar = new value', () => {
    expect(applyDiff('set', ['set', ['a', 'b']], ['set', ['b', 'c']])).toEqual(['set', ['a', 'c']]);
    expect(applyDiff('set', 'a', 'a')).toEqual(['set', []]);
    expect(
      applyDiff(
        'map',
        toMap({ keep: '1', change: 'old', drop: 'x' }),
        toMap({ change: 'new', drop: 'x', add: 'y' }),
      ),
    ).toEqual(toMap({ keep: '1', change: 'new', add: 'y' }));
    expect(applyDiff('scalar', 'a', 'b')).toBe('b');
    // An optional column: the server sends the new value, or an empty set when cleared.
    expect(applyDiff('scalar', false, true)).toBe(true);
    expect(applyDiff('scalar', 7, ['set', []])).toEqual(['set', []]);
  });

  it('derives column shapes from a schema: optional columns update like scalars', () => {
    const s = parseSchema({
      name: 'X',
      version: '1',
      tables: {
        T: {
          columns: {
            name: { type: 'string' },
            up: { type: { key: 'boolean', min: 0, max: 1 } },
            ports: { type: { key: { type: 'uuid' }, min: 0, max: 'unlimited' } },
            ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
          },
          isRoot: true,
        },
      },
    });
    expect(s.tables.T?.columns).toMatchObject({ name: 'scalar', up: 'scalar', ports: 'set', ids: 'map' });
    expect(s.tables.T?.isRoot).toBe(true);
  });
});
