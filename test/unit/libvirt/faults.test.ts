/**
 * Failure modes of the client against a scripted fake daemon (see fake-libvirtd.ts for why a fake
 * here): dying mid-call, hanging silently, bogus serials, out-of-order replies, daemon PINGs,
 * unknown procedures, and event callbacks re-registered after a reconnect.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ConnectionState,
  type DomainEvent,
  LibvirtClient,
  LibvirtDisconnectedError,
  LibvirtUnsupportedError,
  procedures,
} from '../../../src/libvirt/index.js';
import { KeepaliveProcedure } from '../../../src/libvirt/keepalive.js';
import { MessageType, type Packet, Program } from '../../../src/libvirt/packet.js';
import { eventMessages } from '../../../src/libvirt/procedures/events.js';
import { encode, FakeLibvirtd } from './fake-libvirtd.js';

const log = pino({ level: 'silent' });
const until = async (pred: () => boolean, ms = 3000) => {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > ms) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};
const dom = { name: 'vm1', uuid: '00000000-0000-0000-0000-000000000001', id: 1 };

describe('libvirt client faults (scripted fake daemon)', () => {
  let fake: FakeLibvirtd;
  let client: LibvirtClient | undefined;
  beforeEach(async () => {
    fake = new FakeLibvirtd();
    await fake.start();
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await fake.stop();
  });

  const connect = async (extra = {}) => {
    client = await LibvirtClient.connect({ socketPath: fake.path, log, keepaliveIntervalMs: 0, ...extra });
    return client;
  };

  it('performs the handshake: AUTH_LIST, CONNECT_OPEN of the URI, keepalive feature', async () => {
    await connect();
    const procs = fake.last.received.map((p) => p.header.procedure);
    expect(procs.slice(0, 3)).toEqual([
      procedures.authList.number,
      procedures.connectOpen.number,
      procedures.connectSupportsFeature.number,
    ]);
  });

  it('authenticates with polkit when that is all the daemon offers, and refuses SASL-only daemons', async () => {
    fake.script = (call) =>
      call.header.procedure === procedures.authList.number
        ? { do: 'reply', body: encode(procedures.authList.ret, [2]) }
        : call.header.procedure === procedures.authPolkit.number
          ? { do: 'reply', body: encode(procedures.authPolkit.ret, 1) }
          : undefined;
    await connect();
    expect(fake.last.received.map((p) => p.header.procedure)).toContain(procedures.authPolkit.number);
    await client?.close();

    fake.script = (call) =>
      call.header.procedure === procedures.authList.number
        ? { do: 'reply', body: encode(procedures.authList.ret, [1]) }
        : undefined;
    const err = await LibvirtClient.connect({ socketPath: fake.path, log }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/SASL/);
  });

  it('waits for a daemon that is not up yet when asked to (waitForDaemonMs), else fails at once', async () => {
    await fake.stop();
    await expect(LibvirtClient.connect({ socketPath: fake.path, log })).rejects.toBeInstanceOf(
      LibvirtDisconnectedError,
    );
    setTimeout(() => void fake.start(), 150);
    client = await LibvirtClient.connect({
      socketPath: fake.path,
      log,
      waitForDaemonMs: 3000,
      reconnectMinDelayMs: 20,
    });
    expect(client.state).toBe('connected');
  });

  it('answers the daemon’s PING with PONG', async () => {
    await connect();
    fake.last.message(Program.KEEPALIVE, KeepaliveProcedure.PING);
    await until(() =>
      fake.last.received.some(
        (p) => p.header.program === Program.KEEPALIVE && p.header.procedure === KeepaliveProcedure.PONG,
      ),
    );
  });

  it('matches replies that come back out of order', async () => {
    const held: Packet[] = [];
    fake.script = (call, conn) => {
      if (call.header.procedure !== procedures.domainLookupByName.number) return undefined;
      held.push(call);
      if (held.length === 3) {
        for (const p of [...held].reverse()) {
          const name = p.body.subarray(4, 4 + p.body.readUInt32BE(0)).toString();
          conn.reply(p, encode(procedures.domainLookupByName.ret, { ...dom, name }));
        }
      }
      return { do: 'hang' };
    };
    const c = await connect();
    const got = await Promise.all(['a', 'b', 'c'].map((n) => c.domainLookupByName(n)));
    expect(got.map((d) => d.name)).toEqual(['a', 'b', 'c']);
  });

  it('fails pending calls as disconnected when the daemon dies mid-call, then reconnects', async () => {
    const states: ConnectionState[] = [];
    fake.script = (call) =>
      call.header.procedure === procedures.nodeGetInfo.number ? { do: 'close' } : undefined;
    const c = await connect({ reconnectMinDelayMs: 10, reconnectMaxDelayMs: 50 });
    c.on('state', (s) => states.push(s));
    const err = await c.nodeGetInfo().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtDisconnectedError);
    expect((err as LibvirtDisconnectedError).retriable).toBe(true);
    await c.whenConnected(3000);
    expect(states).toEqual(['disconnected', 'connecting', 'connected']);
    expect(await c.connectGetHostname()).toBe('fakehost');
  });

  it('keeps retrying with backoff while the daemon is down', async () => {
    const c = await connect({ reconnectMinDelayMs: 10, reconnectMaxDelayMs: 40 });
    await fake.stop();
    await until(() => c.state === 'disconnected');
    await new Promise((r) => setTimeout(r, 200)); // several failed attempts
    expect(c.state).not.toBe('connected');
    await fake.start();
    await c.whenConnected(3000);
  });

  it('a call made while disconnected waits for the reconnect, or fails Unavailable after readyTimeoutMs', async () => {
    const c = await connect({ reconnectMinDelayMs: 10, reconnectMaxDelayMs: 40, readyTimeoutMs: 2000 });
    await fake.stop();
    await until(() => c.state === 'disconnected');
    const waiting = c.connectGetHostname();
    await new Promise((r) => setTimeout(r, 100));
    await fake.start();
    expect(await waiting).toBe('fakehost');

    const impatient = await connect({ reconnectMinDelayMs: 10, readyTimeoutMs: 50 });
    await fake.stop();
    await until(() => impatient.state === 'disconnected');
    const err = await impatient.connectGetHostname().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtDisconnectedError);
    expect((err as LibvirtDisconnectedError).reason).toBe('Unavailable');
    await impatient.close();
    await c.close();
  });

  it('close() during a reconnect handshake ends in closed, with no further connection', async () => {
    const c = await connect({ reconnectMinDelayMs: 10, reconnectMaxDelayMs: 20 });
    let holdOpen = true;
    fake.script = (call) =>
      holdOpen && fake.connections.length > 1 && call.header.procedure === procedures.connectOpen.number
        ? { do: 'hang' }
        : undefined;
    fake.last.socket.destroy();
    await until(() => fake.connections.length === 2 && c.state === 'connecting');
    await c.close();
    holdOpen = false;
    await new Promise((r) => setTimeout(r, 100));
    expect(c.state).toBe('closed');
    expect(fake.connections).toHaveLength(2);
  });

  it('a kind subscribed while reconnecting is registered exactly once on the new connection', async () => {
    const c = await connect({ reconnectMinDelayMs: 10, reconnectMaxDelayMs: 20 });
    let hold: (() => void) | undefined;
    fake.script = (call, conn) => {
      if (fake.connections.length < 2 || call.header.procedure !== procedures.connectOpen.number)
        return undefined;
      hold = () => conn.reply(call);
      return { do: 'hang' };
    };
    fake.last.socket.destroy();
    await until(() => hold !== undefined);
    const subscribed = c.subscribeDomainEvents(['reboot']); // during the handshake
    hold?.();
    await subscribed;
    await c.whenConnected(2000);
    expect(registrations(fake.last.received)).toBe(1);
    const id = fake.last.callbackIds[0] as number;
    const events: DomainEvent[] = [];
    c.on('event', (e) => events.push(e));
    fake.last.message(
      Program.REMOTE,
      eventMessages.reboot.procedure,
      encode(eventMessages.reboot.body, { callbackID: id, msg: { dom } }),
    );
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ kind: 'reboot', domain: dom });
  });

  it('keeps at most maxSlowCalls long calls in flight; short calls pass them', async () => {
    const held: Packet[] = [];
    fake.script = (call) => {
      if (call.header.procedure !== procedures.domainManagedSave.number) return undefined;
      held.push(call);
      return { do: 'hang' };
    };
    const c = await connect({ maxSlowCalls: 2 });
    const saves = [1, 2, 3, 4].map(() => c.domainManagedSave(dom));
    await until(() => held.length === 2);
    expect(await c.connectGetHostname()).toBe('fakehost'); // not stuck behind the slow ones
    expect(held).toHaveLength(2);
    for (const p of held.splice(0)) fake.last.reply(p);
    await until(() => held.length === 2);
    for (const p of held.splice(0)) fake.last.reply(p);
    await Promise.all(saves);
  });

  it('declares a silent daemon dead through keepalive (it hangs and ignores PINGs)', async () => {
    fake.script = (call) =>
      call.header.procedure === procedures.nodeGetInfo.number ? { do: 'hang' } : undefined;
    const c = await connect({ keepaliveIntervalMs: 30, keepaliveCount: 3, reconnect: false });
    const err = await c.nodeGetInfo().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtDisconnectedError);
    expect((err as Error).message).toMatch(/keepalive/);
    expect(fake.last.received.filter((p) => p.header.program === Program.KEEPALIVE).length).toBeGreaterThan(
      0,
    );
    expect(c.state).toBe('disconnected');
  });

  it('drops the connection on a reply with a serial it never sent', async () => {
    fake.script = (call) =>
      call.header.procedure === procedures.nodeGetInfo.number ? { do: 'reply', serial: 99_999 } : undefined;
    const c = await connect({ reconnect: false });
    await expect(c.nodeGetInfo()).rejects.toBeInstanceOf(LibvirtDisconnectedError);
  });

  it('maps an unknown procedure to LibvirtUnsupportedError', async () => {
    const c = await connect();
    await expect(c.nodeGetFreeMemory()).rejects.toBeInstanceOf(LibvirtUnsupportedError);
  });

  it('re-registers event callbacks after a reconnect, and ignores stale callback ids', async () => {
    const c = await connect({ reconnectMinDelayMs: 10, reconnectMaxDelayMs: 50 });
    const events: DomainEvent[] = [];
    c.onDomainEvent('lifecycle', (e) => events.push(e));
    await until(() => fake.connections.length === 1 && registrations(fake.last.received) === 1);
    const oldId = fake.last.callbackIds[0] as number;
    fake.last.socket.destroy();
    await until(() => fake.connections.length === 2 && c.state === 'connected');
    expect(registrations(fake.last.received)).toBe(1);

    const lifecycle = (callbackID: number) =>
      encode(eventMessages.lifecycle.body, { callbackID, msg: { dom, event: 2, detail: 0 } });
    fake.last.message(Program.REMOTE, eventMessages.lifecycle.procedure, lifecycle(oldId)); // stale
    fake.last.message(
      Program.REMOTE,
      eventMessages.lifecycle.procedure,
      lifecycle(fake.last.callbackIds[0] as number),
    );
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ kind: 'lifecycle', event: 'Started', domain: dom });
  });
});

function registrations(ps: Packet[]): number {
  return ps.filter(
    (p) =>
      p.header.type === MessageType.CALL &&
      p.header.procedure === procedures.connectDomainEventCallbackRegisterAny.number,
  ).length;
}
