import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LibvirtProtocolError } from '../../../src/libvirt/errors.js';
import {
  encodePacket,
  HEADER_SIZE,
  LENGTH_SIZE,
  MESSAGE_MAX,
  MessageType,
  type Packet,
  PacketDecoder,
  Program,
} from '../../../src/libvirt/packet.js';

const frame = (serial: number, body: Buffer) =>
  encodePacket(
    { program: Program.REMOTE, version: 1, procedure: 23, type: MessageType.REPLY, serial, status: 0 },
    body,
  );

describe('packet framing', () => {
  it('writes length (counting itself), six header words, then the body', () => {
    const f = frame(9, Buffer.from([0xaa, 0xbb, 0xcc, 0xdd]));
    expect(f.length).toBe(LENGTH_SIZE + HEADER_SIZE + 4);
    expect(f.readUInt32BE(0)).toBe(f.length);
    expect(f.subarray(4, 28).toString('hex')).toBe('200080860000000100000017000000010000000900000000');
  });

  it('reassembles packets however the stream is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }),
        (bodies, cuts) => {
          const stream = Buffer.concat(bodies.map((b, i) => frame(i + 1, Buffer.from(b))));
          const d = new PacketDecoder();
          const got: Packet[] = [];
          let off = 0;
          let k = 0;
          while (off < stream.length) {
            const n = cuts[k++ % cuts.length] as number;
            got.push(...d.push(stream.subarray(off, off + n)));
            off += n;
          }
          expect(got.map((p) => p.header.serial)).toEqual(bodies.map((_, i) => i + 1));
          got.forEach((p, i) => {
            expect(Buffer.from(p.body)).toEqual(Buffer.from(bodies[i] as Uint8Array));
          });
          expect(d.pending).toBe(0);
        },
      ),
    );
  });

  it('delivers several packets from one chunk and keeps a partial tail', () => {
    const d = new PacketDecoder();
    const two = Buffer.concat([
      frame(1, Buffer.alloc(4)),
      frame(2, Buffer.alloc(8)),
      frame(3, Buffer.alloc(4)).subarray(0, 10),
    ]);
    expect(d.push(two).map((p) => p.header.serial)).toEqual([1, 2]);
    expect(d.pending).toBe(10);
  });

  it('rejects a length word below the header size or above the message limit, before buffering', () => {
    const tooSmall = Buffer.from('0000000800000000', 'hex');
    expect(() => new PacketDecoder().push(tooSmall)).toThrow(LibvirtProtocolError);
    const tooBig = Buffer.alloc(8);
    tooBig.writeUInt32BE(MESSAGE_MAX + 1, 0);
    expect(() => new PacketDecoder().push(tooBig)).toThrow(/bad packet length/);
    expect(() => frame(1, Buffer.alloc(MESSAGE_MAX))).toThrow(/exceeds/);
  });
});

describe('packet framing: large packets', () => {
  it('joins a 20 MiB packet split in 64 KiB chunks once, not per chunk', () => {
    const body = Buffer.alloc(20 * 1024 * 1024, 7);
    const f = frame(5, body);
    const d = new PacketDecoder();
    const got: Packet[] = [];
    const t0 = performance.now();
    for (let off = 0; off < f.length; off += 65536) got.push(...d.push(f.subarray(off, off + 65536)));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(got).toHaveLength(1);
    expect(got[0]?.body.length).toBe(body.length);
  });
});
