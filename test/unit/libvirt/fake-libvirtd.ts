/**
 * A scripted stand-in for libvirtd on a unix socket, speaking the real wire protocol with replies
 * built by our own encoder. Only for faults a real daemon cannot be made to show on demand
 * (hanging, ignoring pings, replying out of order or with a bogus serial, dying mid-call); every
 * normal behaviour is tested against the real libvirtd in test/integration/libvirt.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Codec } from '../../../src/libvirt/codec.js';
import {
  encodePacket,
  MessageStatus,
  MessageType,
  type Packet,
  PacketDecoder,
  Program,
} from '../../../src/libvirt/packet.js';
import { procedures } from '../../../src/libvirt/procedures/index.js';
import { remoteErrorCodec } from '../../../src/libvirt/transport.js';
import { XdrWriter } from '../../../src/libvirt/xdr.js';

export type Action =
  | { do: 'reply'; body?: Buffer; serial?: number }
  | { do: 'error'; code: number; message: string }
  | { do: 'hang' }
  | { do: 'close' };

/** Decides what to do with a call; undefined falls back to the default handshake answers. */
export type Script = (call: Packet, conn: FakeConnection) => Action | undefined;

export function encode<T>(c: Codec<T>, v: T): Buffer {
  const w = new XdrWriter();
  c.enc(w, v);
  return Buffer.from(w.bytes());
}

export class FakeConnection {
  readonly received: Packet[] = [];
  /** Event callback ids handed out on this connection, in order. */
  readonly callbackIds: number[] = [];
  constructor(readonly socket: Socket) {}

  reply(call: Packet, body: Buffer = Buffer.alloc(0), serial = call.header.serial): void {
    this.socket.write(
      encodePacket({ ...call.header, type: MessageType.REPLY, serial, status: MessageStatus.OK }, body),
    );
  }

  error(call: Packet, code: number, message: string): void {
    const body = encode(remoteErrorCodec, {
      code,
      domain: 0,
      message,
      level: 2,
      dom: null,
      str1: null,
      str2: null,
      str3: null,
      int1: 0,
      int2: 0,
      net: null,
    });
    this.socket.write(
      encodePacket({ ...call.header, type: MessageType.REPLY, status: MessageStatus.ERROR }, body),
    );
  }

  /** An unsolicited MESSAGE (event or keepalive). */
  message(program: number, procedure: number, body: Buffer = Buffer.alloc(0)): void {
    this.socket.write(
      encodePacket({ program, version: 1, procedure, type: MessageType.MESSAGE, serial: 0, status: 0 }, body),
    );
  }
}

let nextCallbackId = 100;

/** Default answers that let a client finish its handshake and register events. */
function defaultAnswer(call: Packet, conn: FakeConnection): Buffer | undefined {
  const p = procedures;
  switch (call.header.procedure) {
    case p.authList.number:
      return encode(p.authList.ret, [0]);
    case p.connectOpen.number:
    case p.connectClose.number:
      return Buffer.alloc(0);
    case p.connectSupportsFeature.number:
      return encode(p.connectSupportsFeature.ret, 1);
    case p.connectDomainEventCallbackRegisterAny.number: {
      const id = nextCallbackId++;
      conn.callbackIds.push(id);
      return encode(p.connectDomainEventCallbackRegisterAny.ret, id);
    }
    case p.connectGetHostname.number:
      return encode(p.connectGetHostname.ret, 'fakehost');
    default:
      return undefined;
  }
}

export class FakeLibvirtd {
  readonly path = join(tmpdir(), `ks-rpc-fake-${process.pid}-${randomBytes(4).toString('hex')}.sock`);
  readonly connections: FakeConnection[] = [];
  private server: Server | undefined;
  script: Script = () => undefined;

  async start(): Promise<void> {
    this.server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve) => this.server?.listen(this.path, resolve));
  }

  /** Stops listening and drops every connection (a daemon that died). */
  async stop(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  get last(): FakeConnection {
    const c = this.connections.at(-1);
    if (!c) throw new Error('no connection yet');
    return c;
  }

  private accept(socket: Socket): void {
    const conn = new FakeConnection(socket);
    this.connections.push(conn);
    const decoder = new PacketDecoder();
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      for (const p of decoder.push(chunk)) {
        conn.received.push(p);
        if (p.header.program === Program.KEEPALIVE || p.header.type !== MessageType.CALL) continue;
        this.handle(p, conn);
      }
    });
  }

  private handle(call: Packet, conn: FakeConnection): void {
    const action = this.script(call, conn);
    if (!action) {
      const body = defaultAnswer(call, conn);
      if (body) conn.reply(call, body);
      else conn.error(call, 3, `unknown procedure: ${call.header.procedure}`);
      return;
    }
    switch (action.do) {
      case 'reply':
        conn.reply(call, action.body, action.serial);
        break;
      case 'error':
        conn.error(call, action.code, action.message);
        break;
      case 'hang':
        break;
      case 'close':
        conn.socket.destroy();
        break;
    }
  }
}
