import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildCdromXml,
  buildDiskDeviceXml,
  buildDomainXml,
  buildGraphicsXml,
  buildInterfaceXml,
  type CreateVmParams,
  type DomainSpec,
  domainSpecFromParams,
  parseOsVariant,
  tapNameForMac,
} from '../../../src/libvirt/domain-xml/index.js';
import { parseXmlTree } from '../../../src/libvirt/xml/tree.js';
import { domainXmlToJson, type JsonObject, xmlToJson } from '../../../src/libvirt/xml-json.js';
import { expectInvalid, thrown } from './helpers.js';

/** The documented example of CreateAndStartVMFromISO, with paths inside the allowed roots. */
const DOC_PARAMS: CreateVmParams = {
  metadata: 'uuid=950646e8-c17a-49d0-b83c-1c797811e001',
  livecd: 'false',
  graphics: 'vnc,listen=0.0.0.0,password=abcdefg',
  disk: '/var/lib/libvirt/images/test3.qcow2,read_bytes_sec=1024000000,write_bytes_sec=1024000000 --disk /var/lib/libvirt/ISO/CentOS-7-x86_64-Minimal-1511.iso,device=cdrom,perms=ro',
  memory: '2048',
  network:
    'type=l3bridge,source=br-int,ip=192.168.5.9,switch=switch8888,model=e1000,inbound=102400,outbound=102400',
  virt_type: 'kvm',
  boot: 'hd',
  redirdev: 'usb,type=tcp,server=192.168.1.1:4000',
  os_variant: 'centos7.0',
  vcpus: '2,cpuset=1-4,maxvcpus=40,cores=40,sockets=1,threads=1',
  cdrom: '/var/lib/libvirt/ISO/CentOS-7-x86_64-Minimal-1511.iso',
  cputune: 'vcpupin0.vcpu=0',
  noautoconsole: true,
};
const OPTS = { name: 'vm-doc-example', nodeVirtType: 'kvm' as const, random: () => 0.5 };

const MINIMAL: CreateVmParams = {
  graphics: 'vnc,listen=0.0.0.0',
  disk: '/var/lib/libvirt/images/minimal.qcow2',
  memory: '512',
  network: 'type=bridge,source=virbr0',
  os_variant: 'debian11',
  vcpus: '1',
  noautoconsole: true,
};

const build = (params: CreateVmParams, opts: Partial<typeof OPTS> = {}) =>
  domainXmlToJson(buildDomainXml(domainSpecFromParams(params, { ...OPTS, ...opts })));
const list = (v: unknown) => v as JsonObject[];
const obj = (v: unknown) => v as JsonObject;

