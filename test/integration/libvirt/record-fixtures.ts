/**
 * Records golden packets from the real libvirtd into test/fixtures/libvirt/ — whole frames exactly
 * as received (length, header, body) — which unit tests decode without a daemon. Re-run after a
 * libvirt upgrade:  eval "$(scripts/testbed env)" && npx tsx test/integration/libvirt/record-fixtures.ts
 */
import { writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { Codec } from '../../../src/libvirt/codec.js';
import {
  encodePacket,
  MessageType,
  type Packet,
  PacketDecoder,
  Program,
} from '../../../src/libvirt/packet.js';
import { procedures as P, type Procedure } from '../../../src/libvirt/procedures/index.js';
import { XdrReader, XdrWriter } from '../../../src/libvirt/xdr.js';

const out = join(import.meta.dirname, '../../fixtures/libvirt');
const socketPath = process.env.KUBESTACK_LIBVIRT_SOCKET ?? '/var/run/libvirt/libvirt-sock';
const virtType = process.env.KUBESTACK_VIRT_TYPE === 'kvm' ? 'kvm' : 'qemu';

const socket = createConnection({ path: socketPath });
await new Promise((r) => socket.once('connect', r));
const decoder = new PacketDecoder();
const inbox: Packet[] = [];
socket.on('data', (chunk: Buffer) => inbox.push(...decoder.push(chunk)));

const frame = (p: Packet) => encodePacket(p.header, p.body);
let serial = 0;

async function next(pred: (p: Packet) => boolean): Promise<Packet> {
  for (;;) {
    const i = inbox.findIndex(pred);
    if (i >= 0) return inbox.splice(i, 1)[0] as Packet;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** One call; the reply frame is saved as `file` when given. */
async function call<A, R>(p: Procedure<A, R>, args: A, file?: string): Promise<R | undefined> {
  const w = new XdrWriter();
  p.args.enc(w, args);
  const s = ++serial;
  socket.write(
    encodePacket(
      { program: p.program, version: 1, procedure: p.number, type: 0, serial: s, status: 0 },
      w.bytes(),
    ),
  );
  const reply = await next((r) => r.header.type === MessageType.REPLY && r.header.serial === s);
  if (file) await writeFile(join(out, file), frame(reply));
  return reply.header.status === 0 ? (p.ret as Codec<R>).dec(new XdrReader(reply.body)) : undefined;
}

const name = 'ks-rpc-fixture';
await call(P.authList, undefined);
await call(P.connectOpen, { name: 'qemu:///system', flags: 0 });
await call(P.connectDomainEventCallbackRegisterAny, { eventID: 0, dom: null });
await call(P.nodeGetInfo, undefined, 'node-get-info.reply.bin');
await call(P.domainLookupByName, 'ks-rpc-missing', 'domain-lookup-by-name.error.bin');
const xml = `<domain type='${virtType}'><name>${name}</name><uuid>8a1e2f3c-4b5d-4e6f-8a7b-9c0d1e2f3a4b</uuid>
<memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>`;
const dom = await call(P.domainDefineXMLFlags, { xml, flags: 0 });
if (!dom) throw new Error('define failed');
await call(P.domainLookupByName, name, 'domain-lookup-by-name.reply.bin');
await call(P.domainGetInfo, { dom }, 'domain-get-info.reply.bin');
await call(
  P.domainGetSchedulerParametersFlags,
  { dom, nparams: 3, flags: 2 },
  'domain-get-scheduler-parameters-flags.reply.bin',
);
const defined = await next(
  (m) => m.header.program === Program.REMOTE && m.header.type === MessageType.MESSAGE,
);
await writeFile(join(out, 'domain-event-callback-lifecycle.message.bin'), frame(defined));
await call(P.domainUndefineFlags, { dom, flags: 0 });
socket.destroy();
