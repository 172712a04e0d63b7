import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import {
  parseBoot,
  parseCdrom,
  parseCputune,
  parseDisk,
  parseGraphics,
  parseLivecd,
  parseMemory,
  parseMetadata,
  parseNetwork,
  parseOsVariant,
  parseRedirdev,
  parseVcpus,
  parseVirtType,
} from '../../../src/libvirt/domain-xml/index.js';
import { expectInvalid, thrown } from './helpers.js';

const IMG = '/var/lib/libvirt/images/test3.qcow2';
const ISO = '/var/lib/libvirt/iso/centos7-minimal.iso';

describe('disk', () => {
  it('parses one disk with I/O limits', () => {
    expect(parseDisk(`${IMG},read_bytes_sec=1024000000,write_bytes_sec=1024000000`)).toEqual([
      {
        path: IMG,
        device: 'disk',
        format: undefined,
        bus: undefined,
        target: undefined,
        perms: 'rw',
        cache: undefined,
        iotune: { readBytesSec: 1024000000, writeBytesSec: 1024000000 },
      },
    ]);
  });

  it('parses the --disk continuations in order', () => {
    const disks = parseDisk(
      `${IMG},format=qcow2,target=vda --disk /mnt/localfs/pool/d2.raw,format=raw,bus=sata,cache=none --disk ${ISO},device=cdrom,perms=ro`,
    );
    expect(disks.map((d) => [d.path, d.device, d.format, d.bus, d.target, d.perms, d.cache])).toEqual([
      [IMG, 'disk', 'qcow2', undefined, 'vda', 'rw', undefined],
      ['/mnt/localfs/pool/d2.raw', 'disk', 'raw', 'sata', undefined, 'rw', 'none'],
      [ISO, 'cdrom', undefined, undefined, undefined, 'ro', undefined],
    ]);
  });

  it('accepts path= instead of the positional path, and --disk=', () => {
    expect(parseDisk(`path=${IMG} --disk=${ISO},device=cdrom`).map((d) => d.path)).toEqual([IMG, ISO]);
  });

  it('normalizes the path', () => {
    expect(parseDisk('/var/lib/libvirt/images/./x/../test3.qcow2')[0]?.path).toBe(IMG);
  });

  it.each([
    ['', 'no disk given'],
    ['   ', 'no disk given'],
    [`${IMG} --disk `, 'disk #2 is empty'],
    [`${IMG}  ${ISO}`, 'disk #1 contains whitespace'],
    [`${IMG},,format=qcow2`, 'disk #1: item 2 is empty'],
    [`${IMG},format=vmdk`, "disk #1, format must be one of qcow2, raw (got 'vmdk')"],
    [`${IMG},device=tape`, "disk #1, device must be one of disk, cdrom, floppy, lun (got 'tape')"],
    [`${IMG},target=xda`, "disk #1, target must be vdX, hdX or sdX (got 'xda')"],
    [`${IMG},read_bytes_sec=-1`, 'disk #1, read_bytes_sec must be a whole number between 0 and 9999999999'],
    [`${IMG},read_bytes_sec=10000000000`, 'disk #1, read_bytes_sec must be between 0 and 9999999999'],
    [`${IMG},read_iops_sec=100000`, 'disk #1, read_iops_sec must be between 0 and 99999'],
    [`${IMG},total_bytes_sec=1,read_bytes_sec=1`, 'disk #1: total_bytes_sec cannot be combined'],
    [`${IMG},size=10`, "disk #1: unknown key 'size' (item 2); accepted keys: path, device"],
    [`${IMG},format=qcow2,format=raw`, "disk #1: key 'format' is given twice"],
    [`${IMG},perms=wx`, "disk #1, perms must be one of ro, rw, sh (got 'wx')"],
    [`${ISO},device=cdrom,perms=rw`, 'disk #1: a cdrom is always read-only'],
    [`format=qcow2,${IMG}`, 'disk #1: the path must come first'],
    [`${IMG},extra`, "disk #1: unexpected value 'extra' at item 2"],
    ['format=qcow2', 'disk #1: no path given'],
    [`${IMG},path=${IMG}`, 'disk #1: path is given twice'],
    [
      `${IMG},target=vda --disk /var/lib/libvirt/images/b.qcow2,target=vda`,
      "disk #2 reuses target 'vda' of disk #1",
    ],
    [
      '/opt/ISO/CentOS-7-x86_64-Minimal-1511.iso,device=cdrom',
      'is not under /var/lib/libvirt, /mnt/localfs, /mnt/usb',
    ],
    ['images/test3.qcow2', "path must be absolute (got 'images/test3.qcow2')"],
    [
      `${IMG} --disk /var/lib/libvirt/../../etc/shadow`,
      "path '/var/lib/libvirt/../../etc/shadow' (= '/var/etc/shadow') is not under",
    ],
    ['/var/lib/libvirt/images/a b.qcow2', 'contains whitespace'],
    ['/var/lib/libvirt/images/a$b.qcow2', "path segment 'a$b.qcow2' may only contain"],
  ])('rejects %j', (input, message) => {
    expectInvalid(() => parseDisk(input), 'disk', message);
  });

  it('rejects too short paths precisely', () => {
    expect(parseDisk('/var/lib/libvirt/a')[0]?.path).toBe('/var/lib/libvirt/a'); // exactly 18
    expectInvalid(
      () => parseDisk('/mnt/usb/a.iso'),
      'disk',
      "path must be 18-1024 characters (got 14: '/mnt/usb/a.iso')",
    );
  });

  it('honours another field name and other roots', () => {
    expectInvalid(() => parseDisk('/srv/images/aaaaaaaaaa.qcow2', 'source'), 'source', 'is not under');
    expect(parseDisk('/srv/images/aaaaaaaaaa.qcow2', 'source', ['/srv'])[0]?.path).toBe(
      '/srv/images/aaaaaaaaaa.qcow2',
    );
  });
});