describe('domainSpecFromParams + buildDomainXml: the documented example', () => {
  const d = build(DOC_PARAMS);
  const devices = obj(d.devices);

  it('sets identity, memory and vCPUs', () => {
    expect(d._type).toBe('kvm');
    expect(d.name).toEqual({ text: 'vm-doc-example' });
    expect(d.uuid).toEqual({ text: '950646e8-c17a-49d0-b83c-1c797811e001' });
    expect(d.memory).toEqual({ _unit: 'KiB', text: 2048 * 1024 });
    expect(d.currentMemory).toEqual({ _unit: 'KiB', text: 2048 * 1024 });
    expect(d.vcpu).toEqual({ _placement: 'static', _cpuset: '1-4', _current: 2, text: 40 });
    expect(obj(d.cpu).topology).toEqual({ _sockets: 1, _cores: 40, _threads: 1 });
    // A pin without its own cpuset takes the vcpus cpuset.
    expect(obj(d.cputune).vcpupin).toEqual([{ _vcpu: 0, _cpuset: '1-4' }]);
  });

  it('has ACPI/APIC, the q35 machine and the requested boot order', () => {
    expect(d.features).toEqual({ acpi: {}, apic: {} });
    expect(obj(obj(d.os).type)).toEqual({ _arch: 'x86_64', _machine: 'q35', text: 'hvm' });
    expect(obj(d.os).boot).toEqual([{ _dev: 'hd' }]);
  });

  it('lays out the disks: virtio system disk with I/O limits, two SATA CD-ROMs', () => {
    const disks = list(devices.disk);
    expect(
      disks.map((x) => [x._device, obj(x.target)._dev, obj(x.target)._bus, obj(x.driver)._type]),
    ).toEqual([
      ['disk', 'vda', 'virtio', 'qcow2'],
      ['cdrom', 'sda', 'sata', 'raw'],
      ['cdrom', 'sdb', 'sata', 'raw'],
    ]);
    expect(disks[0]?.iotune).toEqual({
      read_bytes_sec: { text: 1024000000 },
      write_bytes_sec: { text: 1024000000 },
    });
    expect(disks[1]?.readonly).toEqual({});
  });

  it('has the NIC as requested (model honoured), with QoS and the old tap name', () => {
    const [nic] = list(devices._interface);
    expect(nic).toEqual({
      _type: 'bridge',
      mac: { _address: '52:54:00:40:80:80' },
      source: { _bridge: 'br-int' },
      virtualport: { _type: 'openvswitch' },
      bandwidth: { inbound: { _average: 102400 }, outbound: { _average: 102400 } },
      model: { _type: 'e1000' },
      target: { _dev: 'fe5400408080' },
    });
  });

  it('has a serial console, VNC with its password, USB redirection and spare root ports', () => {
    expect(list(devices.serial)).toEqual([{ _type: 'pty', target: { _port: 0 } }]);
    expect(list(devices.console)).toEqual([{ _type: 'pty', target: { _type: 'serial', _port: 0 } }]);
    expect(list(devices.graphics)[0]).toMatchObject({
      _type: 'vnc',
      _passwd: 'abcdefg',
      _listen: '0.0.0.0',
      _autoport: 'yes',
    });
    expect(list(devices.redirdev)).toEqual([
      { _bus: 'usb', _type: 'tcp', source: { _mode: 'connect', _host: '192.168.1.1', _service: 4000 } },
    ]);
    const controllers = list(devices.controller);
    expect(controllers.filter((c) => c._model === 'pcie-root')).toEqual([
      { _type: 'pci', _index: 0, _model: 'pcie-root' },
    ]);
    expect(controllers.filter((c) => c._model === 'pcie-root-port').length).toBeGreaterThanOrEqual(12 + 4);
    expect(list(devices.input)).toEqual([{ _type: 'tablet', _bus: 'usb' }]);
    expect(list(devices.channel)[0]).toEqual({
      _type: 'unix',
      target: { _type: 'virtio', _name: 'org.qemu.guest_agent.0' },
    });
    expect(devices.memballoon).toEqual({ _model: 'virtio', stats: { _period: 5 } });
  });
});

describe('the NIC spec keeps the OVN binding for the network layer', () => {
  it('carries switch and ip of an l3bridge NIC', () => {
    const [nic] = domainSpecFromParams(DOC_PARAMS, OPTS).interfaces;
    expect(nic).toMatchObject({
      type: 'l3bridge',
      bridge: 'br-int',
      ovnSwitch: 'switch8888',
      ovnIp: '192.168.5.9',
    });
  });
});

describe('os_variant drives the devices', () => {
  it('an OS without virtio gets IDE, e1000 and the pc machine', () => {
    const d = build({
      ...MINIMAL,
      os_variant: 'winxp',
      disk: `${MINIMAL.disk} --disk /var/lib/libvirt/iso/winxp.iso,device=cdrom`,
    });
    const devices = obj(d.devices);
    expect(obj(obj(d.os).type)._machine).toBe('pc');
    expect(list(devices.disk).map((x) => [obj(x.target)._dev, obj(x.target)._bus])).toEqual([
      ['hda', 'ide'],
      ['hdb', 'ide'],
    ]);
    expect(obj(list(devices._interface)[0]?.model)._type).toBe('e1000');
    expect(devices.memballoon).toEqual({ _model: 'none' });
    expect(devices.rng).toBeUndefined();
    expect(obj(d.clock)._offset).toBe('localtime');
    expect(devices.controller).toBeUndefined(); // no PCIe root ports on pc
  });

  it('a virtio OS gets virtio disks and NICs', () => {
    const d = build(MINIMAL);
    const devices = obj(d.devices);
    expect(obj(list(devices.disk)[0]?.target)).toEqual({ _dev: 'vda', _bus: 'virtio' });
    expect(obj(list(devices._interface)[0]?.model)._type).toBe('virtio');
  });

  it('targets decide the bus; hdX becomes SATA on q35; free names are picked around given ones', () => {
    const d = build({
      ...MINIMAL,
      disk: '/var/lib/libvirt/images/a.qcow2 --disk /var/lib/libvirt/images/b.qcow2,target=vda --disk /var/lib/libvirt/images/c.qcow2,target=hdc --disk /var/lib/libvirt/images/d.img,bus=scsi',
    });
    expect(
      list(obj(d.devices).disk).map((x) => [obj(x.target)._dev, obj(x.target)._bus, obj(x.driver)._type]),
    ).toEqual([
      ['vdb', 'virtio', 'qcow2'],
      ['vda', 'virtio', 'qcow2'],
      ['hdc', 'sata', 'qcow2'],
      ['sda', 'scsi', 'raw'],
    ]);
  });
});

