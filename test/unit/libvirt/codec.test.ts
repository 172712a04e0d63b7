import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  array,
  type Codec,
  charArray,
  hyper,
  int,
  opaque,
  optional,
  string,
  struct,
  uhyper,
  uint,
  uuid,
} from '../../../src/libvirt/codec.js';
import { LibvirtProtocolError } from '../../../src/libvirt/errors.js';
import { domainRef, type TypedParam, typedParam } from '../../../src/libvirt/procedures/types.js';
import { XdrReader, XdrWriter } from '../../../src/libvirt/xdr.js';

function roundTrip<T>(c: Codec<T>, v: T): { value: T; bytes: Buffer } {
  const w = new XdrWriter(8);
  c.enc(w, v);
  const bytes = Buffer.from(w.bytes());
  const r = new XdrReader(bytes);
  const value = c.dec(r);
  expect(r.remaining).toBe(0);
  return { value, bytes };
}

describe('XDR codec', () => {
  it('encodes integers big-endian in 4 or 8 bytes', () => {
    expect(roundTrip(int, -2).bytes.toString('hex')).toBe('fffffffe');
    expect(roundTrip(uint, 0x20008086).bytes.toString('hex')).toBe('20008086');
    expect(roundTrip(uhyper, 2 ** 40 + 1).bytes.toString('hex')).toBe('0000010000000001');
    expect(roundTrip(hyper, -1).bytes.toString('hex')).toBe('ffffffffffffffff');
  });

  it('pads strings and opaques to 4 bytes, with a length word', () => {
    expect(roundTrip(string, 'abcde').bytes.toString('hex')).toBe('000000056162636465000000');
    expect(roundTrip(opaque, Buffer.from([1, 2])).bytes.toString('hex')).toBe('0000000201020000');
    expect(roundTrip(string, 'ünï').value).toBe('ünï');
  });

  it('encodes optional data as a boolean word then the value', () => {
    expect(roundTrip(optional(string), null).bytes.toString('hex')).toBe('00000000');
    expect(roundTrip(optional(string), 'a').bytes.toString('hex')).toBe('000000010000000161000000');
  });

  it('reads a char[32] model (one word per char) as a string', () => {
    const { value, bytes } = roundTrip(charArray(32), 'x86_64');
    expect(bytes.length).toBe(128);
    expect(value).toBe('x86_64');
  });

  it('round-trips domain refs with their UUID as canonical text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 64 }),
        fc.uuid(),
        fc.integer({ min: -1, max: 2 ** 31 - 1 }),
        (name, u, id) => {
          const d = { name, uuid: u.toLowerCase(), id };
          expect(roundTrip(domainRef, d).value).toEqual(d);
        },
      ),
    );
  });

  it('round-trips typed parameters of every type', () => {
    const arb: fc.Arbitrary<TypedParam> = fc.oneof(
      fc.record({
        field: fc.string(),
        type: fc.constant('int' as const),
        value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      }),
      fc.record({
        field: fc.string(),
        type: fc.constant('uint' as const),
        value: fc.nat({ max: 2 ** 32 - 1 }),
      }),
      fc.record({ field: fc.string(), type: fc.constant('llong' as const), value: fc.maxSafeInteger() }),
      fc.record({ field: fc.string(), type: fc.constant('ullong' as const), value: fc.maxSafeNat() }),
      fc.record({
        field: fc.string(),
        type: fc.constant('double' as const),
        value: fc.double({ noNaN: true }),
      }),
      fc.record({ field: fc.string(), type: fc.constant('boolean' as const), value: fc.boolean() }),
      fc.record({ field: fc.string(), type: fc.constant('string' as const), value: fc.string() }),
    );
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 16 }), (ps) => {
        expect(roundTrip(array(typedParam, 16), ps).value).toEqual(ps);
      }),
    );
  });

  it('round-trips nested structs', () => {
    const c = struct({ a: int, b: optional(struct({ s: string, n: uhyper })), c: array(uint, 4) });
    const v = { a: 7, b: { s: 'x', n: 5 }, c: [1, 2, 3] };
    expect(roundTrip(c, v).value).toEqual(v);
  });

  it('refuses truncated input, oversized arrays and bad UUIDs', () => {
    expect(() => string.dec(new XdrReader(Buffer.from('0000000561', 'hex')))).toThrow(LibvirtProtocolError);
    expect(() => array(int, 2).dec(new XdrReader(Buffer.from('00000003', 'hex')))).toThrow(/limit/);
    expect(() => array(int, 2).enc(new XdrWriter(), [1, 2, 3])).toThrow(/limit/);
    expect(() => uuid.enc(new XdrWriter(), 'not-a-uuid')).toThrow(/UUID/);
    expect(() => string.dec(new XdrReader(Buffer.from('00500000', 'hex')))).toThrow(/4 MiB/);
  });
});