describe('network', () => {
  it('parses the documented example', () => {
    expect(
      parseNetwork(
        'type=l3bridge,source=br-int,ip=192.168.5.9,switch=switch8888,model=e1000,inbound=102400,outbound=102400',
      ),
    ).toEqual({
      type: 'l3bridge',
      source: 'br-int',
      ip: '192.168.5.9',
      switch: 'switch8888',
      model: 'e1000',
      inbound: 102400,
      outbound: 102400,
      mac: undefined,
    });
  });

  it.each([
    ['type=bridge,source=virbr0', { type: 'bridge', source: 'virbr0' }],
    ['source=br0,type=l2bridge,mac=7E:0C:B0:EF:6A:04', { type: 'l2bridge', mac: '7e:0c:b0:ef:6a:04' }],
    ['type=l3bridge,source=br-int,switch=sw01,ip=dynamic', { ip: undefined, switch: 'sw01' }],
    ['type=bridge,source=virbr0,model=rtl8139,inbound=0', { model: 'rtl8139', inbound: 0 }],
  ])('parses %j', (input, expected) => {
    expect(parseNetwork(input)).toMatchObject(expected);
  });

  it.each([
    ['source=br0', 'type is required (bridge, l2bridge, l3bridge)'],
    ['type=ovs,source=br0', "type must be one of bridge, l2bridge, l3bridge (got 'ovs')"],
    ['type=bridge', 'source (the bridge) is required'],
    ['type=bridge,source=a-very-long-bridge-name', 'source must be a bridge name of 1-15'],
    [
      'type=bridge,source=br0,ip=10.0.0.1',
      'ip and switch are only allowed with type=l3bridge (type is bridge)',
    ],
    ['type=l2bridge,source=br0,switch=sw01', 'ip and switch are only allowed with type=l3bridge'],
    ['type=l3bridge,source=br-int', 'switch is required with type=l3bridge'],
    ['type=l3bridge,source=br-int,switch=sw1', 'switch must be 4-100 characters'],
    [
      'type=l3bridge,source=br-int,switch=sw01,ip=10.0.0.256',
      "ip must be an IPv4 address like 192.168.5.9 (got '10.0.0.256')",
    ],
    ['type=bridge,source=br0,model=ne2k', "model must be one of virtio, e1000, rtl8139 (got 'ne2k')"],
    ['type=bridge,source=br0,inbound=100000000', 'inbound must be between 0 and 99999999'],
    ['type=bridge,source=br0,outbound=1k', 'outbound must be a whole number'],
    ['type=bridge,source=br0,mac=fe:54:00:00:00:01', 'mac must not start with fe'],
    ['type=bridge,source=br0,mac=01:54:00:00:00:01', 'mac is a multicast address'],
    ['type=bridge,source=br0,mac=52:54:00:00:00', 'mac must look like 52:54:00:12:34:56'],
    ['type=bridge,source=br0,vlan=5', "unknown key 'vlan' (item 3)"],
    ['bridge,source=br0', "unexpected value 'bridge' at item 1"],
  ])('rejects %j', (input, message) => {
    expectInvalid(() => parseNetwork(input), 'network', message);
  });
});