describe('virt type, live CD and boot order', () => {
  it.each([
    ['kvm', undefined, 'kvm'],
    ['qemu', undefined, 'qemu'],
    ['qemu', 'kvm', 'qemu'],
    ['kvm', 'qemu', 'qemu'],
  ] as const)('node %s, request %s → %s', (node, requested, expected) => {
    const params = requested === undefined ? MINIMAL : { ...MINIMAL, virt_type: requested };
    expect(domainSpecFromParams(params, { ...OPTS, nodeVirtType: node }).virtType).toBe(expected);
  });

  it('xen is unsupported', () => {
    expect(thrown(() => domainSpecFromParams({ ...MINIMAL, virt_type: 'xen' }, OPTS)).reason).toBe(
      'Unsupported',
    );
  });

  it('boots hd then cdrom when installing, cdrom only for a live CD', () => {
    const iso = '/var/lib/libvirt/iso/install.iso';
    expect(domainSpecFromParams({ ...MINIMAL, cdrom: iso }, OPTS).boot).toEqual(['hd', 'cdrom']);
    expect(domainSpecFromParams({ ...MINIMAL, cdrom: iso, livecd: true }, OPTS).boot).toEqual(['cdrom']);
    expect(domainSpecFromParams({ ...MINIMAL, cdrom: iso, boot: 'cdrom,hd' }, OPTS).boot).toEqual([
      'cdrom',
      'hd',
    ]);
    expect(domainSpecFromParams(MINIMAL, OPTS).boot).toEqual(['hd']);
  });
});

describe('rejections with the parameter named', () => {
  it.each([
    [{ ...MINIMAL, graphics: undefined }, 'graphics', 'is required'],
    [{ ...MINIMAL, foo: 'x' } as CreateVmParams, 'foo', 'unknown parameter; accepted: metadata, livecd'],
    [{ ...MINIMAL, noautoconsole: false }, 'noautoconsole', 'must be true'],
    [{ ...MINIMAL, disk: ['x'] } as unknown as CreateVmParams, 'disk', 'must be a string (got a list)'],
    [{ ...MINIMAL, livecd: 'true' }, 'livecd', 'livecd=true needs a CD-ROM'],
    [{ ...MINIMAL, cputune: 'vcpupin0.vcpu=0' }, 'cputune', 'vCPU 0 is pinned without a cpuset'],
    [
      { ...MINIMAL, cputune: 'vcpupin0.vcpu=3,vcpupin0.cpuset=0' },
      'cputune',
      'vcpupin for vCPU 3, but the domain has 1 vCPUs',
    ],
    [{ ...MINIMAL, redirdev: 'usb,type=spicevmc' }, 'redirdev', 'type=spicevmc needs spice graphics'],
    [
      { ...MINIMAL, disk: '/var/lib/libvirt/images/a.qcow2,bus=ide' },
      'disk',
      'the q35 machine has no IDE bus',
    ],
    [
      { ...MINIMAL, disk: '/var/lib/libvirt/iso/a.iso,device=cdrom,bus=virtio' },
      'disk',
      'cannot be on the virtio bus',
    ],
    [
      { ...MINIMAL, disk: '/var/lib/libvirt/images/a.img,device=lun' },
      'disk',
      'disk #1: device=lun is not supported',
    ],
    [
      { ...MINIMAL, disk: '/var/lib/libvirt/images/a.qcow2,perms=sh' },
      'disk',
      'disk #1: perms=sh (shared) needs a raw image, not qcow2',
    ],
    [
      { ...MINIMAL, disk: '/var/lib/libvirt/images/a.qcow2,perms=ro,bus=sata' },
      'disk',
      'disk #1: a read-only disk cannot be on the sata bus (use virtio or scsi)',
    ],
    [
      { ...MINIMAL, disk: `${MINIMAL.disk} --disk /var/lib/libvirt/images/f.img,device=floppy` },
      'disk',
      'disk #2: device=floppy is not supported',
    ],
    [
      {
        ...MINIMAL,
        os_variant: 'winxp',
        disk: Array.from({ length: 5 }, (_, i) => `/var/lib/libvirt/images/d${i}.img`).join(' --disk '),
      },
      'disk',
      '5 IDE devices, but the IDE bus holds at most 4',
    ],
  ] as const)('%#: %s', (params, field, message) => {
    expectInvalid(() => buildDomainXml(domainSpecFromParams(params as CreateVmParams, OPTS)), field, message);
  });

  it('validates the VM name', () => {
    expectInvalid(
      () => domainSpecFromParams(MINIMAL, { ...OPTS, name: 'Bad Name' }),
      'name',
      'name must be 4-100',
    );
  });
});

