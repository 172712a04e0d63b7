/**
 * Small combinators that describe XDR structures as data, so the procedure table can state
 * "args are {dom, flags}" once and get both the encoder and the decoder, fully typed.
 */
import { LibvirtProtocolError } from './errors.js';
import type { XdrReader, XdrWriter } from './xdr.js';

export interface Codec<T> {
  enc(w: XdrWriter, v: T): void;
  dec(r: XdrReader): T;
}

export type Infer<C> = C extends Codec<infer T> ? T : never;

export const int: Codec<number> = { enc: (w, v) => w.int(v), dec: (r) => r.int() };
export const uint: Codec<number> = { enc: (w, v) => w.uint(v), dec: (r) => r.uint() };
export const hyper: Codec<number> = { enc: (w, v) => w.hyper(v), dec: (r) => r.hyper() };
export const uhyper: Codec<number> = { enc: (w, v) => w.uhyper(v), dec: (r) => r.uhyper() };
export const double: Codec<number> = { enc: (w, v) => w.double(v), dec: (r) => r.double() };
/** An XDR int used as a boolean (libvirt's `int autostart`, `int active`, …). */
export const bool: Codec<boolean> = { enc: (w, v) => w.bool(v), dec: (r) => r.bool() };
export const string: Codec<string> = { enc: (w, v) => w.string(v), dec: (r) => r.string() };
export const opaque: Codec<Buffer> = { enc: (w, v) => w.opaque(v), dec: (r) => r.opaque() };
export const none: Codec<undefined> = { enc: () => {}, dec: () => undefined };

/** XDR optional-data (`type *name`): a boolean word, then the value if present. */
export function optional<T>(c: Codec<T>): Codec<T | null> {
  return {
    enc: (w, v) => {
      if (v === null || v === undefined) {
        w.bool(false);
      } else {
        w.bool(true);
        c.enc(w, v);
      }
    },
    dec: (r) => (r.bool() ? c.dec(r) : null),
  };
}

/** Variable-length array with libvirt's per-type maximum. */
export function array<T>(c: Codec<T>, max: number): Codec<T[]> {
  return {
    enc: (w, v) => {
      if (v.length > max) throw new LibvirtProtocolError(`array of ${v.length} exceeds its limit ${max}`);
      w.uint(v.length);
      for (const item of v) c.enc(w, item);
    },
    dec: (r) => {
      const n = r.uint();
      if (n > max) throw new LibvirtProtocolError(`array of ${n} exceeds its limit ${max}`);
      const out: T[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = c.dec(r);
      return out;
    },
  };
}

/** A fixed array of XDR `char`s (each one a 4-byte word), read as a NUL-terminated string. */
export function charArray(n: number): Codec<string> {
  return {
    enc: (w, v) => {
      const bytes = Buffer.from(v, 'latin1');
      for (let i = 0; i < n; i++) w.int(bytes[i] ?? 0);
    },
    dec: (r) => {
      const bytes: number[] = [];
      let ended = false;
      for (let i = 0; i < n; i++) {
        const b = r.int() & 0xff;
        if (b === 0) ended = true;
        if (!ended) bytes.push(b);
      }
      return Buffer.from(bytes).toString('latin1');
    },
  };
}

/** libvirt's remote_uuid: 16 raw bytes, shown as the canonical 8-4-4-4-12 hex string. */
export const uuid: Codec<string> = {
  enc: (w, v) => {
    const hex = v.replace(/-/g, '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new LibvirtProtocolError(`bad UUID '${v}'`);
    w.fixedOpaque(Buffer.from(hex, 'hex'));
  },
  dec: (r) => {
    const h = r.fixedOpaque(16).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  },
};

type Fields = Record<string, Codec<unknown>>;
export type StructOf<F extends Fields> = { [K in keyof F]: Infer<F[K]> };

/** An XDR struct: fields in declaration order. */
export function struct<F extends Fields>(fields: F): Codec<StructOf<F>> {
  const entries = Object.entries(fields);
  return {
    enc: (w, v) => {
      for (const [k, c] of entries) c.enc(w, (v as Record<string, unknown>)[k]);
    },
    dec: (r) => {
      const out: Record<string, unknown> = {};
      for (const [k, c] of entries) out[k] = c.dec(r);
      return out as StructOf<F>;
    },
  };
}

/** Maps a codec's value to a friendlier shape (and back). */
export function mapped<W, T>(c: Codec<W>, to: (w: W) => T, from: (t: T) => W): Codec<T> {
  return { enc: (w, v) => c.enc(w, from(v)), dec: (r) => to(c.dec(r)) };
}