describe('graphics', () => {
  it.each([
    [
      'vnc,listen=0.0.0.0,password=abcdefg',
      { type: 'vnc', listen: '0.0.0.0', password: 'abcdefg', port: undefined },
    ],
    ['spice,listen=127.0.0.1', { type: 'spice', listen: '127.0.0.1', password: undefined, port: undefined }],
    ['vnc,listen=0.0.0.0,port=5901', { type: 'vnc', listen: '0.0.0.0', password: undefined, port: 5901 }],
    [
      'vnc,listen=0.0.0.0,port=-1,password=ab-9',
      { type: 'vnc', listen: '0.0.0.0', password: 'ab-9', port: undefined },
    ],
    [
      'spice,listen=0.0.0.0,password=abcdefghijklmnop',
      { type: 'spice', listen: '0.0.0.0', password: 'abcdefghijklmnop', port: undefined },
    ],
  ])('parses %j', (input, expected) => {
    expect(parseGraphics(input)).toEqual(expected);
  });

  it.each([
    ['listen=0.0.0.0', 'must start with the type (vnc or spice)'],
    ['rdp,listen=0.0.0.0', "type must be one of vnc, spice (got 'rdp')"],
    ['vnc', 'listen is required'],
    ['vnc,listen=localhost', 'listen must be an IPv4 address'],
    ['vnc,listen=0.0.0.0,password=abc', 'password must be 4-16 characters of lowercase letters, digits and'],
    ['vnc,listen=0.0.0.0,password=ABCDEFG', 'password must be 4-16'],
    ['vnc,listen=0.0.0.0,password=abcdefghijklmnopq', '(got 17 characters)'],
    [
      'vnc,listen=0.0.0.0,password=abcdefghi',
      'a VNC password can have at most 8 characters (got 9); SPICE allows 16',
    ],
    ['vnc,listen=0.0.0.0,port=80', 'port must be -1 (automatic) or 5900-65535'],
    ['vnc,listen=0.0.0.0,keymap=de', "unknown key 'keymap'"],
    ['vnc,spice,listen=0.0.0.0', "unexpected value 'spice' at item 2"],
    ['vnc, listen=0.0.0.0', 'graphics: item 2 contains whitespace'],
    ['vnc,listen=0.0.0.0,password=abcd\n', 'graphics: item 3 contains whitespace'],
    ['vnc,listen=0.0.0.0,password= abcd', 'graphics: item 3 contains whitespace'],
  ])('rejects %j', (input, message) => {
    expectInvalid(() => parseGraphics(input), 'graphics', message);
  });

  it('never echoes a rejected password', () => {
    const err = thrown(() => parseGraphics('vnc,listen=0.0.0.0,password=SECRETPW'));
    expect(err.message).not.toContain('SECRETPW');
  });
});

