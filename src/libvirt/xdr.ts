/**
 * XDR (RFC 4506) reader and writer: the byte layer under libvirt's RPC. Big-endian, every item
 * padded to 4 bytes. 64-bit integers ("hyper") are read as JS numbers: exact up to 2^53, which
 * covers every size, memory and counter libvirt reports in practice.
 */
import { LibvirtProtocolError } from './errors.js';

/** libvirt's own cap on one string on the wire (REMOTE_STRING_MAX): 4 MiB. */
export const XDR_STRING_MAX = 4 * 1024 * 1024;

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

export class XdrWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  hyper(v: number | bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt(v), this.pos);
    this.pos += 8;
    return this;
  }

  uhyper(v: number | bigint): this {
    this.ensure(8);
    this.buf.writeBigUInt64BE(BigInt(v), this.pos);
    this.pos += 8;
    return this;
  }

  double(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }

  bool(v: boolean): this {
    return this.int(v ? 1 : 0);
  }

  /** Variable-length opaque: length word, bytes, padding. */
  opaque(bytes: Uint8Array): this {
    this.uint(bytes.length);
    return this.fixedOpaque(bytes);
  }

  /** Fixed-length opaque: bytes and padding, no length word. */
  fixedOpaque(bytes: Uint8Array): this {
    const p = pad4(bytes.length);
    this.ensure(bytes.length + p);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    this.buf.fill(0, this.pos, this.pos + p);
    this.pos += p;
    return this;
  }

  string(s: string): this {
    const len = Buffer.byteLength(s, 'utf8');
    if (len > XDR_STRING_MAX)
      throw new LibvirtProtocolError(`string of ${len} bytes exceeds the 4 MiB limit`);
    const p = pad4(len);
    this.uint(len);
    this.ensure(len + p);
    this.buf.write(s, this.pos, 'utf8');
    this.pos += len;
    this.buf.fill(0, this.pos, this.pos + p);
    this.pos += p;
    return this;
  }

  get length(): number {
    return this.pos;
  }

  /** A view of the bytes written so far (valid until the next write). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

export class XdrReader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    offset = 0,
  ) {
    this.pos = offset;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) {
      throw new LibvirtProtocolError(
        `XDR underflow: need ${n} bytes at offset ${this.pos}, have ${this.buf.length - this.pos}`,
      );
    }
  }

  int(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  uint(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  hyper(): number {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return Number(v);
  }

  uhyper(): number {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return Number(v);
  }

  double(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  bool(): boolean {
    return this.int() !== 0;
  }

  opaque(max = Number.MAX_SAFE_INTEGER): Buffer {
    const len = this.uint();
    if (len > max) throw new LibvirtProtocolError(`opaque of ${len} bytes exceeds its limit ${max}`);
    return this.fixedOpaque(len);
  }

  fixedOpaque(len: number): Buffer {
    const p = pad4(len);
    this.need(len + p);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len + p;
    return out;
  }

  string(): string {
    const len = this.uint();
    if (len > XDR_STRING_MAX)
      throw new LibvirtProtocolError(`string of ${len} bytes exceeds the 4 MiB limit`);
    const p = pad4(len);
    this.need(len + p);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len + p;
    return s;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }
}
