/**
 * VirtualMachine configuration, device and guest operations through the real apiserver, on one
 * tiny guest (TCG: a guest kernel does not boot under KVM here) booted once for the whole file.
 * Requests are written as the Java SDK writes them; results are read back from the object, from
 * libvirt (live and persistent XML) and, for what a guest sees, from inside the guest through its
 * qemu-guest-agent and its serial console.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../src/agent/agent.js';
import { DEFAULTS } from '../../../src/agent/config.js';
import type { KubeClient } from '../../../src/agent/kube/client.js';
import { registryCatalog } from '../../../src/agent/registry-catalog.js';
import type { DomainRef } from '../../../src/libvirt/index.js';
import { buildTestIso } from '../../fixtures/e2e/iso.js';
import { tinyGuest } from '../../fixtures/e2e/tiny-guest.js';
import {
  adminClient,
  agentKubeconfig,
  cleanupNode,
  create,
  get,
  lastOperationOf,
  mergePatch,
  removeAgentAccess,
  uniqueNode,
  waitFor,
  waitGone,
  waitingOf,
  waitOperation,
} from '../agent/harness.js';
import { guestRead, guestText, tinyGuestXml, waitConsole, waitGuestAgent } from './guest-helpers.js';
import { type E2E, e2eServices, env, quietLog, removeDomain, virsh } from './helpers.js';

const vc13 = (what: string) => `vc13-${what}-${randomBytes(3).toString('hex')}`;
const PREFIX = 'vc13-cfg';
const node = uniqueNode('vc13');
const vm = vc13('guest');
let admin: KubeClient;
let agent: Agent;
let t: E2E;
let dom: DomainRef;
let dir: string;
let serial: string;
let root: string;
let iso1: string;
let iso2: string;

type Obj = Awaited<ReturnType<typeof waitOperation>>;

/** Puts one lifecycle request on the VM (as the SDK's update does) and waits for its result. */
async function op(name: string, params: Record<string, unknown>): Promise<Obj> {
  const eventId = `${name}.event.${randomBytes(3).toString('hex')}`;
  await mergePatch(admin, 'VirtualMachine', vm, {
    metadata: { labels: { 'kubestack.label.event.id': eventId } },
    spec: { lifecycle: { [name]: params } },
  });
  // The same operation may run several times: wait for the result of this request (its event id).
  return waitFor(
    `${name} (${eventId}) finished`,
    async () => {
      const o = await get(admin, 'VirtualMachine', vm);
      const last = lastOperationOf(o);
      return last?.eventId === eventId && last.phase !== 'Running' ? o : undefined;
    },
    90_000,
    25,
  );
}

async function ok(name: string, params: Record<string, unknown>): Promise<Obj> {
  const o = await op(name, params);
  expect(waitingOf(o)?.reason, `${name}: ${waitingOf(o)?.message}`).toBe('Running');
  return o;
}

const liveXml = () => virsh('dumpxml', vm, '--security-info');
const configXml = () => virsh('dumpxml', vm, '--inactive', '--security-info');

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not seen within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  admin = adminClient();
  const kubeconfig = await agentKubeconfig(PREFIX);
  t = await e2eServices({ unplugTimeoutMs: 30_000, vmStopTimeoutMs: 60_000 });
  dir = join('/var/lib/libvirt', vc13('dir'));
  await mkdir(dir, { recursive: true });
  serial = join(dir, 'console.log');
  root = join(dir, 'root.qcow2');
  await execa('qemu-img', ['create', '-q', '-f', 'qcow2', root, '64M']);
  iso1 = await buildTestIso(dir, 'media-one');
  iso2 = await buildTestIso(dir, 'media-two');
  const guest = await tinyGuest();
  const xml = tinyGuestXml(vm, guest, { root, iso: iso1, serial, bridge: env.testBridge });
  dom = await t.libvirt.domainDefineXMLFlags(xml, 0);
  await t.libvirt.domainCreate(dom);
  await waitConsole(serial, 'KSGUEST READY', 1, 120_000);
  await waitGuestAgent(t.libvirt, dom, 60_000);
  agent = await Agent.start({
    config: { ...DEFAULTS, kubeconfig, nodeName: node, metricsAddr: '', journalDir: join(dir, 'journal') },
    catalog: registryCatalog(),
    services: t.services,
    log: quietLog,
  });
  // The VM's object, as the SDK creates one for an existing domain, with a first request.
  await create(admin, {
    apiVersion: 'doslab.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: vm, namespace: 'default', labels: { host: node, 'kubestack.label.event.id': 'ev-1' } },
    spec: { nodeName: node, lifecycle: { autoStartVM: {} } },
  });
  await waitOperation(admin, 'VirtualMachine', vm, 'autoStartVM', 60_000);
}, 300_000);

