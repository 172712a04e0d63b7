import { describe, expect, it } from 'vitest';
import { type EventFamily, EventRegistry } from '../../../src/libvirt/events.js';
import { eventMessages } from '../../../src/libvirt/procedures/events.js';
import { encode } from './fake-libvirtd.js';

const dom = { name: 'vm', uuid: '00000000-0000-0000-0000-00000000000a', id: 3 };
const pool = { name: 'p', uuid: '00000000-0000-0000-0000-00000000000b' };

describe('event registry', () => {
  it('keeps domain and pool callback ids apart (different drivers may hand out the same id)', async () => {
    const reg = new EventRegistry();
    const calls: [EventFamily, number][] = [];
    await reg.add(['lifecycle', 'pool-lifecycle'], async (family, eventId) => {
      calls.push([family, eventId]);
      return 7;
    });
    expect(calls).toEqual([
      ['domain', 0],
      ['pool', 0],
    ]);
    const d = encode(eventMessages.lifecycle.body, { callbackID: 7, msg: { dom, event: 5, detail: 1 } });
    expect(reg.decode(eventMessages.lifecycle.procedure, d)).toMatchObject({
      kind: 'lifecycle',
      event: 'Stopped',
      detailName: 'destroyed',
    });
    const p = encode(eventMessages.poolLifecycle.body, { callbackID: 7, pool, event: 2, detail: 0 });
    expect(reg.decode(eventMessages.poolLifecycle.procedure, p)).toMatchObject({
      kind: 'pool-lifecycle',
      event: 'Started',
      pool,
    });
  });

  it('registers each kind once per connection, again after reset, and drops events of stale ids', async () => {
    const reg = new EventRegistry();
    let next = 1;
    let registrations = 0;
    const register = async () => {
      registrations++;
      return next++;
    };
    await Promise.all([reg.add(['reboot'], register), reg.add(['reboot'], register)]);
    expect(registrations).toBe(1);
    const stale = encode(eventMessages.reboot.body, { callbackID: 1, msg: { dom } });
    expect(reg.decode(eventMessages.reboot.procedure, stale)).toMatchObject({ kind: 'reboot' });
    reg.reset();
    await reg.ensureAll(register);
    expect(registrations).toBe(2);
    expect(reg.decode(eventMessages.reboot.procedure, stale)).toBeUndefined();
    const fresh = encode(eventMessages.reboot.body, { callbackID: 2, msg: { dom } });
    expect(reg.decode(eventMessages.reboot.procedure, fresh)).toMatchObject({ kind: 'reboot', domain: dom });
  });

  it('a failed registration is retried by the next ensure', async () => {
    const reg = new EventRegistry();
    let fail = true;
    const register = async () => {
      if (fail) throw new Error('daemon busy');
      return 9;
    };
    await expect(reg.add(['tray-change'], register)).rejects.toThrow('daemon busy');
    fail = false;
    await reg.ensureAll(register);
    const body = encode(eventMessages.trayChange.body, {
      callbackID: 9,
      msg: { dom, devAlias: 'ide0-1-0', reason: 0 },
    });
    expect(reg.decode(eventMessages.trayChange.procedure, body)).toMatchObject({ kind: 'tray-change' });
  });
});
