import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LibvirtClient, LibvirtDisconnectedError, LibvirtError } from '../../../src/libvirt/index.js';
import { connectClient, env, quietLog } from './helpers.js';

describe('libvirt client: connection and host information (real libvirtd)', () => {
  let c: LibvirtClient;
  beforeAll(async () => {
    c = await connectClient();
  });
  afterAll(async () => {
    await c.close();
  });

  it('opens qemu:///system and reports connected', async () => {
    expect(c.state).toBe('connected');
    expect(await c.connectGetUri()).toBe('qemu:///system');
  });

  it('reads hostname, versions, node info and capabilities like virsh does', async () => {
    const { stdout: host } = await execa('virsh', ['-c', 'qemu:///system', 'hostname']);
    expect(await c.connectGetHostname()).toBe(host.trim());
    expect(await c.connectGetLibVersion()).toBeGreaterThanOrEqual(9_000_000);
    expect(await c.connectGetVersion()).toBeGreaterThan(0);
    const info = await c.nodeGetInfo();
    const { stdout } = await execa('virsh', ['-c', 'qemu:///system', 'nodeinfo']);
    expect(stdout).toMatch(new RegExp(`CPU\\(s\\):\\s+${info.cpus}\\b`));
    expect(stdout).toMatch(new RegExp(`Memory size:\\s+${info.memory} KiB`));
    expect(info.model).toBe('x86_64');
    expect(await c.nodeGetFreeMemory()).toBeGreaterThan(0);
    expect(await c.connectGetCapabilities()).toContain('<capabilities>');
    const domCaps = await c.connectGetDomainCapabilities({ virttype: env.virtType, arch: 'x86_64' });
    expect(domCaps).toContain('<domainCapabilities>');
  });

  it('turns a libvirt error into a typed LibvirtError (no such domain → NotFound)', async () => {
    const err = await c.domainLookupByName('ks-rpc-does-not-exist').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    const e = err as LibvirtError;
    expect(e.isNoDomain).toBe(true);
    expect(e.reason).toBe('NotFound');
    expect(e.retriable).toBe(false);
    expect(e.message).toContain('ks-rpc-does-not-exist');
    expect(e.procedure).toBe('DOMAIN_LOOKUP_BY_NAME');
  });

  it('runs many concurrent calls on one connection, each reply matched to its call', async () => {
    const n = 2000;
    const calls = Array.from({ length: n }, (_, i) =>
      i % 2 === 0 ? c.connectGetHostname() : c.domainLookupByName(`ks-rpc-missing-${i}`).catch((e) => e),
    );
    const results = await Promise.all(calls);
    const host = await c.connectGetHostname();
    results.forEach((r, i) => {
      if (i % 2 === 0) expect(r).toBe(host);
      else expect((r as LibvirtError).message).toContain(`ks-rpc-missing-${i}`);
    });
  });

  it('stays connected through silence: the daemon answers our keepalive PINGs', async () => {
    const k = await connectClient({ keepaliveIntervalMs: 100, keepaliveCount: 3, reconnect: false });
    const states: string[] = [];
    k.on('state', (s) => states.push(s));
    await new Promise((r) => setTimeout(r, 1200)); // 12 intervals with no calls: only PING/PONG
    expect(states).toEqual([]);
    expect(k.state).toBe('connected');
    expect(await k.connectGetHostname()).toBeTruthy();
    await k.close();
  });

  it('fails loudly when the socket does not exist', async () => {
    const err = await LibvirtClient.connect({
      socketPath: '/var/run/libvirt/ks-rpc-no-such-sock',
      log: quietLog,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtDisconnectedError);
    expect((err as LibvirtDisconnectedError).reason).toBe('Unavailable');
  });

  it('after close(), calls fail as disconnected and no reconnect happens', async () => {
    const c2 = await connectClient();
    await c2.close();
    expect(c2.state).toBe('closed');
    await expect(c2.connectGetHostname()).rejects.toBeInstanceOf(LibvirtDisconnectedError);
  });
});