afterAll(async () => {
  await removeDomain(vm);
  await agent?.stop();
  await cleanupNode(admin, node);
  await removeAgentAccess(PREFIX);
  admin.close();
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('VM configuration on a running tiny guest', () => {
  it('autoStartVM: libvirt autostart on, then off', async () => {
    expect(await virsh('dominfo', vm)).toMatch(/Autostart:\s+enable/);
    await ok('autoStartVM', { disable: true });
    expect(await virsh('dominfo', vm)).toMatch(/Autostart:\s+disable/);
  });

  it('changeNumberOfCPU: a live hot-plug the guest kernel sees; above the maximum refused', async () => {
    const o = await ok('changeNumberOfCPU', { count: '2', live: true });
    const vcpu = (o.spec?.domain as { vcpu?: { _current?: string; text?: string } } | undefined)?.vcpu;
    expect(vcpu?._current ?? vcpu?.text).toBe('2');
    expect(await virsh('vcpucount', vm, '--live', '--active')).toBe('2');
    await until(
      'guest sees 2 CPUs',
      async () => (await guestText(t.libvirt, dom, '/sys/devices/system/cpu/present')).trim() === '0-1',
    );
    const bad = await op('changeNumberOfCPU', { count: '4', live: true });
    expect(waitingOf(bad)?.reason).toBe('InvalidParameter');
    expect(waitingOf(bad)?.message).toMatch(/count: 4 vCPUs exceed .* maximum of 2.*maximum=true/);
    await ok('changeNumberOfCPU', {
      count: '4',
      maximum: true,
      config: true,
      cores: '2',
      sockets: '1',
      threads: '2',
    });
    expect(await configXml()).toMatch(/<vcpu[^>]*>4<\/vcpu>/);
    expect(await configXml()).toMatch(/<topology sockets='1'( dies='1')? cores='2' threads='2'\/>/);
  });

  it('resizeRAM: the balloon shrinks what the guest has; resizeMaxRAM live refused, config written', async () => {
    const memTotal = async () =>
      Number(/MemTotal:\s+(\d+)/.exec(await guestText(t.libvirt, dom, '/proc/meminfo'))?.[1]);
    const before = await memTotal();
    await ok('resizeRAM', { size: '204800', live: true });
    await until('guest MemTotal drops', async () => (await memTotal()) < before - 30_000);
    const bad = await op('resizeRAM', { size: '1048576', live: true });
    expect(waitingOf(bad)?.message).toMatch(/size: .*exceeds the running VM's maximum memory.*resizeMaxRAM/);
    const live = await op('resizeMaxRAM', { size: '524288', live: true });
    expect(waitingOf(live)?.message).toMatch(/live: .*cannot change live.*config/);
    await ok('resizeMaxRAM', { size: '524288', config: true });
    expect(await configXml()).toMatch(/<memory unit='KiB'>524288<\/memory>/);
    expect(await liveXml()).toMatch(/<memory unit='KiB'>327680<\/memory>/);
  });

  it('setBootOrder: per-disk order in the definition; an unknown disk is refused', async () => {
    await ok('setBootOrder', { order: 'sda,vda' });
    const xml = await configXml();
    expect(xml).toMatch(/<target dev='sda' bus='scsi'\/>[\s\S]*?<boot order='1'\/>/);
    expect(xml).toMatch(/<target dev='vda' bus='virtio'\/>[\s\S]*?<boot order='2'\/>/);
    const bad = await op('setBootOrder', { order: 'vdz' });
    expect(waitingOf(bad)?.message).toMatch(/order: the VM has no disk 'vdz'/);
  });

  it('ejectISO / insertISO / manageISO: the guest reads the medium in the tray', async () => {
    const volumeId = async () =>
      (await guestRead(t.libvirt, dom, '/dev/sr0', { offset: 32768, count: 128 })).toString('latin1');
    expect(await volumeId()).toContain('CD001');
    await ok('ejectISO', { path: iso1, eject: true, force: true, block: false });
    expect(await virsh('domblklist', vm)).toMatch(/sda\s+-/);
    await expect(volumeId()).rejects.toThrow();
    await ok('insertISO', { path: iso2, insert: true, force: false, block: false, live: true });
    expect(await virsh('domblklist', vm)).toContain(iso2);
    expect(await configXml()).not.toContain(iso2); // live only, as asked
    await until('guest reads the new medium', async () =>
      (await volumeId().catch(() => '')).includes('CD001'),
    );
    await ok('manageISO', {
      path: 'sda',
      source: iso1,
      eject: false,
      insert: true,
      update: false,
      force: true,
      block: false,
    });
    expect(await virsh('domblklist', vm)).toContain(iso1);
    const both = await op('manageISO', {
      path: 'sda',
      source: iso1,
      eject: true,
      insert: true,
      update: false,
      force: true,
      block: false,
    });
    expect(waitingOf(both)?.message).toMatch(/eject: cannot be true together with insert/);
    const missing = await op('insertISO', {
      path: join(dir, 'nothere.iso'),
      insert: true,
      force: false,
      block: false,
    });
    expect(waitingOf(missing)?.reason).toBe('NotFound');
  });

  it('tuneDiskQoS: limits live and in the definition, read back from libvirt', async () => {
    const o = await ok('tuneDiskQoS', { device: 'vda', total_bytes_sec: '10485760', read_iops_sec: '400' });
    expect(waitingOf(o)?.message).toMatch(/total_bytes_sec=10485760.*read_iops_sec=400/);
    expect(await virsh('blkdeviotune', vm, 'vda', '--live')).toMatch(/total_bytes_sec\s*: 10485760/);
    expect(await virsh('blkdeviotune', vm, 'vda', '--config')).toMatch(/read_iops_sec\s*: 400/);
    const bad = await op('tuneDiskQoS', { device: 'vda', total_bytes_sec: '1', read_bytes_sec: '1' });
    expect(waitingOf(bad)?.message).toMatch(/total_bytes_sec cannot be combined with read_bytes_sec/);
  });

  it('setVncPassword / unsetVncPassword live and config; updateGraphic and redirectUsb in the definition', async () => {
    // Started without a password, a VNC console cannot get one live (QEMU): the definition does.
    const set = await ok('setVncPassword', { password: 'abc-1234' });
    expect(waitingOf(set)?.message).toMatch(/in the definition.*started without a password/);
    expect(await configXml()).toMatch(/<graphics type='vnc'[^>]*passwd='abc-1234'/);
    const live = await op('setVncPassword', { password: 'abc-1234', live: true });
    expect(waitingOf(live)?.message).toMatch(/^live: the running VNC console was started without a password/);
    const long = await op('setVncPassword', { password: 'abcdefghijk' });
    expect(waitingOf(long)?.message).toMatch(/password: a VNC password can have at most 8/);
    await ok('unsetVncPassword', {});
    expect(await configXml()).not.toMatch(/passwd=/);
    await ok('updateGraphic', { type: 'spice', password: 'spice-pass-16ch' });
    expect(await configXml()).toMatch(/<graphics type='spice'[^>]*passwd='spice-pass-16ch'/);
    expect(await liveXml()).toMatch(/<graphics type='vnc'/); // from the next start, as documented
    await ok('redirectUsb', { action: 'on', number: '2' });
    expect((await configXml()).match(/<redirdev bus='usb' type='spicevmc'>/g)).toHaveLength(2);
    await ok('redirectUsb', { action: 'off' });
    expect(await configXml()).not.toMatch(/<redirdev/);
  });

  it('plugDevice / unplugDevice: a hot-plugged disk the guest sees and releases', async () => {
    const data = join(dir, 'data.qcow2');
    await execa('qemu-img', ['create', '-q', '-f', 'qcow2', data, '16M']);
    const file = join(dir, 'vdb-device.xml');
    await writeFile(
      file,
      `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${data}'/><target dev='vdb' bus='virtio'/></disk>`,
    );
    await ok('plugDevice', { file, live: true });
    await until('guest sees vdb', async () =>
      (await guestText(t.libvirt, dom, '/proc/partitions')).includes('vdb'),
    );
    await ok('unplugDevice', { file, live: true });
    expect(await virsh('domblklist', vm)).not.toContain(data);
    await writeFile(
      file,
      "<disk type='file' device='disk'><source file='/etc/shadow'/><target dev='vdc'/></disk>",
    );
    const bad = await op('plugDevice', { file, live: true });
    expect(waitingOf(bad)?.message).toMatch(/file: path '\/etc\/shadow' is not under/);
  });

  it('passthroughDevice: hostdev XML libvirt accepts into the definition (no spare device on this host)', async () => {
    // This host has no device to give away: a live add is refused (not present); the definition
    // takes the validated <hostdev>, and remove takes it out again.
    const absent = await op('passthroughDevice', {
      action: 'add',
      bus_num: '7f',
      sub_bus_num: '1f',
      dev_num: '7',
      dev_type: 'pci',
      live: true,
    });
    expect(waitingOf(absent)?.reason).toBe('NotFound');
    await ok('passthroughDevice', {
      action: 'add',
      bus_num: '7f',
      sub_bus_num: '1f',
      dev_num: '7',
      dev_type: 'pci',
    });
    expect(await configXml()).toMatch(
      /<hostdev mode='subsystem' type='pci' managed='yes'>[\s\S]*<address domain='0x0000' bus='0x7f' slot='0x1f' function='0x7'\/>/,
    );
    await ok('passthroughDevice', {
      action: 'remove',
      bus_num: '7f',
      sub_bus_num: '1f',
      dev_num: '7',
      dev_type: 'pci',
    });
    expect(await configXml()).not.toContain('<hostdev');
  });

  it('setGuestPassword / injectSshKey: the guest shadow file and authorized_keys change', async () => {
    expect(await guestText(t.libvirt, dom, '/etc/shadow')).toMatch(/^root:\*:/);
    await ok('setGuestPassword', { os_type: 'linux', user: 'root', password: 'vc13-secret' });
    expect(await guestText(t.libvirt, dom, '/etc/shadow')).toMatch(/^root:\$6\$[^:]+:/);
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFvc13testkeyvc13testkeyvc13testkeyvc1 vc13@test';
    await ok('injectSshKey', { os_type: 'linux', user: 'root', ssh_key: key });
    await ok('injectSshKey', { os_type: 'linux', user: 'root', ssh_key: key });
    const keys = await guestText(t.libvirt, dom, '/root/.ssh/authorized_keys');
    expect(keys.split('\n').filter((l) => l === key)).toHaveLength(1);
  });

  it('deleteVM of a running VM is refused; rebootVM and stopVM really happen in the guest', async () => {
    const refused = await op('deleteVM', {});
    expect(waitingOf(refused)?.message).toMatch(/is running: stop it first/);
    expect(await virsh('domstate', vm)).toBe('running');
    await ok('rebootVM', {});
    await waitConsole(serial, 'KSGUEST READY', 2, 120_000);
    const o = await op('stopVM', {});
    expect(o.spec?.powerstate).toBe('Shutdown');
    await waitConsole(serial, 'KSGUEST POWEROFF', 2, 10_000);
  }, 240_000);

  it('updateOS replaces the system disk of the stopped VM and keeps the old one; deleteVM removes storage', async () => {
    const template = join(dir, 'template.qcow2');
    await execa('qemu-img', ['create', '-q', '-f', 'qcow2', template, '32M']);
    await execa('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 64k', template]);
    const o = await op('updateOS', { source: root, target: template });
    expect(waitingOf(o)?.reason).toBe('Shutdown');
    const old = /kept as '([^']+)'/.exec(waitingOf(o)?.message ?? '')?.[1] as string;
    expect(existsSync(old)).toBe(true);
    await execa('qemu-img', ['compare', '-q', template, root]);
    await op('deleteVM', { remove_all_storage: true });
    await waitGone(admin, 'VirtualMachine', vm);
    expect(await virsh('domstate', vm).catch(() => 'absent')).toBe('absent');
    expect(existsSync(root)).toBe(false);
    expect(existsSync(iso1)).toBe(true); // CD-ROM media are not the VM's storage
  }, 120_000);
});
