/**
 * Faults a real ovsdb-server cannot be made to show on demand: a peer that stops answering (the
 * inactivity probe must drop it and reconnect), and the server's own echo probe (must be answered).
 * A minimal fake server on a unix socket stands in for ovsdb-server here, for these faults only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { OvsdbClient } from '../../../src/ovn/client.js';
import { JsonStreamSplitter } from '../../../src/ovn/json-stream.js';

interface Fake {
  path: string;
  server: Server;
  sockets: Socket[];
  /** When true the server reads but never answers (a hung peer). */
  silent: boolean;
  /** When set, the server speaks monitor_cond_since and answers with this. */
  since?: (params: unknown[]) => unknown;
  /** What `_Server.Database` says about this member. */
  member: { model: string; leader: boolean; connected: boolean };
  received: Array<{ method?: string; id?: unknown; result?: unknown }>;
  close: () => Promise<void>;
}

const SCHEMA = { name: 'Fake', version: '1.0.0', tables: { T: { columns: { name: { type: 'string' } } } } };

async function fakeServer(): Promise<Fake> {
  const dir = mkdtempSync(join(tmpdir(), 'kst-ovsdb-'));
  const fake: Fake = {
    path: join(dir, 'db.sock'),
    server: createServer(),
    sockets: [],
    silent: false,
    member: { model: 'standalone', leader: true, connected: true },
    received: [],
    close: async () => {
      for (const s of fake.sockets) s.destroy();
      await new Promise((r) => fake.server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  fake.server.on('connection', (sock) => {
    fake.sockets.push(sock);
    const splitter = new JsonStreamSplitter();
    sock.on('data', (chunk) => {
      for (const m of splitter.push(chunk) as Array<{ method?: string; params?: unknown[]; id?: unknown }>) {
        fake.received.push(m);
        if (fake.silent || m.method === undefined) continue;
        const reply = (result: unknown) => sock.write(JSON.stringify({ id: m.id, result, error: null }));
        if (m.method === 'get_schema') reply(SCHEMA);
        else if (m.method === 'monitor_cond')
          reply({ T: { a: { initial: { name: `conn-${fake.sockets.length}` } } } });
        else if (m.method === 'echo') reply(m.params);
        else if (m.method === 'transact' && m.params?.[0] === '_Server') reply([{ rows: [fake.member] }]);
        else if (m.method === 'monitor_cond_since' && fake.since) reply(fake.since(m.params ?? []));
        else sock.write(JSON.stringify({ id: m.id, result: null, error: 'unknown method' }));
      }
    });
  });
  await new Promise<void>((r) => fake.server.listen(fake.path, r));
  return fake;
}

let fake: Fake | undefined;
let client: OvsdbClient | undefined;
afterEach(async () => {
  await client?.close();
  await fake?.close();
});

const log = pino({ level: 'silent' });

describe('inactivity probe and server echo', () => {
  it('answers the server echo request with the same params and id', async () => {
    fake = await fakeServer();
    client = await OvsdbClient.connect({
      remote: `unix:${fake.path}`,
      database: 'Fake',
      log,
      probeIntervalMs: 0,
    });
    fake.sockets[0]?.write(JSON.stringify({ method: 'echo', params: ['hello', 1], id: 'srv-1' }));
    await expect
      .poll(() => fake?.received.find((m) => m.id === 'srv-1'))
      .toEqual({
        id: 'srv-1',
        result: ['hello', 1],
        error: null,
      });
  });

  it('keeps a quiet but answering peer (no false timeouts)', async () => {
    fake = await fakeServer();
    client = await OvsdbClient.connect({
      remote: `unix:${fake.path}`,
      database: 'Fake',
      log,
      probeIntervalMs: 40,
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(fake.sockets).toHaveLength(1);
    expect(fake.received.filter((m) => m.method === 'echo').length).toBeGreaterThan(1);
  });

  it('drops a silent peer, reconnects and refills the replica from the new monitor', async () => {
    fake = await fakeServer();
    client = await OvsdbClient.connect({
      remote: `unix:${fake.path}`,
      database: 'Fake',
      monitor: { T: {} },
      log,
      probeIntervalMs: 40,
      connectTimeoutMs: 200,
      reconnectMinDelayMs: 10,
    });
    expect(client.cache.get('T', 'a')?.name).toBe('conn-1');
    let reconnected = false;
    client.onReconnect(() => {
      reconnected = true;
    });
    fake.silent = true;
    await expect.poll(() => fake?.sockets.length, { timeout: 2000 }).toBe(2);
    fake.silent = false;
    // The reconnect's own requests went to the silent server too: let it retry.
    await expect.poll(() => reconnected, { timeout: 5000 }).toBe(true);
    expect(client.cache.get('T', 'a')?.name).toMatch(/^conn-[2-9]/);
    expect(await client.echo(['x'])).toEqual(['x']);
  });
});

describe('clustered remotes', () => {
  let follower: Fake | undefined;
  afterEach(async () => {
    await follower?.close();
    follower = undefined;
  });

  it('skips a member that is not the leader and connects to the one that is', async () => {
    follower = await fakeServer();
    follower.member = { model: 'clustered', leader: false, connected: true };
    fake = await fakeServer();
    fake.member = { model: 'clustered', leader: true, connected: true };
    client = await OvsdbClient.connect({
      remote: `unix:${follower.path},unix:${fake.path}`,
      database: 'Fake',
      monitor: { T: {} },
      log,
      probeIntervalMs: 0,
    });
    expect(fake.received.some((m) => m.method === 'monitor_cond')).toBe(true);
    expect(follower.received.some((m) => m.method === 'monitor_cond')).toBe(false);
  });
});

describe('monitor_cond_since', () => {
  it('resumes the replica from the last transaction after a reconnect, and applies update3', async () => {
    fake = await fakeServer();
    const seen: unknown[] = [];
    fake.since = (params) => {
      seen.push(params[3]);
      return seen.length === 1
        ? [false, 'txn-1', { T: { a: { initial: { name: 'first' } } } }]
        : [true, 'txn-3', { T: { c: { insert: { name: 'while-away' } } } }];
    };
    client = await OvsdbClient.connect({
      remote: `unix:${fake.path}`,
      database: 'Fake',
      monitor: { T: {} },
      log,
      probeIntervalMs: 0,
      reconnectMinDelayMs: 10,
    });
    expect(client.resumed).toBe(false);
    fake.sockets[0]?.write(
      JSON.stringify({
        id: null,
        method: 'update3',
        params: ['kst-1', 'txn-2', { T: { b: { insert: { name: 'live' } } } }],
      }),
    );
    await expect.poll(() => client?.cache.get('T', 'b')?.name).toBe('live');
    let reconnected = false;
    client.onReconnect(() => {
      reconnected = true;
    });
    fake.sockets[0]?.destroy();
    await expect.poll(() => reconnected, { timeout: 3000 }).toBe(true);
    expect(seen).toEqual(['00000000-0000-0000-0000-000000000000', 'txn-2']);
    expect(client.resumed).toBe(true);
    // Resumed, not refilled: rows from before the drop are kept, the missed change added.
    expect(['a', 'b', 'c'].map((k) => client?.cache.get('T', k)?.name)).toEqual([
      'first',
      'live',
      'while-away',
    ]);
  });
});
