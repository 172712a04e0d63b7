/**
 * The OVSDB client against the test bed's real ovsdb-server (OVN Northbound): pipelined calls over
 * the undelimited framing, echo, transact errors mapped per RFC string, wait guards, the monitor
 * replica following other writers, and reconnect + resubscribe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubestackError } from '../../../src/errors.js';
import {
  ConstraintViolationError,
  OvsdbClient,
  OvsdbUnavailableError,
  TimedOutError,
  UnknownColumnError,
} from '../../../src/ovn/index.js';
import { byName, insert, mutate, waitAbsent, waitIs } from '../../../src/ovn/ops.js';
import { namedUuid, toSet } from '../../../src/ovn/values.js';
import { testbedEnv } from '../testbed-env.js';
import { log, nbctl, uniq } from './fixture.js';

let c: OvsdbClient;
const prefix = `kst-cl-${uniq()}`;

beforeAll(async () => {
  c = await OvsdbClient.connect({
    remote: testbedEnv().ovnNb,
    database: 'OVN_Northbound',
    monitor: { Logical_Switch: {}, Logical_Switch_Port: { columns: ['name', 'addresses'] } },
    log,
    reconnectMinDelayMs: 20,
  });
});

afterAll(async () => {
  await nbctl('--if-exists', 'ls-del', `${prefix}-a`).catch(() => undefined);
  await nbctl('--if-exists', 'ls-del', `${prefix}-b`).catch(() => undefined);
  await nbctl('--if-exists', 'ls-del', `${prefix}-ext`).catch(() => undefined);
  await c.close();
});

describe('OVSDB client on the real Northbound DB', () => {
  it('pipelines many calls over one connection and echoes', async () => {
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => c.echo([`ping-${i}`])));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => [`ping-${i}`]));
    expect(await c.call('list_dbs', [])).toContain('OVN_Northbound');
  });

  it('commits one transaction with named UUIDs and sees it in the replica', async () => {
    const name = `${prefix}-a`;
    await c.transact([
      waitAbsent('Logical_Switch', name),
      insert('Logical_Switch_Port', { name: `${name}-p1`, addresses: '52:54:00:00:00:01 10.0.0.5' }, 'p'),
      insert('Logical_Switch', { name, ports: toSet([namedUuid('p')]) }, 'ls'),
    ]);
    const ls = c.cache.find('Logical_Switch', (r) => r.name === name);
    expect(ls).toHaveLength(1);
    expect(await nbctl('lsp-get-addresses', `${name}-p1`)).toBe('52:54:00:00:00:01 10.0.0.5');
  });

  it('maps a failed wait guard to a retriable Conflict', async () => {
    const err = await c.transact([waitAbsent('Logical_Switch', `${prefix}-a`)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimedOutError);
    expect((err as KubestackError).reason).toBe('Conflict');
    expect((err as KubestackError).retriable).toBe(true);
  });

  it('guards on _uuid: passes for the row read, fails once a same-named twin exists', async () => {
    const name = `${prefix}-b`;
    await nbctl('ls-add', name);
    await c.echo();
    const row = c.cache.find('Logical_Switch', (r) => r.name === name)[0];
    expect(row).toBeDefined();
    await c.transact([waitIs('Logical_Switch', name, row!.uuid)]);
    // Logical_Switch has no name index: a second row with the same name is possible.
    await nbctl('--may-exist', 'ls-add', `${name}`).catch(() => undefined);
    await c.transact([insert('Logical_Switch', { name })]);
    const err = await c.transact([waitIs('Logical_Switch', name, row!.uuid)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimedOutError);
    for (const r of c.cache.find('Logical_Switch', (x) => x.name === name)) {
      await c.transact([
        { op: 'delete', table: 'Logical_Switch', where: [['_uuid', '==', ['uuid', r.uuid]]] },
      ]);
    }
  });

  it('maps per-op and commit-time errors to their classes and commits nothing', async () => {
    const name = `${prefix}-a`;
    const bad = await c
      .transact([
        insert('Logical_Switch', { name: `${prefix}-x` }),
        insert('Logical_Switch', { no_such_column: 1 }),
      ])
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(UnknownColumnError);
    expect((bad as UnknownColumnError).opIndex).toBe(1);
    expect(await nbctl('--bare', '--columns=name', 'find', 'Logical_Switch', `name=${prefix}-x`)).toBe('');
    // A duplicate LSP name breaks the name index at commit.
    const dup = await c
      .transact([
        insert('Logical_Switch_Port', { name: `${name}-p1` }, 'd'),
        mutate('Logical_Switch', byName(name), [['ports', 'insert', toSet([namedUuid('d')])]]),
      ])
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ConstraintViolationError);
    expect((dup as ConstraintViolationError).opIndex).toBeUndefined();
  });

  it('follows changes made by other clients', async () => {
    const name = `${prefix}-ext`;
    await nbctl('ls-add', name);
    await c.waitUntil(() => c.cache.find('Logical_Switch', (r) => r.name === name).length === 1, 5000);
    await nbctl('ls-del', name);
    await c.waitUntil(() => c.cache.find('Logical_Switch', (r) => r.name === name).length === 0, 5000);
  });

  it('reconnects after the connection drops, re-issues the monitor and refills the replica', async () => {
    const name = `${prefix}-ext`;
    let reconnected = 0;
    const off = c.onReconnect(() => reconnected++);
    c.dropConnection();
    // While down, calls fail Unavailable or wait for the reconnect; a change made meanwhile by
    // another client must be in the replica afterwards.
    await nbctl('ls-add', name);
    const t0 = Date.now();
    await c.echo();
    await c.waitUntil(() => reconnected > 0, 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(c.cache.find('Logical_Switch', (r) => r.name === name)).toHaveLength(1);
    off();
    await nbctl('ls-del', name);
  });

  it('fails Unavailable (retriable) when the server is unreachable', async () => {
    const err = await OvsdbClient.connect({
      remote: 'unix:/nonexistent/kst.sock',
      database: 'OVN_Northbound',
      log,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsdbUnavailableError);
    expect((err as KubestackError).retriable).toBe(true);
  });
});
