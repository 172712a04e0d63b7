/** Decodes packets recorded from the test bed's real libvirtd (test/integration/libvirt/record-fixtures.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { libvirtErrorFrom } from '../../../src/libvirt/errors.js';
import { EventRegistry } from '../../../src/libvirt/events.js';
import {
  MessageStatus,
  MessageType,
  type Packet,
  PacketDecoder,
  Program,
} from '../../../src/libvirt/packet.js';
import { procedures as P, paramsToObject } from '../../../src/libvirt/procedures/index.js';
import { remoteErrorCodec } from '../../../src/libvirt/transport.js';
import { XdrReader } from '../../../src/libvirt/xdr.js';

const dir = join(import.meta.dirname, '../../fixtures/libvirt');
function load(file: string): Packet {
  const bytes = readFileSync(join(dir, file));
  const packets = new PacketDecoder().push(bytes);
  expect(packets).toHaveLength(1);
  return packets[0] as Packet;
}
const uuid = '8a1e2f3c-4b5d-4e6f-8a7b-9c0d1e2f3a4b';

describe('golden packets from a real libvirtd', () => {
  it('NODE_GET_INFO: the char[32] model is 32 words', () => {
    const p = load('node-get-info.reply.bin');
    expect(p.header).toMatchObject({ program: Program.REMOTE, procedure: 6, type: MessageType.REPLY });
    const r = new XdrReader(p.body);
    const info = P.nodeGetInfo.ret.dec(r);
    expect(r.remaining).toBe(0);
    expect(info.model).toBe('x86_64');
    expect(info.cpus).toBeGreaterThan(0);
    expect(info.memory).toBeGreaterThan(0);
  });

  it('DOMAIN_LOOKUP_BY_NAME reply and DOMAIN_GET_INFO', () => {
    const dom = P.domainLookupByName.ret.dec(new XdrReader(load('domain-lookup-by-name.reply.bin').body));
    expect(dom).toEqual({ name: 'ks-rpc-fixture', uuid, id: -1 });
    const r = new XdrReader(load('domain-get-info.reply.bin').body);
    expect(P.domainGetInfo.ret.dec(r)).toEqual({
      state: 5,
      maxMem: 32768,
      memory: 32768,
      nrVirtCpu: 1,
      cpuTime: 0,
    });
    expect(r.remaining).toBe(0);
  });

  it('an error reply decodes to LibvirtError NO_DOMAIN', () => {
    const p = load('domain-lookup-by-name.error.bin');
    expect(p.header.status).toBe(MessageStatus.ERROR);
    const e = libvirtErrorFrom(remoteErrorCodec.dec(new XdrReader(p.body)), 'DOMAIN_LOOKUP_BY_NAME');
    expect(e.isNoDomain).toBe(true);
    expect(e.reason).toBe('NotFound');
    expect(e.message).toContain('ks-rpc-missing');
  });

  it('typed parameters (scheduler: ullong and llong)', () => {
    const r = new XdrReader(load('domain-get-scheduler-parameters-flags.reply.bin').body);
    const params = P.domainGetSchedulerParametersFlags.ret.dec(r);
    expect(r.remaining).toBe(0);
    expect(params.map((x) => [x.field, x.type])).toEqual([
      ['cpu_shares', 'ullong'],
      ['vcpu_period', 'ullong'],
      ['vcpu_quota', 'llong'],
    ]);
    expect(paramsToObject(params)).toHaveProperty('cpu_shares');
  });

  it('a lifecycle event MESSAGE (Defined) decodes for a registered callback id only', async () => {
    const p = load('domain-event-callback-lifecycle.message.bin');
    // Events are told apart by type MESSAGE, not by serial: libvirt 9 sends them with a non-zero serial.
    expect(p.header).toMatchObject({ type: MessageType.MESSAGE, procedure: 318 });
    const callbackID = p.body.readInt32BE(0);
    const reg = new EventRegistry();
    expect(reg.decode(318, p.body)).toBeUndefined(); // not registered
    await reg.add(['lifecycle'], async () => callbackID);
    expect(reg.decode(318, p.body)).toMatchObject({
      kind: 'lifecycle',
      event: 'Defined',
      detailName: 'added',
      domain: { name: 'ks-rpc-fixture', uuid },
    });
  });
});