describe('vcpus', () => {
  it.each([
    ['2', { count: 2, max: 2, cpuset: undefined, topology: undefined }],
    [
      '2,cpuset=1-4,maxvcpus=40,cores=40,sockets=1,threads=1',
      { count: 2, max: 40, cpuset: '1-4', topology: { sockets: 1, cores: 40, threads: 1 } },
    ],
    ['4,sockets=2', { count: 4, max: 4, topology: { sockets: 2, cores: 2, threads: 1 } }],
    ['4,maxvcpus=8,cores=4', { max: 8, topology: { sockets: 2, cores: 4, threads: 1 } }],
    ['4,threads=2', { topology: { sockets: 2, cores: 1, threads: 2 } }],
    ['2,cpuset=0-1,3,^1,maxvcpus=4', { cpuset: '0-1,3,^1', max: 4 }],
    ['vcpus=3', { count: 3 }],
  ])('parses %j', (input, expected) => {
    expect(parseVcpus(input)).toMatchObject(expected);
  });

  it.each([
    ['', 'vcpus is empty'],
    ['0', 'vCPU count must be between 1 and 255 (got 0)'],
    ['256', 'vCPU count must be between 1 and 255'],
    ['two', "vCPU count must be a whole number between 1 and 255 (got 'two')"],
    ['4,maxvcpus=2', 'maxvcpus (2) must be at least the vCPU count (4)'],
    [
      '2,maxvcpus=4,sockets=1,cores=2,threads=1',
      'maxvcpus (4) must equal sockets × cores × threads (1 × 2 × 1 = 2)',
    ],
    ['3,sockets=2', 'topology cannot be completed: maxvcpus 3 is not divisible'],
    ['2,cpuset=4-1', "cpuset: range '4-1' is reversed"],
    ['2,cpuset=a', 'cpuset must be CPU numbers or ranges like 1-4'],
    ['2,cpuset=^1', 'cpuset selects no CPU'],
    ['2,cpuset=5000', 'CPU numbers must be at most 4095'],
    ['2,maxcpus=4', "unknown key 'maxcpus' (item 2); accepted keys: cpuset, maxvcpus"],
    ['cpuset=1,2', 'the number of vCPUs is required'],
    ['maxvcpus=4', 'the number of vCPUs is required'],
    ['2,3', "unexpected value '3' at item 2"],
  ])('rejects %j', (input, message) => {
    expectInvalid(() => parseVcpus(input), 'vcpus', message);
  });
});

describe('memory', () => {
  it.each([
    ['2048', { mib: 2048, maxMib: 2048 }],
    ['100', { mib: 100, maxMib: 100 }],
    ['99999', { mib: 99999, maxMib: 99999 }],
    ['memory=1024,maxmemory=4096', { mib: 1024, maxMib: 4096 }],
    ['1024,maxmemory=1024', { mib: 1024, maxMib: 1024 }],
  ])('parses %j', (input, expected) => {
    expect(parseMemory(input)).toEqual(expected);
  });

  it('accepts a JSON number', () => {
    expect(parseMemory(512)).toEqual({ mib: 512, maxMib: 512 });
  });

  it.each([
    ['99', 'memory (MiB) must be between 100 and 99999 (got 99)'],
    ['100000', 'memory (MiB) must be between 100 and 99999'],
    ['2G', "memory (MiB) must be a whole number between 100 and 99999 (got '2G')"],
    ['1024,maxmemory=512', 'maxmemory (512) must be at least memory (1024)'],
    ['1024,maxmemory=200000', 'maxmemory (MiB) must be between 100 and 102400'],
    ['1024,2048', 'the memory size is given more than once'],
    ['maxmemory=2048', 'the memory size in MiB is required'],
    ['1024,hotplug=yes', "unknown key 'hotplug'"],
  ])('rejects %j', (input, message) => {
    expectInvalid(() => parseMemory(input), 'memory', message);
  });
});

