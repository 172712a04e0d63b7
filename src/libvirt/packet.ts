/**
 * Framing of libvirt's RPC: a 4-byte big-endian length (counting itself), a 24-byte header of six
 * 32-bit words, then the XDR body. Sans-I/O: `encodePacket` builds bytes, `PacketDecoder` turns a
 * stream of arbitrary chunks back into whole packets.
 */
import { LibvirtProtocolError } from './errors.js';

export const Program = {
  REMOTE: 0x20008086,
  QEMU: 0x20008087,
  KEEPALIVE: 0x6b656570, // "keep"
} as const;

export const PROTOCOL_VERSION = 1;

export const MessageType = {
  CALL: 0,
  REPLY: 1,
  MESSAGE: 2,
  STREAM: 3,
  CALL_WITH_FDS: 4,
  REPLY_WITH_FDS: 5,
} as const;

export const MessageStatus = { OK: 0, ERROR: 1, CONTINUE: 2 } as const;

export const LENGTH_SIZE = 4;
export const HEADER_SIZE = 24;
/** libvirt's VIR_NET_MESSAGE_MAX: the largest packet either side accepts (32 MiB). */
export const MESSAGE_MAX = 32 * 1024 * 1024;

export interface PacketHeader {
  program: number;
  version: number;
  procedure: number;
  type: number;
  serial: number;
  status: number;
}

export interface Packet {
  header: PacketHeader;
  body: Buffer;
}

/** One whole packet as bytes: length word, header, body. */
export function encodePacket(h: PacketHeader, body: Uint8Array = EMPTY): Buffer {
  const total = LENGTH_SIZE + HEADER_SIZE + body.length;
  if (total > MESSAGE_MAX) throw new LibvirtProtocolError(`packet of ${total} bytes exceeds ${MESSAGE_MAX}`);
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(h.program >>> 0, 4);
  out.writeUInt32BE(h.version >>> 0, 8);
  out.writeInt32BE(h.procedure, 12);
  out.writeInt32BE(h.type, 16);
  out.writeUInt32BE(h.serial >>> 0, 20);
  out.writeInt32BE(h.status, 24);
  out.set(body, LENGTH_SIZE + HEADER_SIZE);
  return out;
}

const EMPTY = Buffer.alloc(0);

export function decodeHeader(frame: Buffer, offset = LENGTH_SIZE): PacketHeader {
  return {
    program: frame.readUInt32BE(offset),
    version: frame.readUInt32BE(offset + 4),
    procedure: frame.readInt32BE(offset + 8),
    type: frame.readInt32BE(offset + 12),
    serial: frame.readUInt32BE(offset + 16),
    status: frame.readInt32BE(offset + 20),
  };
}

/**
 * Reassembles packets from chunks as a socket delivers them: a chunk may hold part of a packet,
 * exactly one, or several. The length word is checked before any body is buffered.
 */
export class PacketDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes needed before parsing is worth trying again (the pending packet's length). */
  private needed = 0;

  constructor(private readonly maxSize = MESSAGE_MAX) {}

  /** Feeds bytes; returns every packet completed by them, in order. */
  push(chunk: Buffer): Packet[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    // A large packet arrives in many chunks: join them once, when all are here, not per chunk.
    if (this.buffered < this.needed) return [];
    const buf = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    this.needed = 0;

    const out: Packet[] = [];
    let off = 0;
    while (buf.length - off >= LENGTH_SIZE) {
      const len = buf.readUInt32BE(off);
      if (len < LENGTH_SIZE + HEADER_SIZE || len > this.maxSize) {
        throw new LibvirtProtocolError(`bad packet length ${len}`);
      }
      if (buf.length - off < len) {
        this.needed = len;
        break;
      }
      const header = decodeHeader(buf, off + LENGTH_SIZE);
      out.push({ header, body: buf.subarray(off + LENGTH_SIZE + HEADER_SIZE, off + len) });
      off += len;
    }
    if (off < buf.length) {
      const rest = buf.subarray(off);
      this.chunks.push(rest);
      this.buffered = rest.length;
    }
    return out;
  }

  /** Bytes held back waiting for the rest of a packet. */
  get pending(): number {
    return this.buffered;
  }
}