describe('escaping', () => {
  it('escapes text and attributes so values come back exactly', () => {
    const base = domainSpecFromParams(MINIMAL, OPTS);
    const nasty = `a<b>&c'd"e ]]> \u4e2d`;
    const spec: DomainSpec = {
      ...base,
      title: nasty,
      kernelBoot: { kernel: '/var/lib/libvirt/boot/vmlinuz', cmdline: `console=ttyS0 x='${nasty}'` },
      serial: { type: 'file', path: "/var/lib/libvirt/qemu/it's&<log>" },
    };
    const xml = buildDomainXml(spec);
    const d = domainXmlToJson(xml);
    expect(obj(d.title).text).toBe(nasty);
    expect(obj(obj(d.os).cmdline).text).toBe(`console=ttyS0 x='${nasty}'`);
    expect(obj(list(obj(d.devices).serial)[0]?.source)._path).toBe("/var/lib/libvirt/qemu/it's&<log>");
    expect(xml).not.toContain(nasty);
  });

  it('round-trips any text XML can carry, in text and attributes', () => {
    const base = domainSpecFromParams(MINIMAL, OPTS);
    // Characters XML 1.0 carries verbatim (CR would be normalized to LF by any parser).
    const carried = (t: string) =>
      [...t].every((ch) => {
        const c = ch.codePointAt(0) as number;
        return c === 9 || c === 10 || (c >= 0x20 && c !== 0xfffe && c !== 0xffff);
      });
    const xmlChars = fc.string({ unit: 'grapheme', maxLength: 40 }).filter(carried);
    fc.assert(
      fc.property(xmlChars, xmlChars, (title, cmdline) => {
        fc.pre(title.trim() !== '' && cmdline.trim() !== '');
        const spec: DomainSpec = {
          ...base,
          title,
          kernelBoot: { kernel: '/var/lib/libvirt/boot/vmlinuz', cmdline },
        };
        const tree = parseXmlTree(buildDomainXml(spec));
        const find = (name: string) => tree.children.find((c) => c.name === name);
        expect(find('title')?.text).toBe(title);
        expect(find('os')?.children.find((c) => c.name === 'cmdline')?.text).toBe(cmdline);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses characters XML cannot carry', () => {
    const spec: DomainSpec = { ...domainSpecFromParams(MINIMAL, OPTS), title: 'bell\u0007' };
    expect(() => buildDomainXml(spec)).toThrow(TypeError);
  });
});

describe('device builders for hot-plug', () => {
  it('disk', () => {
    const spec = {
      source: '/var/lib/libvirt/images/data.img',
      sourceType: 'file' as const,
      device: 'disk' as const,
      format: 'raw' as const,
      bus: 'virtio' as const,
      target: 'vdc',
      readonly: false,
      shareable: true,
      cache: 'none' as const,
      iotune: { totalIopsSec: 500 },
    };
    expect(xmlToJson(buildDiskDeviceXml(spec))).toEqual({
      _type: 'file',
      _device: 'disk',
      driver: { _name: 'qemu', _type: 'raw', _cache: 'none' },
      source: { _file: '/var/lib/libvirt/images/data.img' },
      target: { _dev: 'vdc', _bus: 'virtio' },
      iotune: { total_iops_sec: { text: 500 } },
      shareable: {},
    });
    // libvirt shares raw images only.
    expectInvalid(
      () => buildDiskDeviceXml({ ...spec, format: 'qcow2' }),
      'mode',
      'a shareable disk must be a raw image (got qcow2)',
    );
  });

  it('disk: refuses total limits next to read/write ones, naming the parameter', () => {
    const disk = {
      source: '/var/lib/libvirt/images/data.qcow2',
      sourceType: 'file' as const,
      device: 'disk' as const,
      format: 'qcow2' as const,
      bus: 'virtio' as const,
      target: 'vdc',
      readonly: false,
      shareable: false,
    };
    expectInvalid(
      () => buildDiskDeviceXml({ ...disk, iotune: { totalBytesSec: 1, readBytesSec: 2 } }),
      'total_bytes_sec',
      'cannot be combined with read_bytes_sec or write_bytes_sec',
    );
    expectInvalid(
      () =>
        buildDiskDeviceXml({ ...disk, iotune: { totalIopsSec: 1, writeIopsSec: undefined, readIopsSec: 5 } }),
      'total_iops_sec',
      'cannot be combined',
    );
    expect(buildDiskDeviceXml({ ...disk, iotune: { totalBytesSec: 1, readBytesSec: undefined } })).toContain(
      '<total_bytes_sec>1</total_bytes_sec>',
    );
  });

  it('interface on OVS with an OVN port binding and a VLAN', () => {
    const xml = buildInterfaceXml({
      type: 'l3bridge',
      bridge: 'br-int',
      mac: '52:54:00:aa:bb:cc',
      model: 'virtio',
      interfaceId: 'lsp-vm1-0',
      vlan: 42,
    });
    expect(xmlToJson(xml)).toEqual({
      _type: 'bridge',
      mac: { _address: '52:54:00:aa:bb:cc' },
      source: { _bridge: 'br-int' },
      virtualport: { _type: 'openvswitch', parameters: { __interfaceid: 'lsp-vm1-0' } },
      vlan: { tag: { _id: 42 } },
      model: { _type: 'virtio' },
      target: { _dev: 'fe5400aabbcc' },
    });
    expect(tapNameForMac('52:54:00:12:34:56')).toBe('fe5400123456');
  });

  it('cdrom with an ISO, and an empty tray', () => {
    expect(
      xmlToJson(buildCdromXml({ source: '/var/lib/libvirt/iso/a.iso', target: 'sda', bus: 'sata' })),
    ).toEqual({
      _type: 'file',
      _device: 'cdrom',
      driver: { _name: 'qemu', _type: 'raw' },
      source: { _file: '/var/lib/libvirt/iso/a.iso' },
      target: { _dev: 'sda', _bus: 'sata' },
      readonly: {},
    });
    expect(xmlToJson(buildCdromXml({ target: 'hdc', bus: 'ide' })).source).toBeUndefined();
  });

  it('graphics for SetVncPassword', () => {
    expect(
      xmlToJson(buildGraphicsXml({ type: 'vnc', listen: '0.0.0.0', password: 'abcd', port: 5905 })),
    ).toEqual({
      _type: 'vnc',
      _port: 5905,
      _autoport: 'no',
      _listen: '0.0.0.0',
      _passwd: 'abcd',
      listen: { _type: 'address', _address: '0.0.0.0' },
    });
  });
});

describe('property: every valid parameter set builds well-formed XML', () => {
  const osIds = [
    'centos7.0',
    'debian11',
    'winxp',
    'win10',
    'ubuntu20.04',
    'generic',
    'freebsd13.0',
    'rhel6.0',
  ];
  it('holds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...osIds),
        fc.integer({ min: 100, max: 99_999 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.constantFrom('vnc', 'spice'),
        (os, mem, vcpus, ndisks, withCdrom, gfx) => {
          const disks = Array.from({ length: ndisks }, (_, i) => `/var/lib/libvirt/images/p${i}.qcow2`).join(
            ' --disk ',
          );
          const params: CreateVmParams = {
            ...MINIMAL,
            os_variant: os,
            memory: String(mem),
            vcpus: String(vcpus),
            disk: disks,
            graphics: `${gfx},listen=0.0.0.0`,
            ...(withCdrom ? { cdrom: '/var/lib/libvirt/iso/install.iso' } : {}),
          };
          const spec = domainSpecFromParams(params, OPTS);
          const d = domainXmlToJson(buildDomainXml(spec));
          const disksOut = list(obj(d.devices).disk);
          expect(disksOut).toHaveLength(ndisks + (withCdrom ? 1 : 0));
          const targets = disksOut.map((x) => obj(x.target)._dev);
          expect(new Set(targets).size).toBe(targets.length);
          expect(obj(obj(d.os).type)._machine).toBe(parseOsVariant(os).machine);
          expect(obj(d.currentMemory).text).toBe(mem * 1024);
        },
      ),
      { numRuns: 200 },
    );
  });
});
