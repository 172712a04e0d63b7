/**
 * One connection's packet plumbing: writes calls, reassembles inbound packets, matches replies to
 * calls by serial (many calls may be in flight at once and replies may come back in any order),
 * and hands everything else (events, keepalive) to `onMessage`. Knows nothing about procedures.
 */
import type { Socket } from 'node:net';
import { int, optional, string, struct, uuid } from './codec.js';
import { LibvirtDisconnectedError, LibvirtProtocolError, libvirtErrorFrom } from './errors.js';
import {
  encodePacket,
  MessageStatus,
  MessageType,
  type Packet,
  PacketDecoder,
  PROTOCOL_VERSION,
} from './packet.js';
import { XdrReader } from './xdr.js';

/** libvirt's remote_error, decoded only as far as the agent needs (the rest is skipped). */
const remoteError = struct({
  code: int,
  domain: int,
  message: optional(string),
  level: int,
  dom: optional(struct({ name: string, uuid, id: int })),
  str1: optional(string),
  str2: optional(string),
  str3: optional(string),
  int1: int,
  int2: int,
  net: optional(struct({ name: string, uuid })),
});

/** Exported for fakes in tests, which build error replies with our own encoder. */
export const remoteErrorCodec = remoteError;

interface Pending {
  resolve: (body: Buffer) => void;
  reject: (err: Error) => void;
  name: string;
}

export interface TransportHandlers {
  /** A packet that is not a reply to one of our calls: events, keepalive, stream data. */
  onMessage(packet: Packet): void;
  /** The socket closed or failed; every pending call has been rejected already. */
  onClose(err: Error | undefined): void;
}

export class Transport {
  private readonly decoder = new PacketDecoder();
  private readonly pending = new Map<number, Pending>();
  private serial = 0;
  private closed = false;
  private corked = false;
  /** When bytes last arrived; keepalive reads it to tell a live peer from a silent one. */
  lastReceiveAt = Date.now();

  constructor(
    private readonly socket: Socket,
    private readonly handlers: TransportHandlers,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.shutdown(err));
    socket.on('close', () => this.shutdown(undefined));
  }

  get inFlight(): number {
    return this.pending.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends one CALL and resolves with the reply body, or rejects with the decoded LibvirtError. */
  call(program: number, procedure: number, body: Uint8Array, name: string): Promise<Buffer> {
    if (this.closed) return Promise.reject(new LibvirtDisconnectedError());
    this.serial = (this.serial + 1) >>> 0;
    const serial = this.serial;
    const frame = encodePacket(
      {
        program,
        version: PROTOCOL_VERSION,
        procedure,
        type: MessageType.CALL,
        serial,
        status: MessageStatus.OK,
      },
      body,
    );
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(serial, { resolve, reject, name });
      this.write(frame);
    });
  }

  /** Sends a one-way MESSAGE (keepalive PING/PONG). */
  send(program: number, procedure: number, body?: Uint8Array): void {
    if (this.closed) return;
    this.write(
      encodePacket(
        {
          program,
          version: PROTOCOL_VERSION,
          procedure,
          type: MessageType.MESSAGE,
          serial: 0,
          status: MessageStatus.OK,
        },
        body,
      ),
    );
  }

  /** Writes made in one tick leave in one syscall: pipelined calls cost one write, not N. */
  private write(frame: Buffer): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(frame);
  }

  private onData(chunk: Buffer): void {
    this.lastReceiveAt = Date.now();
    let packets: Packet[];
    try {
      packets = this.decoder.push(chunk);
    } catch (err) {
      this.destroy(err as Error);
      return;
    }
    for (const p of packets) this.dispatch(p);
  }

  private dispatch(p: Packet): void {
    const { header } = p;
    if (header.type !== MessageType.REPLY && header.type !== MessageType.REPLY_WITH_FDS) {
      this.handlers.onMessage(p);
      return;
    }
    const waiter = this.pending.get(header.serial);
    if (!waiter) {
      this.destroy(new LibvirtProtocolError(`reply for unknown serial ${header.serial}`));
      return;
    }
    this.pending.delete(header.serial);
    if (header.status === MessageStatus.OK) {
      waiter.resolve(p.body);
      return;
    }
    try {
      const e = remoteError.dec(new XdrReader(p.body));
      waiter.reject(libvirtErrorFrom(e, waiter.name));
    } catch (err) {
      waiter.reject(err as Error);
    }
  }

  /** Closes the socket; pending calls fail with a retriable disconnected error. */
  destroy(err?: Error): void {
    this.socket.destroy();
    this.shutdown(err);
  }

  private shutdown(err: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    const reason = new LibvirtDisconnectedError(
      err ? `connection to libvirtd lost: ${err.message}` : 'connection to libvirtd closed',
      err,
    );
    for (const w of this.pending.values()) w.reject(reason);
    this.pending.clear();
    this.handlers.onClose(err);
  }
}