describe('cdrom, boot, livecd, metadata, virt_type', () => {
  it('parses a confined ISO path', () => {
    expect(parseCdrom('/var/lib/libvirt/ISO/CentOS-7-x86_64-Minimal-1511.iso')).toEqual({
      path: '/var/lib/libvirt/ISO/CentOS-7-x86_64-Minimal-1511.iso',
    });
    expectInvalid(() => parseCdrom('/opt/ISO/CentOS-7-x86_64-Minimal-1511.iso'), 'cdrom', 'is not under');
  });

  it.each([
    ['hd', ['hd']],
    ['cdrom', ['cdrom']],
    ['cdrom,hd,network', ['cdrom', 'hd', 'network']],
  ])('boot %j', (input, order) => {
    expect(parseBoot(input).order).toEqual(order);
  });

  it.each([
    ['usb', "boot device 1 must be one of hd, cdrom, network, fd (got 'usb')"],
    ['hd,hd', "boot device 'hd' is listed twice"],
    ['hd,menu=on', "unknown key 'menu'"],
    ['', 'boot is empty'],
  ])('boot rejects %j', (input, message) => {
    expectInvalid(() => parseBoot(input), 'boot', message);
  });

  it('livecd', () => {
    expect(parseLivecd('true')).toBe(true);
    expect(parseLivecd(false)).toBe(false);
    expectInvalid(() => parseLivecd('yes'), 'livecd', 'must be true or false (got "yes")');
  });

  it('metadata', () => {
    expect(parseMetadata('uuid=950646e8-c17a-49d0-b83c-1c797811e001')).toEqual({
      uuid: '950646e8-c17a-49d0-b83c-1c797811e001',
    });
    expect(parseMetadata('uuid=950646e8c17a49d0b83c1c797811e001').uuid).toBe(
      '950646e8c17a49d0b83c1c797811e001',
    );
    expectInvalid(() => parseMetadata('uuid=short'), 'metadata', 'uuid must be 12-36 characters');
    expectInvalid(
      () => parseMetadata('uuid=950646E8-C17A-49D0-B83C-1C797811E001'),
      'metadata',
      'uuid must be 12-36',
    );
    expectInvalid(() => parseMetadata('uuid=abcdefghijkl.mn'), 'metadata', 'uuid must be a UUID like');
    expectInvalid(
      () => parseMetadata('name=x'),
      'metadata',
      "unknown key 'name' (item 1); accepted keys: uuid",
    );
  });

  it('virt_type', () => {
    expect(parseVirtType('kvm')).toBe('kvm');
    expect(parseVirtType('qemu')).toBe('qemu');
    const err = thrown(() => parseVirtType('xen'));
    expect(err.reason).toBe('Unsupported');
    expect(err.message).toContain('virt_type: xen is not supported');
    expectInvalid(
      () => parseVirtType('lxc'),
      'virt_type',
      "virt_type must be one of kvm, qemu, xen (got 'lxc')",
    );
  });
});

describe('cputune', () => {
  it('parses pins, emulator pin and scheduler values', () => {
    expect(
      parseCputune(
        'vcpupin1.vcpu=1,vcpupin1.cpuset=2-3,vcpupin0.vcpu=0,vcpupin0.cpuset=0,emulatorpin.cpuset=1,shares=2048,period=100000,quota=-1',
      ),
    ).toEqual({
      vcpupins: [
        { vcpu: 0, cpuset: '0' },
        { vcpu: 1, cpuset: '2-3' },
      ],
      emulatorpin: '1',
      shares: 2048,
      period: 100000,
      quota: -1,
    });
  });

  it.each([
    ['vcpupin0.cpuset=1', 'vcpupin0 needs vcpupin0.vcpu'],
    ['vcpupin0.vcpu=0,vcpupin1.vcpu=0', 'vCPU 0 is pinned twice'],
    ['vcpupin0.vcpu=255', 'vcpupin0.vcpu must be between 0 and 254'],
    ['vcpupin0.vcpu=0,vcpupin0.cpuset=x', 'vcpupin0.cpuset must be CPU numbers'],
    ['shares=1', 'shares must be between 2 and 262144'],
    ['period=10', 'period must be between 1000 and 1000000'],
    ['quota=5', 'quota must be between 1000 and'],
    ['iothreadpin0.cpuset=1', "unknown key 'iothreadpin0.cpuset' (item 1); accepted keys: vcpupin<N>.vcpu"],
    ['0', "unexpected value '0' at item 1"],
  ])('rejects %j', (input, message) => {
    expectInvalid(() => parseCputune(input), 'cputune', message);
  });
});

describe('redirdev', () => {
  it.each([
    ['usb,type=tcp,server=192.168.1.1:4000', { bus: 'usb', type: 'tcp', host: '192.168.1.1', port: 4000 }],
    ['usb,type=spicevmc', { bus: 'usb', type: 'spicevmc', host: undefined, port: undefined }],
  ])('parses %j', (input, expected) => {
    expect(parseRedirdev(input)).toEqual(expected);
  });

  it.each([
    ['type=tcp,server=1.2.3.4:1', 'must start with the bus (usb)'],
    ['pci,type=tcp,server=1.2.3.4:1', "bus must be one of usb (got 'pci')"],
    ['usb', 'type is required (tcp, spicevmc)'],
    ['usb,type=udp', "type must be one of tcp, spicevmc (got 'udp')"],
    ['usb,type=tcp', 'server=IP:PORT is required with type=tcp'],
    ['usb,type=tcp,server=1.2.3.4', "server must be IP:PORT (got '1.2.3.4')"],
    ['usb,type=tcp,server=1.2.3.4:0', 'server port must be 1-65535 (got 0)'],
    ['usb,type=tcp,server=1.2.3.4:70000', 'server port must be 1-65535'],
    ['usb,type=tcp,server=host:4000', 'server address must be an IPv4 address'],
    ['usb,type=spicevmc,server=1.2.3.4:1', 'server is only allowed with type=tcp'],
  ])('rejects %j', (input, message) => {
    expectInvalid(() => parseRedirdev(input), 'redirdev', message);
  });
});

