/**
 * The domain XML builder and the XML⇄JSON converter against the REAL libvirtd of the test bed:
 * domains built by buildDomainXml are defined, started (OS-less: the firmware runs), hot-plugged
 * with the device builders, dumped and converted; virsh is used to drive and cross-check.
 * Everything is named `ks-xml-<pid>-…` and removed afterwards.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCdromXml,
  buildDiskDeviceXml,
  buildDomainXml,
  buildGraphicsXml,
  buildInterfaceXml,
  type DomainSpec,
  domainSpecFromParams,
  setBootOrder,
} from '../../../src/libvirt/domain-xml/index.js';
import {
  domainXmlToJson,
  type JsonObject,
  jsonToXml,
  snapshotXmlToJson,
} from '../../../src/libvirt/xml-json.js';
import { testbedEnv } from '../testbed-env.js';
import { q35Spec, snapshotSpec } from './fixture-domains.js';
import { defineXml, imageDir, qemuImgCreate, removeDomain, virsh } from './virsh.js';

const env = testbedEnv();
const prefix = `ks-xml-${process.pid}`;
const names = {
  tiny: `${prefix}-tiny`,
  copy: `${prefix}-copy`,
  golden: `${prefix}-golden`,
  snap: `${prefix}-snap`,
};
let dir = '';
let cleanupDir: () => Promise<void> = async () => undefined;

const obj = (v: unknown) => v as JsonObject;
const list = (v: unknown) => v as JsonObject[];

/** All key paths of a JSON value (list items merged), for comparing shapes regardless of values. */
function shape(value: unknown, path = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    out.add(`${path}[]`);
    for (const item of value) shape(item, `${path}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(`${path}.${k}`);
      shape(v, `${path}.${k}`, out);
    }
  }
  return out;
}

function tinySpec(): DomainSpec {
  const base = domainSpecFromParams(
    {
      // QEMU can change a VNC password live only if the display started with one.
      graphics: 'vnc,listen=127.0.0.1,password=abcd',
      disk: `${dir}/tiny.qcow2,format=qcow2 --disk ${dir}/tiny.iso,device=cdrom`,
      memory: '100',
      network: `type=bridge,source=${env.testBridge},mac=52:54:00:6b:78:01`,
      os_variant: 'centos7.0',
      vcpus: '1,maxvcpus=2',
      noautoconsole: true,
    },
    { name: names.tiny, nodeVirtType: env.virtType },
  );
  // OS-less and small: 32 MiB is below the API's 100 MiB floor, so the spec is adjusted directly.
  return { ...base, memoryMib: 32, maxMemoryMib: 32, serial: { type: 'file', path: `${dir}/console.log` } };
}

beforeAll(async () => {
  ({ dir, cleanup: cleanupDir } = await imageDir(`${prefix}-`));
  await Promise.all([
    qemuImgCreate(`${dir}/tiny.qcow2`, 'qcow2'),
    qemuImgCreate(`${dir}/tiny.iso`, 'raw', '1M'),
    qemuImgCreate(`${dir}/other.iso`, 'raw', '1M'),
    qemuImgCreate(`${dir}/hot.qcow2`, 'qcow2'),
    qemuImgCreate(`${dir}/system.qcow2`, 'qcow2'),
    qemuImgCreate(`${dir}/data.raw`, 'raw'),
    qemuImgCreate(`${dir}/install.iso`, 'raw', '1M'),
    qemuImgCreate(`${dir}/snap.qcow2`, 'qcow2'),
  ]);
});

afterEach(async () => {
  for (const name of Object.values(names)) await removeDomain(name);
});

afterAll(async () => {
  for (const name of Object.values(names)) await removeDomain(name);
  await cleanupDir();
  const left = await virsh('list', '--all', '--name');
  expect(left).not.toContain(prefix);
});

describe('libvirtd accepts (schema-validated) what the builder makes of the documented parameters', () => {
  const doc = (n: number) => `${prefix}-doc${n}`;
  afterEach(async () => {
    for (let i = 0; i < 5; i++) await removeDomain(doc(i));
  });

  const sets: Record<string, unknown>[] = [
    // The documented example, with its CD-ROM moved inside the allowed roots.
    {
      metadata: 'uuid=950646e8-c17a-49d0-b83c-1c797811e001',
      livecd: 'false',
      graphics: 'vnc,listen=0.0.0.0,password=abcdefg',
      disk: 'IMG,read_bytes_sec=1024000000,write_bytes_sec=1024000000 --disk ISO,device=cdrom,perms=ro',
      memory: '2048',
      network:
        'type=l3bridge,source=br-int,ip=192.168.5.9,switch=switch8888,model=e1000,inbound=102400,outbound=102400',
      virt_type: 'kvm',
      boot: 'hd',
      redirdev: 'usb,type=tcp,server=192.168.1.1:4000',
      os_variant: 'centos7.0',
      vcpus: '2,cpuset=1-4,maxvcpus=40,cores=40,sockets=1,threads=1',
      cdrom: 'ISO',
      cputune: 'vcpupin0.vcpu=0',
      noautoconsole: true,
    },
    {
      graphics: 'spice,listen=0.0.0.0,password=abcdefghijklmnop',
      disk: 'IMG --disk ISO,device=cdrom',
      memory: '512',
      network: 'type=l2bridge,source=br-int,model=rtl8139',
      os_variant: 'winxp',
      vcpus: '1',
      redirdev: 'usb,type=spicevmc',
      livecd: true,
      noautoconsole: true,
    },
    {
      graphics: 'vnc,listen=127.0.0.1,port=5999',
      disk: 'IMG,bus=sata,cache=writeback --disk IMG2,format=raw,target=sdc,perms=sh',
      memory: '100,maxmemory=1024',
      network: 'type=bridge,source=virbr0,mac=52:54:00:00:00:aa',
      os_variant: 'debian11',
      vcpus: '2,maxvcpus=8,sockets=2,threads=2',
      cputune: 'shares=512,period=100000,quota=50000,emulatorpin.cpuset=0',
      boot: 'cdrom,hd,network',
      cdrom: 'ISO',
      noautoconsole: true,
    },
    {
      graphics: 'vnc,listen=0.0.0.0',
      disk: 'IMG,target=hda --disk IMG2,target=hdb,format=raw',
      memory: '256',
      network: 'type=bridge,source=virbr0',
      os_variant: 'freebsd13.0',
      vcpus: '1',
      virt_type: 'qemu',
      noautoconsole: true,
    },
    {
      graphics: 'vnc,listen=0.0.0.0',
      disk: 'IMG',
      memory: '256',
      network: 'type=bridge,source=virbr0',
      os_variant: 'generic',
      vcpus: '3,cpuset=0-1,3,maxvcpus=3',
      noautoconsole: true,
    },
  ];

  it.each(sets.map((template, i) => [i, template] as const))('parameter set %i', async (i, template) => {
    const fill = (v: unknown) =>
      typeof v === 'string'
        ? v
            .replace(/\bIMG2\b/g, `${dir}/data.raw`)
            .replace(/\bIMG\b/g, `${dir}/system.qcow2`)
            .replace(/\bISO\b/g, `${dir}/install.iso`)
        : v;
    const params = Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fill(v)]));
    const name = doc(i);
    await writeFile(
      `${dir}/${name}.xml`,
      buildDomainXml(domainSpecFromParams(params, { name, nodeVirtType: env.virtType })),
    );
    await virsh('define', '--validate', `${dir}/${name}.xml`);
    const d = domainXmlToJson(await virsh('dumpxml', '--inactive', name));
    expect(d.name).toEqual({ text: name });
    expect(obj(d.features)).toMatchObject({ acpi: {}, apic: {} });
  });
});

describe('a domain from buildDomainXml on the real libvirtd', () => {
  it('defines, starts, dumps, converts, hot-plugs, destroys and undefines', async () => {
    await defineXml(dir, buildDomainXml(tinySpec()), 'tiny.xml');
    await virsh('start', names.tiny);
    expect((await virsh('domstate', names.tiny)).trim()).toBe('running');

    const live = domainXmlToJson(await virsh('dumpxml', names.tiny));
    expect(live._type).toBe(env.virtType);
    expect(live.name).toEqual({ text: names.tiny });
    expect(live.currentMemory).toEqual({ _unit: 'KiB', text: 32768 });
    expect(obj(live.vcpu)).toMatchObject({ _current: 1, text: 2 });
    expect(obj(live.features)).toMatchObject({ acpi: {}, apic: {} });
    const devices = obj(live.devices);
    expect(list(devices.disk).map((d) => obj(d.target)._dev)).toEqual(['vda', 'sda']);
    const [nic] = list(devices._interface);
    expect(obj(nic?.mac)._address).toBe('52:54:00:6b:78:01');
    expect(obj(nic?.target)._dev).toBe('fe54006b7801');
    expect(typeof obj(list(devices.graphics)[0])._port).toBe('number'); // a live port was assigned
    expect(list(devices.serial)[0]).toMatchObject({ _type: 'file', source: { _path: `${dir}/console.log` } });

    // Hot-plug with the device builders (PCIe root ports and ACPI make it possible).
    await defineXmlFile('hot-disk.xml', buildDiskDeviceXml(hotDisk()));
    await virsh('attach-device', names.tiny, `${dir}/hot-disk.xml`, '--live');
    await defineXmlFile(
      'hot-nic.xml',
      buildInterfaceXml({
        type: 'bridge',
        bridge: env.testBridge,
        mac: '52:54:00:6b:78:02',
        model: 'virtio',
      }),
    );
    await virsh('attach-device', names.tiny, `${dir}/hot-nic.xml`, '--live');
    await defineXmlFile(
      'cdrom.xml',
      buildCdromXml({ source: `${dir}/other.iso`, target: 'sda', bus: 'sata' }),
    );
    await virsh('update-device', names.tiny, `${dir}/cdrom.xml`, '--live');
    await defineXmlFile(
      'vnc.xml',
      buildGraphicsXml({ type: 'vnc', listen: '127.0.0.1', password: 'ks-pw-1', port: undefined }),
    );
    await virsh('update-device', names.tiny, `${dir}/vnc.xml`, '--live');

    const after = domainXmlToJson(await virsh('dumpxml', '--security-info', names.tiny));
    const afterDevices = obj(after.devices);
    const disks = new Map(list(afterDevices.disk).map((d) => [obj(d.target)._dev, d]));
    expect([...disks.keys()].sort()).toEqual(['sda', 'vda', 'vdb']);
    expect(obj(disks.get('sda')?.source)._file).toBe(`${dir}/other.iso`);
    expect(obj(disks.get('vdb')?.iotune)).toEqual({ read_iops_sec: { text: 500 } });
    expect(list(afterDevices._interface).map((n) => obj(n.mac)._address)).toEqual([
      '52:54:00:6b:78:01',
      '52:54:00:6b:78:02',
    ]);
    expect(obj(list(afterDevices.graphics)[0])._passwd).toBe('ks-pw-1');

    await virsh('destroy', names.tiny);
    expect((await virsh('domstate', names.tiny)).trim()).toBe('shut off');
    await virsh('undefine', names.tiny);
    await expect(virsh('domstate', names.tiny)).rejects.toThrow(/failed to get domain|Domain not found/);
  });

  it('jsonToXml output defines the same domain again', async () => {
    await defineXml(dir, buildDomainXml(tinySpec()), 'tiny2.xml');
    const original = domainXmlToJson(await virsh('dumpxml', '--inactive', names.tiny));
    const copy: JsonObject = { ...original, name: { text: names.copy } };
    delete copy.uuid;
    // A second domain may not share the MAC or the tap name: keep the JSON otherwise as is.
    const nic = list(obj(copy.devices)._interface)[0] as JsonObject;
    nic.mac = { _address: '52:54:00:6b:78:09' };
    nic.target = { _dev: 'fe54006b7809' };
    await defineXml(dir, jsonToXml(copy), 'copy.xml');
    const redefined = domainXmlToJson(await virsh('dumpxml', '--inactive', names.copy));
    delete redefined.uuid;
    expect(redefined).toEqual(copy);
    await virsh('undefine', names.copy);
    await virsh('undefine', names.tiny);
  });

  it('setBootOrder output is accepted and read back by libvirtd', async () => {
    await defineXml(dir, buildDomainXml(tinySpec()), 'tiny3.xml');
    const edited = setBootOrder(await virsh('dumpxml', '--inactive', names.tiny), ['sda', 'vda']);
    await defineXml(dir, edited, 'tiny3-boot.xml');
    const d = domainXmlToJson(await virsh('dumpxml', '--inactive', names.tiny));
    expect(obj(d.os).boot).toBeUndefined();
    expect(list(obj(d.devices).disk).map((x) => [obj(x.target)._dev, x.boot])).toEqual([
      ['vda', { _order: 2 }],
      ['sda', { _order: 1 }],
    ]);
    await virsh('undefine', names.tiny);
  });

  it('the live XML of the fixture domain has the shape of the golden file', async () => {
    const images = { system: `${dir}/system.qcow2`, data: `${dir}/data.raw`, iso: `${dir}/install.iso` };
    await defineXml(
      dir,
      buildDomainXml(q35Spec(names.golden, images, env.testBridge, { nodeVirtType: env.virtType })),
      'golden.xml',
    );
    await virsh('start', names.golden);
    const live = domainXmlToJson(await virsh('dumpxml', names.golden));
    await virsh('destroy', names.golden);
    await virsh('undefine', names.golden);
    const golden = JSON.parse(
      await readFile(new URL('../../fixtures/xml/q35-live.old.json', import.meta.url), 'utf8'),
    );
    expect([...shape(live)].sort()).toEqual([...shape(golden)].sort());
  });

  it('snapshot XML converts with the forced disk list', async () => {
    await defineXml(dir, buildDomainXml(snapshotSpec(names.snap, `${dir}/snap.qcow2`)), 'snap.xml');
    await virsh('snapshot-create-as', names.snap, 'ks-snap1', '--description', 'integration');
    const json = snapshotXmlToJson(await virsh('snapshot-dumpxml', names.snap, 'ks-snap1'));
    expect(json.name).toEqual({ text: 'ks-snap1' });
    expect(json.state).toEqual({ text: 'shutoff' });
    expect(json.disks).toEqual({ disk: [{ _name: 'vda', _snapshot: 'internal' }] });
    expect(obj(obj(json.domain).name).text).toBe(names.snap);
    const golden = JSON.parse(
      await readFile(new URL('../../fixtures/xml/snapshot.old.json', import.meta.url), 'utf8'),
    );
    expect([...shape(json)].sort()).toEqual([...shape(golden)].sort());
    await virsh('snapshot-delete', names.snap, 'ks-snap1');
    await virsh('undefine', names.snap);
  });
});

function hotDisk() {
  return {
    source: `${dir}/hot.qcow2`,
    sourceType: 'file' as const,
    device: 'disk' as const,
    format: 'qcow2' as const,
    bus: 'virtio' as const,
    target: 'vdb',
    readonly: false,
    shareable: false,
    iotune: { readIopsSec: 500 },
  };
}

async function defineXmlFile(file: string, xml: string): Promise<void> {
  await writeFile(`${dir}/${file}`, xml);
}
