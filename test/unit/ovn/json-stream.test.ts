/** Framing: concatenated JSON texts with no delimiter, split anywhere, must come out whole. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonStreamSplitter } from '../../../src/ovn/json-stream.js';

function feed(splitter: JsonStreamSplitter, bytes: Buffer, cuts: number[]): unknown[] {
  const out: unknown[] = [];
  let prev = 0;
  for (const c of [...cuts.filter((x) => x > 0 && x < bytes.length)].sort((a, b) => a - b)) {
    out.push(...splitter.push(bytes.subarray(prev, c)));
    prev = c;
  }
  out.push(...splitter.push(bytes.subarray(prev)));
  return out;
}

describe('JsonStreamSplitter', () => {
  it('splits back-to-back messages as ovsdb-server sends them', () => {
    const s = new JsonStreamSplitter();
    expect(s.push(Buffer.from('{"id":1,"result":[]}{"id":2,"result":{}}\n[1,2]'))).toEqual([
      { id: 1, result: [] },
      { id: 2, result: {} },
      [1, 2],
    ]);
  });

  it('is not fooled by brackets, quotes and escapes inside strings, or multi-byte UTF-8', () => {
    const msg = { a: '}{][', b: 'say \\"hi\\" }', c: 'naïve — 名字 🚀', d: '\\' };
    const bytes = Buffer.from(JSON.stringify(msg) + JSON.stringify(msg));
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(feed(new JsonStreamSplitter(), bytes, [cut])).toEqual([msg, msg]);
    }
  });

  it('any sequence of JSON objects, cut at any points, round-trips', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(2000), { maxLength: 10 }),
        (msgs, cuts) => {
          const bytes = Buffer.from(msgs.map((m) => JSON.stringify(m)).join(''));
          expect(feed(new JsonStreamSplitter(), bytes, cuts)).toEqual(JSON.parse(JSON.stringify(msgs)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects garbage between messages and unbalanced brackets', () => {
    expect(() => new JsonStreamSplitter().push(Buffer.from('{"a":1} x'))).toThrow(/unexpected byte/);
    expect(() => new JsonStreamSplitter().push(Buffer.from('}'))).toThrow(/unbalanced/);
  });
});
