/**
 * VirtualMachine configuration and device operations through the real apiserver, on one tiny guest
 * booted once for the file (vm-harness.ts). Results are read back from the object, from libvirt
 * (live and persistent XML) and, for what a guest sees, from inside the guest through its
 * qemu-guest-agent.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { waitingOf } from '../agent/harness.js';
import { guestRead, guestText } from './guest-helpers.js';
import { virsh } from './helpers.js';
import { until, useGuestVm } from './vm-harness.js';

const g = useGuestVm('vc13-cfg');

describe('VM configuration on a running tiny guest', () => {
  it('autoStartVM: libvirt autostart on, then off', async () => {
    expect(await virsh('dominfo', g.vm)).toMatch(/Autostart:\s+enable/);
    await g.ok('autoStartVM', { disable: true });
    expect(await virsh('dominfo', g.vm)).toMatch(/Autostart:\s+disable/);
  });
  it('changeNumberOfCPU: a live hot-plug the guest kernel sees; above the maximum refused', async () => {
    const o = await g.ok('changeNumberOfCPU', { count: '2', live: true });
    const vcpu = (o.spec?.domain as { vcpu?: { _current?: string; text?: string } } | undefined)?.vcpu;
    expect(String(vcpu?._current ?? vcpu?.text)).toBe('2');
    expect(await virsh('vcpucount', g.vm, '--live', '--active')).toBe('2');
    await until(
      'guest sees 2 CPUs',
      async () => (await guestText(g.t.libvirt, g.dom, '/sys/devices/system/cpu/present')).trim() === '0-1',
    );
    const bad = await g.op('changeNumberOfCPU', { count: '4', live: true });
    expect(waitingOf(bad)?.reason).toBe('InvalidParameter');
    expect(waitingOf(bad)?.message).toMatch(/count: 4 vCPUs exceed .* maximum of 2.*maximum=true/);
    await g.ok('changeNumberOfCPU', {
      count: '4',
      maximum: true,
      config: true,
      cores: '2',
      sockets: '1',
      threads: '2',
    });
    expect(await g.configXml()).toMatch(/<vcpu[^>]*>4<\/vcpu>/);
    expect(await g.configXml()).toMatch(/<topology sockets='1'( dies='1')? cores='2' threads='2'\/>/);
  });
  it('resizeRAM: the balloon shrinks what the guest has; resizeMaxRAM live refused, config written', async () => {
    const memTotal = async () =>
      Number(/MemTotal:\s+(\d+)/.exec(await guestText(g.t.libvirt, g.dom, '/proc/meminfo'))?.[1]);
    const before = await memTotal();
    await g.ok('resizeRAM', { size: '204800', live: true });
    await until('guest MemTotal drops', async () => (await memTotal()) < before - 30_000);
    const bad = await g.op('resizeRAM', { size: '1048576', live: true });
    expect(waitingOf(bad)?.message).toMatch(/size: .*exceeds the running VM's maximum memory.*resizeMaxRAM/);
    const live = await g.op('resizeMaxRAM', { size: '524288', live: true });
    expect(waitingOf(live)?.message).toMatch(/live: .*cannot change live.*config/);
    await g.ok('resizeMaxRAM', { size: '524288', config: true });
    expect(await g.configXml()).toMatch(/<memory unit='KiB'>524288<\/memory>/);
    expect(await g.liveXml()).toMatch(/<memory unit='KiB'>327680<\/memory>/);
  });
  it('setBootOrder: per-disk order in the definition; an unknown disk is refused', async () => {
    await g.ok('setBootOrder', { order: 'sda,vda' });
    const xml = await g.configXml();
    expect(xml).toMatch(/<target dev='sda' bus='scsi'\/>[\s\S]*?<boot order='1'\/>/);
    expect(xml).toMatch(/<target dev='vda' bus='virtio'\/>[\s\S]*?<boot order='2'\/>/);
    const bad = await g.op('setBootOrder', { order: 'vdz' });
    expect(waitingOf(bad)?.message).toMatch(/order: the VM has no disk 'vdz'/);
  });
  it('ejectISO / insertISO / manageISO: the guest reads the medium in the tray', async () => {
    const volumeId = async () =>
      (await guestRead(g.t.libvirt, g.dom, '/dev/sr0', { offset: 32768, count: 128 })).toString('latin1');
    expect(await volumeId()).toContain('CD001');
    await g.ok('ejectISO', { path: g.iso1, eject: true, force: true, block: false });
    expect(await virsh('domblklist', g.vm)).toMatch(/sda\s+-/);
    await expect(volumeId()).rejects.toThrow();
    await g.ok('insertISO', { path: g.iso2, insert: true, force: false, block: false, live: true });
    expect(await virsh('domblklist', g.vm)).toContain(g.iso2);
    expect(await g.configXml()).not.toContain(g.iso2); // live only, as asked
    await until('guest reads the new medium', async () =>
      (await volumeId().catch(() => '')).includes('CD001'),
    );
    await g.ok('manageISO', {
      path: 'sda',
      source: g.iso1,
      eject: false,
      insert: true,
      update: false,
      force: true,
      block: false,
    });
    expect(await virsh('domblklist', g.vm)).toContain(g.iso1);
    const both = await g.op('manageISO', {
      path: 'sda',
      source: g.iso1,
      eject: true,
      insert: true,
      update: false,
      force: true,
      block: false,
    });
    expect(waitingOf(both)?.message).toMatch(/eject: cannot be true together with insert/);
    const missing = await g.op('insertISO', {
      path: join(g.dir, 'nothere.iso'),
      insert: true,
      force: false,
      block: false,
    });
    expect(waitingOf(missing)?.reason).toBe('NotFound');
  });
  it('tuneDiskQoS: limits live and in the definition, read back from libvirt', async () => {
    const o = await g.ok('tuneDiskQoS', { device: 'vda', total_bytes_sec: '10485760', read_iops_sec: '400' });
    expect(waitingOf(o)?.message).toMatch(/total_bytes_sec=10485760.*read_iops_sec=400/);
    expect(await virsh('blkdeviotune', g.vm, 'vda', '--live')).toMatch(/total_bytes_sec\s*: 10485760/);
    expect(await virsh('blkdeviotune', g.vm, 'vda', '--config')).toMatch(/read_iops_sec\s*: 400/);
    const bad = await g.op('tuneDiskQoS', { device: 'vda', total_bytes_sec: '1', read_bytes_sec: '1' });
    expect(waitingOf(bad)?.message).toMatch(/total_bytes_sec: cannot be combined with read_bytes_sec/);
  });
  it('setVncPassword / unsetVncPassword live and config; updateGraphic and redirectUsb in the definition', async () => {
    // Started without a password, a VNC console cannot get one live (QEMU): the definition does.
    const set = await g.ok('setVncPassword', { password: 'abc-1234' });
    expect(waitingOf(set)?.message).toMatch(/in the definition.*started without a password/);
    expect(await g.configXml()).toMatch(/<graphics type='vnc'[^>]*passwd='abc-1234'/);
    const live = await g.op('setVncPassword', { password: 'abc-1234', live: true });
    expect(waitingOf(live)?.message).toMatch(/^live: the running VNC console was started without a password/);
    const long = await g.op('setVncPassword', { password: 'abcdefghijk' });
    expect(waitingOf(long)?.message).toMatch(/password: a VNC password can have at most 8/);
    await g.ok('unsetVncPassword', {});
    expect(await g.configXml()).not.toMatch(/passwd=/);
    await g.ok('updateGraphic', { type: 'spice', password: 'spice-pass-16ch' });
    expect(await g.configXml()).toMatch(/<graphics type='spice'[^>]*passwd='spice-pass-16ch'/);
    expect(await g.liveXml()).toMatch(/<graphics type='vnc'/); // from the next start, as documented
    await g.ok('redirectUsb', { action: 'on', number: '2' });
    expect((await g.configXml()).match(/<redirdev bus='usb' type='spicevmc'>/g)).toHaveLength(2);
    await g.ok('redirectUsb', { action: 'off' });
    expect(await g.configXml()).not.toMatch(/<redirdev/);
  });
  it('plugDevice / unplugDevice: a hot-plugged disk the guest sees and releases', async () => {
    const data = join(g.dir, 'data.qcow2');
    await execa('qemu-img', ['create', '-q', '-f', 'qcow2', data, '16M']);
    const file = join(g.dir, 'vdb-device.xml');
    await writeFile(
      file,
      `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${data}'/><target dev='vdb' bus='virtio'/></disk>`,
    );
    await g.ok('plugDevice', { file, live: true });
    await until('guest sees vdb', async () =>
      (await guestText(g.t.libvirt, g.dom, '/proc/partitions')).includes('vdb'),
    );
    await g.ok('unplugDevice', { file, live: true });
    expect(await virsh('domblklist', g.vm)).not.toContain(data);
    await writeFile(
      file,
      "<disk type='file' device='disk'><source file='/etc/shadow'/><target dev='vdc'/></disk>",
    );
    const bad = await g.op('plugDevice', { file, live: true });
    expect(waitingOf(bad)?.message).toMatch(/file: path '\/etc\/shadow' is not under/);
  });
  it('passthroughDevice: hostdev XML libvirt accepts into the definition (no spare device on this host)', async () => {
    // This host has no device to give away: a live add is refused (not present); the definition
    // takes the validated <hostdev>, and remove takes it out again.
    const absent = await g.op('passthroughDevice', {
      action: 'add',
      bus_num: '7f',
      sub_bus_num: '1f',
      dev_num: '7',
      dev_type: 'pci',
      live: true,
    });
    expect(waitingOf(absent)?.reason).toBe('NotFound');
    await g.ok('passthroughDevice', {
      action: 'add',
      bus_num: '7f',
      sub_bus_num: '1f',
      dev_num: '7',
      dev_type: 'pci',
    });
    expect(await g.configXml()).toMatch(
      /<hostdev mode='subsystem' type='pci' managed='yes'>[\s\S]*<address domain='0x0000' bus='0x7f' slot='0x1f' function='0x7'\/>/,
    );
    await g.ok('passthroughDevice', {
      action: 'remove',
      bus_num: '7f',
      sub_bus_num: '1f',
      dev_num: '7',
      dev_type: 'pci',
    });
    expect(await g.configXml()).not.toContain('<hostdev');
  });
});
