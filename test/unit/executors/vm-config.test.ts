import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { validateParams } from '../../../src/executors/validate.js';
import { affectFlags } from '../../../src/executors/virtual-machine/affect.js';
import { deviceKey } from '../../../src/executors/virtual-machine/device-key.js';
import * as G from '../../../src/executors/virtual-machine/params.gen.js';
import { hostdevOf } from '../../../src/executors/virtual-machine/passthrough-device.js';
import type { DomainDisk } from '../../../src/executors/virtual-machine/shared.js';
import { disksToRemove } from '../../../src/executors/virtual-machine/vm-storage.js';
import { DomainAffect } from '../../../src/libvirt/index.js';
import { parseXmlTree } from '../../../src/libvirt/xml/tree.js';

describe('live/config flags', () => {
  it('defaults: both for a running VM, the definition for a shut-off one', () => {
    expect(affectFlags({}, true)).toBe(DomainAffect.LIVE | DomainAffect.CONFIG);
    expect(affectFlags({}, false)).toBe(DomainAffect.CONFIG);
    expect(affectFlags({ current: true }, true)).toBe(DomainAffect.LIVE);
    expect(affectFlags({ hotpluggable: true }, true)).toBe(DomainAffect.LIVE);
  });
  it('live on a shut-off VM is refused, never turned into config', () => {
    expect(() => affectFlags({ live: true }, false)).toThrow(ValidationError);
    expect(() => affectFlags({ live: true }, false)).toThrow(/live: the VM is not running/);
  });
});

describe('passthroughDevice addresses', () => {
  const base = { action: 'add', live: false } as const;
  it('PCI bus:slot.function in hex, USB bus/device in decimal', () => {
    expect(hostdevOf({ ...base, dev_type: 'pci', bus_num: '01', sub_bus_num: '1f', dev_num: '7' })).toEqual({
      type: 'pci',
      bus: 1,
      slot: 31,
      function: 7,
    });
    expect(hostdevOf({ ...base, dev_type: 'usb', bus_num: '001', sub_bus_num: '0', dev_num: '12' })).toEqual({
      type: 'usb',
      bus: 1,
      device: 12,
    });
  });
  it('out-of-range parts are refused naming the parameter', () => {
    expect(() =>
      hostdevOf({ ...base, dev_type: 'pci', bus_num: '01', sub_bus_num: '20', dev_num: '0' }),
    ).toThrow(/sub_bus_num/);
    expect(() =>
      hostdevOf({ ...base, dev_type: 'pci', bus_num: '01', sub_bus_num: '00', dev_num: '8' }),
    ).toThrow(/dev_num/);
    expect(() =>
      hostdevOf({ ...base, dev_type: 'usb', bus_num: 'a', sub_bus_num: '0', dev_num: '1' }),
    ).toThrow(/bus_num/);
  });
});

describe('device identity', () => {
  it('a disk by target, a NIC by MAC, a host device by source address', () => {
    const k = (xml: string) => deviceKey(parseXmlTree(xml));
    expect(k("<disk><source file='/a'/><target dev='vdb'/></disk>")).toBe(
      k("<disk><target dev='vdb'/><alias name='x'/></disk>"),
    );
    expect(k("<interface><mac address='52:54:00:AA:00:01'/></interface>")).toBe(
      'interface:52:54:00:aa:00:01',
    );
    expect(
      k(
        "<hostdev type='pci'><source><address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></source></hostdev>",
      ),
    ).toBe(
      k(
        "<hostdev type='pci' managed='yes'><source><address domain='0' bus='1' slot='0' function='0'/></source><address type='pci'/></hostdev>",
      ),
    );
  });
});

describe('deleteVM storage selection', () => {
  const d = (target: string, source: string, device = 'disk'): DomainDisk => ({
    target,
    source,
    device,
    bus: 'virtio',
    type: 'file',
    format: 'qcow2',
    alias: undefined,
  });
  const disks = [
    d('vda', '/var/lib/libvirt/a/a'),
    d('vdb', '/var/lib/libvirt/b/b'),
    d('sda', '/var/lib/libvirt/x.iso', 'cdrom'),
  ];
  it('remove_all_storage: every disk, never CD-ROM media', () => {
    expect(disksToRemove(disks, true, undefined).map((x) => x.target)).toEqual(['vda', 'vdb']);
  });
  it('storage: by target or path; anything else is refused before anything changes', () => {
    expect(disksToRemove(disks, false, 'vdb,/var/lib/libvirt/a/a').map((x) => x.target)).toEqual([
      'vdb',
      'vda',
    ]);
    expect(() => disksToRemove(disks, false, 'vdc')).toThrow(/storage: 'vdc' is not a disk of this VM/);
    expect(disksToRemove(disks, false, undefined)).toEqual([]);
  });
});

describe('admission of the VM configuration operations', () => {
  const bad = (op: Parameters<typeof validateParams>[0], p: Record<string, unknown>) => () =>
    validateParams(op, p);
  const iso = '/var/lib/libvirt/images/x.iso';
  it('media: eject with insert, insert/eject false', () => {
    const m = { path: 'sda', source: iso, update: false, force: true, block: false };
    expect(bad(G.ManageISO, { ...m, eject: true, insert: true })).toThrow(
      /^eject: cannot be true together with insert/,
    );
    expect(bad(G.ManageISO, { ...m, eject: false, insert: false })).toThrow(
      /^insert: one of eject, insert or update/,
    );
    expect(bad(G.InsertISO, { path: iso, insert: false, force: true, block: false })).toThrow(
      /^insert: must be true/,
    );
    expect(bad(G.EjectISO, { path: iso, eject: false, force: true, block: false })).toThrow(
      /^eject: must be true/,
    );
  });
  it('disk QoS: a total limit excludes read/write of the same kind', () => {
    expect(bad(G.TuneDiskQoS, { device: 'vda', total_iops_sec: '1', write_iops_sec: '2' })).toThrow(
      /^total_iops_sec:/,
    );
    expect(
      validateParams(G.TuneDiskQoS, { device: 'vda', total_iops_sec: '1', read_bytes_sec: '2' }),
    ).toBeTruthy();
  });
  it('maximum vCPUs and memory change in the definition only', () => {
    expect(bad(G.ResizeMaxRAM, { size: '524288', live: true })).toThrow(/^live: .*cannot change live/);
    expect(bad(G.ChangeNumberOfCPU, { count: '4', maximum: true, live: true })).toThrow(/^maximum:/);
    expect(bad(G.ChangeNumberOfCPU, { count: '4', maximum: true, cores: '2' })).toThrow(/^cores: give all/);
    expect(
      bad(G.ChangeNumberOfCPU, { count: '2', maximum: true, cores: '2', sockets: '2', threads: '1' }),
    ).toThrow(/^count: the maximum \(2\) must equal/);
  });
});
