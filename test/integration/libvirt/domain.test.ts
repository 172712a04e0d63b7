import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DomainAffect,
  DomainBlockResizeFlags,
  type DomainEvent,
  DomainMetadataType,
  type DomainRef,
  type LibvirtClient,
  LibvirtError,
  param,
  paramsToObject,
} from '../../../src/libvirt/index.js';
import { connectClient, domainXml, removeDomain, uniqueName, waitFor } from './helpers.js';

const virsh = (...args: string[]) => execa('virsh', ['-c', 'qemu:///system', ...args]);

describe('libvirt client: domains (real libvirtd)', () => {
  let c: LibvirtClient;
  const name = uniqueName('dom');
  const dir = `/var/lib/libvirt/${uniqueName('test')}`;
  const diskPath = `${dir}/vdb.raw`;
  const usbPath = `${dir}/usb.raw`;
  let dom: DomainRef;
  const events: DomainEvent[] = [];

  beforeAll(async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(diskPath, Buffer.alloc(1024 * 1024));
    await writeFile(usbPath, Buffer.alloc(1024 * 1024));
    c = await connectClient();
    c.on('event', (e) => {
      if (e.domain.name === name) events.push(e);
    });
    await c.subscribeDomainEvents();
  });
  afterAll(async () => {
    await removeDomain(c, name);
    await c.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('defines a domain and finds it by name, UUID and in the list', async () => {
    dom = await c.domainDefineXMLFlags(
      domainXml(name, {
        maxVcpus: 2,
        vcpus: 1,
        devices:
          "<interface type='ethernet'><model type='virtio'/></interface>" +
          "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/><readonly/></disk>" +
          "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>",
      }),
    );
    expect(dom.name).toBe(name);
    expect(dom.id).toBe(-1);
    expect(await c.domainLookupByName(name)).toEqual(dom);
    expect(await c.domainLookupByUUID(dom.uuid)).toEqual(dom);
    const { stdout } = await virsh('domuuid', name);
    expect(dom.uuid).toBe(stdout.trim());
    expect((await c.connectListAllDomains()).map((d) => d.name)).toContain(name);
    expect(await c.domainIsPersistent(dom)).toBe(true);
    expect(await c.domainIsActive(dom)).toBe(false);
    expect((await c.domainGetState(dom)).stateName).toBe('shutoff');
    expect(await c.domainGetXMLDesc(dom)).toContain(`<name>${name}</name>`);
    const defined = await waitFor(events, (e) => e.kind === 'lifecycle' && e.event === 'Defined');
    expect(defined).toMatchObject({ detailName: 'added' });
  });

  it('changes the persistent config: vcpus, memory, max memory, autostart, metadata', async () => {
    await c.domainSetMaxMemory(dom, 48 * 1024);
    await c.domainSetMemoryFlags(dom, 40 * 1024, DomainAffect.CONFIG);
    await c.domainSetVcpusFlags(dom, 2, DomainAffect.CONFIG);
    expect(await c.domainGetVcpusFlags(dom, DomainAffect.CONFIG)).toBe(2);
    expect(await c.domainGetMaxMemory(dom)).toBe(48 * 1024);
    const info = await c.domainGetInfo(dom);
    expect(info).toMatchObject({ stateName: 'shutoff', maxMem: 48 * 1024, memory: 40 * 1024, nrVirtCpu: 2 });

    await c.domainSetAutostart(dom, true);
    expect(await c.domainGetAutostart(dom)).toBe(true);
    await c.domainSetAutostart(dom, false);
    expect(await c.domainGetAutostart(dom)).toBe(false);

    await c.domainSetMetadata(dom, DomainMetadataType.DESCRIPTION, 'made by the rpc test', null, null);
    expect(await c.domainGetMetadata(dom, DomainMetadataType.DESCRIPTION, null)).toBe('made by the rpc test');
    const uri = 'https://kubestack.example/ks-rpc';
    await c.domainSetMetadata(dom, DomainMetadataType.ELEMENT, '<owner>rpc-test</owner>', 'ks', uri);
    expect(await c.domainGetMetadata(dom, DomainMetadataType.ELEMENT, uri)).toContain('rpc-test');
    const missing = await c
      .domainGetMetadata(dom, DomainMetadataType.TITLE, null)
      .catch((e: unknown) => e as LibvirtError);
    expect(missing).toBeInstanceOf(LibvirtError);
    expect((missing as LibvirtError).is('NO_DOMAIN_METADATA')).toBe(true);
  });

  it('starts, suspends, resumes and destroys, with a lifecycle event for each', async () => {
    dom = await c.domainCreateWithFlags(dom);
    expect(dom.id).toBeGreaterThan(0);
    await waitFor(events, (e) => e.kind === 'lifecycle' && e.event === 'Started');
    expect((await c.domainGetInfo(dom)).stateName).toBe('running');
    // The agent channel's state is announced at start: disconnected (2), reason domain-started (1).
    const agent = await waitFor(events, (e) => e.kind === 'agent-lifecycle');
    expect(agent).toMatchObject({ state: 2, reason: 1 });

    await c.domainSuspend(dom);
    await waitFor(events, (e) => e.kind === 'lifecycle' && e.event === 'Suspended');
    expect((await c.domainGetState(dom)).stateName).toBe('paused');

    await c.domainResume(dom);
    await waitFor(events, (e) => e.kind === 'lifecycle' && e.event === 'Resumed');
    expect((await c.domainGetState(dom)).stateName).toBe('running');

    await c.domainReset(dom);
    await waitFor(events, (e) => e.kind === 'reboot');
    await c.domainReboot(dom); // asks ACPI; an OS-less guest ignores it, the call itself succeeds
    await c.domainShutdownFlags(dom); // likewise only a request
    await c.domainDestroyFlags(dom);
    const stopped = await waitFor(events, (e) => e.kind === 'lifecycle' && e.event === 'Stopped');
    expect(stopped.domain.uuid).toBe(dom.uuid);
    expect(stopped).toMatchObject({ detailName: 'destroyed' });
    const kinds = events.flatMap((e) => (e.kind === 'lifecycle' ? [`${e.event}/${e.detailName}`] : []));
    expect(kinds).toEqual(expect.arrayContaining(['Started/booted', 'Suspended/paused', 'Resumed/unpaused']));
    expect((await c.domainGetState(dom)).stateName).toBe('shutoff');
  });

  it('reports operation-invalid errors typed (suspending a stopped domain)', async () => {
    const err = (await c.domainSuspend(dom).catch((e: unknown) => e)) as LibvirtError;
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err.isOperationInvalid).toBe(true);
    expect(err.reason).toBe('LibvirtError');
  });

  it('hot-plugs a disk (device-added), tunes and resizes it, and updates and detaches config devices', async () => {
    dom = await c.domainCreateWithFlags(dom);
    const disk = `<disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='${diskPath}'/><target dev='vdb' bus='virtio'/></disk>`;
    await c.domainAttachDeviceFlags(dom, disk, DomainAffect.LIVE);
    const added = await waitFor(events, (e) => e.kind === 'device-added');
    expect(added.kind === 'device-added' && added.devAlias).toMatch(/virtio-disk/);
    expect(await c.domainGetXMLDesc(dom)).toContain("dev='vdb'");

    await c.domainSetBlockIoTune(dom, 'vdb', [param.ullong('total_iops_sec', 500)], DomainAffect.LIVE);
    const tune = paramsToObject(await c.domainGetBlockIoTune(dom, 'vdb', DomainAffect.LIVE));
    expect(tune['total_iops_sec']).toBe(500);

    await c.domainBlockResize(dom, 'vdb', 2 * 1024 * 1024, DomainBlockResizeFlags.BYTES);
    expect((await stat(diskPath)).size).toBe(2 * 1024 * 1024);

    const iface = (await c.domainGetXMLDesc(dom)).match(/<target dev='(vnet\d+)'/)?.[1];
    expect(iface).toBeDefined();
    const live = paramsToObject(await c.domainGetInterfaceParameters(dom, iface as string));
    expect(live).toHaveProperty('inbound.average');
    const mac = (await c.domainGetXMLDesc(dom)).match(/<mac address='([^']+)'/)?.[1] as string;
    await c.domainSetInterfaceParameters(
      dom,
      mac,
      [param.uint('inbound.average', 1000)],
      DomainAffect.CONFIG,
    );
    const cfg = paramsToObject(await c.domainGetInterfaceParameters(dom, mac, DomainAffect.CONFIG));
    expect(cfg['inbound.average']).toBe(1000);

    const cdrom = `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>
      <target dev='hdd' bus='ide'/><readonly/></disk>`;
    await c.domainAttachDeviceFlags(dom, cdrom, DomainAffect.CONFIG);
    await c.domainUpdateDeviceFlags(
      dom,
      cdrom.replace('<target', "<source file='/dev/null'/><target"),
      DomainAffect.CONFIG,
    );
    expect(await c.domainGetXMLDesc(dom, 2 /* inactive */)).toMatch(
      /<source file='\/dev\/null'[^>]*\/>\s*<target dev='hdd'/,
    );
    await c.domainDetachDeviceFlags(dom, cdrom, DomainAffect.CONFIG);
    expect(await c.domainGetXMLDesc(dom, 2)).not.toContain("dev='hdd'");
  });

  it('unplugs a USB disk without guest help (device-removed) and changes CD media live (tray-change)', async () => {
    const usb = `<disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='${usbPath}'/><target dev='sda' bus='usb'/></disk>`;
    await c.domainAttachDeviceFlags(dom, usb, DomainAffect.LIVE);
    await c.domainDetachDeviceFlags(dom, usb, DomainAffect.LIVE);
    const removed = await waitFor(events, (e) => e.kind === 'device-removed');
    expect(removed.kind === 'device-removed' && removed.devAlias).toMatch(/usb-disk/);
    expect(await c.domainGetXMLDesc(dom)).not.toContain("dev='sda'");

    const media = `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>
      <source file='${usbPath}'/><target dev='hdc' bus='ide'/><readonly/></disk>`;
    await c.domainUpdateDeviceFlags(dom, media, DomainAffect.LIVE);
    const tray = await waitFor(events, (e) => e.kind === 'tray-change');
    expect(tray.kind === 'tray-change' && tray.devAlias).toMatch(/ide0-1-0/);
  });

  it('reads and sets scheduler parameters', async () => {
    const { type } = await c.domainGetSchedulerType(dom);
    expect(type).toBe('posix');
    const before = paramsToObject(await c.domainGetSchedulerParametersFlags(dom, DomainAffect.CONFIG));
    expect(before).toHaveProperty('cpu_shares');
    await c.domainSetSchedulerParametersFlags(dom, [param.ullong('cpu_shares', 512)], DomainAffect.CONFIG);
    const after = paramsToObject(await c.domainGetSchedulerParametersFlags(dom, DomainAffect.CONFIG));
    expect(after['cpu_shares']).toBe(512);
  });

  it('guest-agent calls fail typed when no agent answers in the guest', async () => {
    const pw = (await c
      .domainSetUserPassword(dom, 'root', 'secret')
      .catch((e: unknown) => e)) as LibvirtError;
    expect(pw).toBeInstanceOf(LibvirtError);
    expect(pw.message).toMatch(/agent/i);
    const ga = (await c
      .qemuDomainAgentCommand(dom, '{"execute":"guest-ping"}', 1)
      .catch((e: unknown) => e)) as LibvirtError;
    expect(ga).toBeInstanceOf(LibvirtError);
    expect(ga.message).toMatch(/agent/i);
  });

  it('migration with parameters reaches the daemon (one host: refused as a migration to itself)', async () => {
    const err = (await c
      .domainMigrateToURI3(dom, 'qemu:///system', [param.string('migrate_uri', 'tcp://127.0.0.1:49152')], 1)
      .catch((e: unknown) => e)) as LibvirtError;
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err.procedure).toBe('DOMAIN_MIGRATE_PERFORM3_PARAMS');
    expect((await c.domainGetState(dom)).stateName).toBe('running');
  });

  it('managed save: saves, finds the image, removes it', async () => {
    expect((await c.domainGetJobInfo(dom)).type).toBe(0); // no job running
    await c.domainManagedSave(dom);
    const job = await waitFor(events, (e) => e.kind === 'job-completed', 5000);
    expect(job.kind === 'job-completed' && job.stats).toHaveProperty('time_elapsed');
    expect((await c.domainGetState(dom)).stateName).toBe('shutoff');
    expect(await c.domainHasManagedSaveImage(dom)).toBe(true);
    await c.domainManagedSaveRemove(dom);
    expect(await c.domainHasManagedSaveImage(dom)).toBe(false);
  });

  it('undefines the domain (Undefined event) and lookups then fail NotFound', async () => {
    await c.domainUndefineFlags(dom);
    await waitFor(events, (e) => e.kind === 'lifecycle' && e.event === 'Undefined');
    await expect(c.domainLookupByName(name)).rejects.toMatchObject({ reason: 'NotFound' });
  });
});