describe('os_variant', () => {
  it('finds osinfo ids and picks devices', () => {
    expect(parseOsVariant('centos7.0')).toMatchObject({ virtioDisk: true, virtioNet: true, machine: 'q35' });
    expect(parseOsVariant('win10')).toMatchObject({ family: 'winnt', virtioDisk: false, virtioNet: false });
    expect(parseOsVariant('winxp')).toMatchObject({ machine: 'pc', virtioDisk: false });
    expect(parseOsVariant('generic')).toMatchObject({ machine: 'pc', virtioDisk: false });
  });

  it('falls back to the built-in table without an osinfo database', () => {
    const opts = { osinfoDir: '/nonexistent-osinfo-dir' };
    expect(parseOsVariant('centos7.0', 'os_variant', opts)).toMatchObject({
      source: 'builtin',
      virtioDisk: true,
      machine: 'q35',
    });
    expect(parseOsVariant('centos6.5', 'os_variant', opts)).toMatchObject({
      source: 'builtin',
      machine: 'pc',
    });
    expect(parseOsVariant('win10', 'os_variant', opts)).toMatchObject({ virtioDisk: false, family: 'winnt' });
    const err = expectInvalid(
      () => parseOsVariant('plan9', 'os_variant', opts),
      'os_variant',
      "unknown OS 'plan9'",
    );
    expect(err.message).toContain(
      'accepted families: almalinux, centos, debian, fedora, freebsd, generic, linux',
    );
  });

  it('rejects unknown and malformed ids, listing the families', () => {
    const err = expectInvalid(() => parseOsVariant('plan9'), 'os_variant', "unknown OS 'plan9'");
    expect(err.message).toMatch(/accepted families: .*centos.*debian.*ubuntu.*win/);
    expectInvalid(() => parseOsVariant('CentOS 7'), 'os_variant', 'must be an OS short id like centos7.0');
  });
});

describe('the documented examples', () => {
  const fixture = JSON.parse(
    readFileSync(new URL('../../fixtures/xml/create-vm-param-examples.json', import.meta.url), 'utf8'),
  ) as { examples: { operation: string; param: string; example: string }[] };
  const parsers: Record<string, (v: string) => unknown> = {
    metadata: parseMetadata,
    livecd: parseLivecd,
    graphics: parseGraphics,
    disk: parseDisk,
    memory: parseMemory,
    network: parseNetwork,
    virt_type: parseVirtType,
    boot: parseBoot,
    redirdev: parseRedirdev,
    os_variant: parseOsVariant,
    vcpus: parseVcpus,
    cdrom: parseCdrom,
    cputune: parseCputune,
    noautoconsole: parseLivecd,
  };

  it('covers every creation parameter', () => {
    expect(new Set(fixture.examples.map((e) => e.param))).toEqual(new Set(Object.keys(parsers)));
  });

  for (const { operation, param, example } of fixture.examples) {
    it(`${operation}.${param}: ${example}`, () => {
      const parse = parsers[param] as (v: string) => unknown;
      if (param === 'boot') {
        // The doc's table cell `hd|cdrom` was split by the markdown pipe: the "example" column holds
        // "cdrom，分别表示…" (prose). Its value part must parse; the prose must not.
        expect(parseBoot(example.split('，')[0] as string).order).toEqual(['cdrom']);
        expect(() => parse(example)).toThrow(ValidationError);
        return;
      }
      if (param === 'disk') {
        // The doc's own CD-ROM example sits in /opt/ISO, outside the documented roots: it parses once
        // /opt is allowed, and is refused (precisely) under the real roots.
        expect(parseDisk(example, 'disk', ['/var/lib/libvirt', '/opt'])).toHaveLength(2);
        expectInvalid(
          () => parse(example),
          'disk',
          "path '/opt/ISO/CentOS-7-x86_64-Minimal-1511.iso' is not under",
        );
        return;
      }
      expect(() => parse(example)).not.toThrow();
    });
  }
});
