import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionState, DomainEvent, LibvirtClient } from '../../../src/libvirt/index.js';
import { connectClient, domainXml, removeDomain, uniqueName, waitFor } from './helpers.js';

// Restarts the shared libvirtd on purpose (the only test here that does): the client must notice,
// reconnect with backoff, and re-register its event callbacks without the caller doing anything.
describe('libvirt client: reconnect after a libvirtd restart (real libvirtd)', () => {
  let c: LibvirtClient;
  const name = uniqueName('reconn');
  const states: ConnectionState[] = [];
  const events: DomainEvent[] = [];

  beforeAll(async () => {
    c = await connectClient({ reconnectMinDelayMs: 50, reconnectMaxDelayMs: 1000, readyTimeoutMs: 30_000 });
    c.on('state', (s) => states.push(s));
    c.onDomainEvent('lifecycle', (e) => {
      if (e.domain.name === name) events.push(e);
    });
    await c.subscribeDomainEvents(['lifecycle']);
  });
  afterAll(async () => {
    await removeDomain(c, name);
    await c.close();
  });

  it('reconnects by itself and events flow again', async () => {
    expect(await c.connectGetHostname()).toBeTruthy();
    // Subscribed above, on the first connection; nothing is done by the test after the restart.
    await execa('scripts/testbed', ['restart', 'libvirtd'], { cwd: process.cwd() });
    // A call made in the gap waits for the reconnect (readyTimeoutMs) instead of failing.
    expect(await c.connectGetHostname()).toBeTruthy();
    await c.whenConnected(30_000);
    expect(states).toContain('disconnected');
    expect(states.at(-1)).toBe('connected');

    const dom = await c.domainDefineXMLFlags(domainXml(name));
    await waitFor(events, (e) => e.kind === 'lifecycle' && e.event === 'Defined');
    const started = await c.domainCreateWithFlags(dom);
    await waitFor(events, (e) => e.kind === 'lifecycle' && e.event === 'Started');
    await c.domainDestroyFlags(started);
    await waitFor(events, (e) => e.kind === 'lifecycle' && e.event === 'Stopped');
  });
});
