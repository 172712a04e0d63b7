import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DomainAffect,
  type DomainEvent,
  type DomainRef,
  InterfaceAddressesSource,
  type LibvirtClient,
  LibvirtError,
} from '../../../src/libvirt/index.js';
import { connectClient, domainXml, removeDomain, uniqueName, waitFor } from './helpers.js';

describe('libvirt client: statistics, guest info, detach by alias, backup, rename (real libvirtd)', () => {
  let c: LibvirtClient;
  const name = uniqueName('stats');
  const renamed = `${name}-r`;
  const dir = `/var/lib/libvirt/${uniqueName('test')}`;
  let dom: DomainRef;
  const events: DomainEvent[] = [];

  beforeAll(async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(`${dir}/vda.raw`, Buffer.alloc(1024 * 1024));
    await writeFile(`${dir}/usb.raw`, Buffer.alloc(1024 * 1024));
    c = await connectClient();
    c.on('event', (e) => {
      if (e.domain.name === name) events.push(e);
    });
    await c.subscribeDomainEvents(['device-removed', 'job-completed']);
    const devices =
      `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${dir}/vda.raw'/>` +
      "<target dev='vda' bus='virtio'/></disk>" +
      "<interface type='ethernet'><model type='virtio'/></interface>" +
      "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>";
    dom = await c.domainCreateWithFlags(await c.domainDefineXMLFlags(domainXml(name, { devices })));
  });
  afterAll(async () => {
    await removeDomain(c, name);
    await removeDomain(c, renamed);
    await c.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads domain memory, block and bulk statistics', async () => {
    const mem = await c.domainMemoryStats(dom);
    expect(mem['actual']).toBe(32 * 1024);
    expect(mem['rss']).toBeGreaterThan(0);
    expect(await c.domainGetBlockInfo(dom, 'vda')).toMatchObject({ capacity: 1024 * 1024 });
    const [rec] = await c.connectGetAllDomainStats([dom]);
    expect(rec?.dom.name).toBe(name);
    expect(rec?.stats).toMatchObject({
      'state.state': 1,
      'vcpu.current': 1,
      'block.count': 1,
      'net.count': 1,
    });
    // DHCP leases exist only for libvirt-network interfaces; an ethernet one has none.
    expect(await c.domainInterfaceAddresses(dom, InterfaceAddressesSource.LEASE)).toEqual([]);
  });

  it('reads host CPU and memory counters', async () => {
    const cpu = await c.nodeGetCPUStats();
    expect(Object.keys(cpu)).toEqual(expect.arrayContaining(['kernel', 'user', 'idle']));
    const mem = await c.nodeGetMemoryStats();
    expect(mem['total']).toBeGreaterThan(0);
    expect(mem['free']).toBeGreaterThan(0);
  });

  it('guest-agent helpers fail typed when no agent answers', async () => {
    for (const call of [
      () => c.domainFSFreeze(dom),
      () => c.domainAuthorizedSSHKeysGet(dom, 'root'),
      () => c.domainGetGuestInfo(dom),
    ]) {
      const err = (await call().catch((e: unknown) => e)) as LibvirtError;
      expect(err).toBeInstanceOf(LibvirtError);
      expect(err.message).toMatch(/agent/i);
    }
  });

  it('detaches a hot-plugged USB disk by its alias (device-removed)', async () => {
    const usb = `<disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='${dir}/usb.raw'/><target dev='sda' bus='usb'/><alias name='ua-ksusb'/></disk>`;
    await c.domainAttachDeviceFlags(dom, usb, DomainAffect.LIVE);
    await c.domainDetachDeviceAlias(dom, 'ua-ksusb', DomainAffect.LIVE);
    await waitFor(events, (e) => e.kind === 'device-removed' && e.devAlias === 'ua-ksusb');
  });

  it('runs a push backup of a disk to a file (job-completed)', async () => {
    const target = `${dir}/vda.backup.raw`;
    await c.domainBackupBegin(
      dom,
      `<domainbackup mode='push'><disks><disk name='vda' backup='yes' type='file'>
        <target file='${target}'/><driver type='raw'/></disk></disks></domainbackup>`,
    );
    await waitFor(events, (e) => e.kind === 'job-completed');
    expect((await stat(target)).size).toBe(1024 * 1024);
  });

  it('renames an inactive domain', async () => {
    await c.domainDestroyFlags(dom);
    const r = await c.domainRename(dom, renamed);
    expect((await c.domainLookupByName(renamed)).uuid).toBe(r.uuid);
    await expect(c.domainLookupByName(name)).rejects.toMatchObject({ reason: 'NotFound' });
  });
});
