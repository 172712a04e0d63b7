import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { createRegistry } from '../../../src/executors/registry.js';
import { redactParams, validateParams, validateParamsDetailed } from '../../../src/executors/schema.js';
import { parseSize } from '../../../src/sizes.js';

const registry = createRegistry([]);
const op = (kind: Parameters<typeof registry.lookup>[0], name: string) => {
  const o = registry.lookup(kind, name);
  if (!o) throw new Error(`no ${kind}/${name}`);
  return o;
};

const createDisk = op('VirtualMachineDisk', 'createDisk');
const okDisk = { type: 'localfs', format: 'qcow2', pool: 'pool2', capacity: '10737418240' };
const plugDisk = op('VirtualMachine', 'plugDisk');
const okPlug = { source: '/var/lib/libvirt/images/d1.qcow2', target: 'vdb' };
const createVm = op('VirtualMachine', 'createAndStartVMFromISO');
const okVm = {
  graphics: 'vnc,listen=0.0.0.0,password=abcdefg',
  disk: '/var/lib/libvirt/images/vm1.qcow2,read_bytes_sec=1024000000',
  memory: '2048',
  network: 'type=bridge,source=virbr0',
  os_variant: 'centos7.0',
  vcpus: '2',
  noautoconsole: true,
};

/** The ValidationError a request raises (fails the test when there is none). */
function errorOf(o: ReturnType<typeof op>, raw: unknown): ValidationError {
  try {
    validateParams(o, raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('validateParams: one invalid request per constraint class, each with a precise error', () => {
  const cases: Array<[string, ReturnType<typeof op>, Record<string, unknown>, string, RegExp]> = [
    ['required parameter missing', createDisk, { ...okDisk, pool: undefined }, 'pool', /is required/],
    [
      'name: upper case',
      createDisk,
      { ...okDisk, pool: 'Pool2' },
      'pool',
      /\[a-z0-9\.-\]\{4,100\}.*got "Pool2"/,
    ],
    ['name: too short', createDisk, { ...okDisk, pool: 'p1' }, 'pool', /4,100/],
    ['name: shell characters', createDisk, { ...okDisk, pool: 'pool;rm -rf' }, 'pool', /must match/],
    [
      'enumeration',
      createDisk,
      { ...okDisk, type: 'ceph' },
      'type',
      /one of: localfs, vdiskfs, uus, nfs, glusterfs/,
    ],
    ['single-value enumeration', createDisk, { ...okDisk, format: 'raw' }, 'format', /must be qcow2/],
    [
      'size below the range',
      createDisk,
      { ...okDisk, capacity: '1M' },
      'capacity',
      /1000000000 to 999999999999 B/,
    ],
    ['size that is not a size', createDisk, { ...okDisk, capacity: 'big' }, 'capacity', /integer from/],
    ['integer range', createVm, { ...okVm, memory: '50' }, 'memory', /from 100 to 99999.*got "50"/],
    ['integer sent as prose', createVm, { ...okVm, memory: '2 GB' }, 'memory', /integer/],
    ['boolean that is not one', plugDisk, { ...okPlug, live: 'yes' }, 'live', /true or false/],
    [
      'path outside the allowed roots',
      plugDisk,
      { ...okPlug, source: '/etc/passwd.qcow2.long' },
      'source',
      /not under/,
    ],
    [
      'path escaping with ..',
      plugDisk,
      { ...okPlug, source: '/var/lib/libvirt/../../etc/shadow' },
      'source',
      /not under/,
    ],
    [
      'path with a space',
      plugDisk,
      { ...okPlug, source: '/var/lib/libvirt/images/a b.qcow2' },
      'source',
      /must match/,
    ],
    ['disk target pattern', plugDisk, { ...okPlug, target: 'xvda' }, 'target', /vd\|hd\|sd/],
    [
      'MAC starting with fe',
      op('VirtualMachine', 'plugNIC'),
      { source: 'source=virbr0', type: 'bridge', mac: 'fe:54:00:12:34:56' },
      'mac',
      /must match/,
    ],
    [
      'IPv4 address',
      op('VirtualMachine', 'unbindFloatingIP'),
      { swName: 'switch1', vmmac: '52:54:00:12:34:56', fip: '10.0.0.256', vmip: '10.0.0.5' },
      'fip',
      /must match/,
    ],
    [
      'mini-language: disk path confined',
      createVm,
      { ...okVm, disk: '/opt/iso/x.iso,device=cdrom' },
      'disk',
      /not under/,
    ],
    [
      'mini-language: network type',
      createVm,
      { ...okVm, network: 'type=vxlan,source=br0' },
      'network',
      /type/,
    ],
    [
      'mini-language: graphics password',
      createVm,
      { ...okVm, graphics: 'vnc,listen=0.0.0.0,password=AB' },
      'graphics',
      /password/,
    ],
    [
      'mini-language: vcpus topology',
      createVm,
      { ...okVm, vcpus: '2,maxvcpus=8,sockets=1,cores=2,threads=1' },
      'vcpus',
      /./,
    ],
    [
      'PlugNIC source order',
      op('VirtualMachine', 'plugNIC'),
      { source: 'ip=10.0.0.2,source=br-int', type: 'l3bridge', mac: '52:54:00:12:34:56' },
      'source',
      /source=/,
    ],
    [
      'IP list',
      op('VirtualMachineNetwork', 'createAddress'),
      { address: '10.0.0.1,10.0.0' },
      'address',
      /not an IPv4 address/,
    ],
    [
      'exclude-IP range backwards',
      op('VirtualMachineNetwork', 'createSwitch'),
      { subnet: '10.0.0.0/24', gateway: '10.0.0.1', excludeIPs: '10.0.0.9..10.0.0.2' },
      'excludeIPs',
      /backwards/,
    ],
    [
      'subnet prefix',
      op('VirtualMachineNetwork', 'createSwitch'),
      { subnet: '10.0.0.0/32', gateway: '10.0.0.1' },
      'subnet',
      /prefix/,
    ],
    [
      'ACL match uses =',
      op('VirtualMachine', 'addACL'),
      {
        swName: 'switch1',
        vmmac: '52:54:00:12:34:56',
        type: 'from',
        rule: 'ip4.src = 10.0.0.1',
        operator: 'allow',
      },
      'rule',
      /'=='/,
    ],
    [
      'cloud-init YAML',
      op('VirtualMachineDisk', 'createCloudInitUserDataImage'),
      { pool: 'pool2', userData: 'a: [1, 2' },
      'userData',
      /YAML/,
    ],
    [
      'snapshot diskspec',
      op('VirtualMachineSnapshot', 'createSnapshot'),
      { domain: 'vm01', diskspec: 'vda,snapshot=sometimes' },
      'diskspec',
      /external, internal or no/,
    ],
    ['VLAN range', op('VirtualMachineNetwork', 'setBridgeVlan'), { vlan: '4095' }, 'vlan', /0 to 4094/],
  ];
  for (const [what, o, raw, field, message] of cases) {
    it(what, () => {
      const err = errorOf(o, raw);
      expect(err.field).toBe(field);
      expect(err.reason).toBe('InvalidParameter');
      expect(err.message.startsWith(`${field}: `)).toBe(true);
      expect(err.message).toMatch(message);
    });
  }

  it('names the documented constraint text in the message', () => {
    expect(errorOf(createVm, { ...okVm, memory: '1' }).message).toContain('documented: 取值范围：100~99999');
  });

  it('never echoes a secret', () => {
    const err = errorOf(op('VirtualMachine', 'setVncPassword'), { password: 'TOP-SECRET-X' });
    expect(err.field).toBe('password');
    expect(err.message).not.toContain('TOP-SECRET-X');
  });

  it('rejects a lifecycle value that is not an object', () => {
    expect(errorOf(createDisk, ['x']).message).toMatch(/must be an object, got an array/);
    expect(errorOf(createDisk, 'x').message).toMatch(/must be an object, got string/);
  });
});

describe('validateParams: the forms clients send', () => {
  it('coerces booleans, numbers and sizes, and drops empty values', () => {
    const p = validateParams(plugDisk, {
      ...okPlug,
      live: 'True',
      config: 'false',
      read_iops_sec: '400',
      cache: '',
    });
    expect(p).toEqual({ ...okPlug, live: true, config: false, read_iops_sec: 400 });
    expect(validateParams(createDisk, { ...okDisk, capacity: '10G' }).capacity).toBe(10 * 1024 ** 3);
    expect(validateParams(createDisk, { ...okDisk, capacity: '10,737,418,240' }).capacity).toBe(10737418240);
    expect(validateParams(createDisk, { ...okDisk, capacity: 10737418240 }).capacity).toBe(10737418240);
    expect(validateParams(op('VirtualMachine', 'resizeRAM'), { size: '1GiB' }).size).toBe(1048576);
  });

  it('normalises paths and MACs', () => {
    expect(
      validateParams(plugDisk, { ...okPlug, source: '/var/lib/libvirt/images/../images/./d1.qcow2' }).source,
    ).toBe('/var/lib/libvirt/images/d1.qcow2');
    const nic = validateParams(op('VirtualMachine', 'unplugNIC'), {
      type: 'bridge',
      mac: '52:54:00:AB:CD:EF',
    });
    expect(nic.mac).toBe('52:54:00:ab:cd:ef');
  });

  it('removes the single quotes the SDK wraps ACL rules in', () => {
    const p = validateParams(op('VirtualMachine', 'addACL'), {
      swName: 'switch1',
      vmmac: '52:54:00:12:34:56',
      type: 'to',
      rule: "'ip4.src == $dmz && tcp.dst == 3306'",
      operator: 'drop',
    });
    expect(p.rule).toBe('ip4.src == $dmz && tcp.dst == 3306');
  });

  it('applies the alias spellings existing clients send', () => {
    const clone = op('VirtualMachineDisk', 'cloneDisk');
    expect(
      validateParams(clone, { type: 'localfs', pool: 'pool2', newvol: 'disk2', format: 'qcow2' }).newname,
    ).toBe('disk2');
    const snap = op('VirtualMachineDisk', 'createDiskInternalSnapshot');
    expect(validateParams(snap, { type: 'localfs', pool: 'pool2', snapshot: 'snap1' }).snapshotname).toBe(
      'snap1',
    );
    const ext = op('VirtualMachineDiskSnapshot', 'createDiskExternalSnapshot');
    expect(
      validateParams(ext, { type: 'localfs', pool: 'pool2', format: 'qcow2', source: 'disk1' }).vol,
    ).toBe('disk1');
    const fromImage = op('VirtualMachineDisk', 'createDiskFromDiskImage');
    const p = validateParams(fromImage, {
      type: 'localfs',
      targetPool: 'pool2',
      source: '/var/lib/libvirt/images/base.qcow2',
      'full-copy': 'true',
    });
    expect(p.full_copy).toBe(true);
    const tune = op('VirtualMachine', 'tuneNICQoS');
    expect(validateParams(tune, { interface: '52:54:00:12:34:56' })._interface).toBe('52:54:00:12:34:56');
  });

  it('inverts auto-start into disable for autoStartPool, and refuses contradicting spellings', () => {
    const auto = op('VirtualMachinePool', 'autoStartPool');
    expect(validateParams(auto, { 'auto-start': 'false' })).toEqual({ disable: true });
    expect(validateParams(auto, { disable: false, 'auto-start': true })).toEqual({ disable: false });
    expect(errorOf(auto, { disable: true, 'auto-start': true }).message).toMatch(/conflicts with disable/);
  });

  it('ignores undocumented extras and reports them', () => {
    const r = validateParamsDetailed(createDisk, { ...okDisk, allocation: '1G', prealloc_metadata: true });
    expect(r.params).toEqual({ ...okDisk, capacity: 10737418240 });
    expect(r.ignored).toEqual(['allocation', 'prealloc_metadata']);
  });

  it('treats null and {} as no parameters', () => {
    expect(validateParams(op('VirtualMachine', 'startVM'), null)).toEqual({});
    expect(validateParams(op('VirtualMachine', 'startVM'), {})).toEqual({});
  });
});

describe('parseSize', () => {
  it('reads digits, separators and binary unit suffixes', () => {
    expect(parseSize('1024', 'B')).toBe(1024);
    expect(parseSize('1K', 'B')).toBe(1024);
    expect(parseSize('1.5G', 'MiB')).toBe(1536);
    expect(parseSize('10GB', 'KiB')).toBe(10 * 1024 * 1024);
    expect(parseSize('1,000', 'B')).toBe(1000);
    expect(parseSize('1000B', 'KiB')).toBeNaN();
    expect(parseSize('ten', 'B')).toBeUndefined();
    expect(parseSize('1.5', 'B')).toBeUndefined();
  });
});

describe('validateParams: constraints between parameters', () => {
  it('ChangeNumberOfCPU: the count fits cores × sockets × threads', () => {
    const cpu = op('VirtualMachine', 'changeNumberOfCPU');
    expect(validateParams(cpu, { count: '4', cores: '2', sockets: '1', threads: '2' }).count).toBe(4);
    const err = errorOf(cpu, { count: '8', cores: '2', sockets: '1', threads: '2' });
    expect(err.field).toBe('count');
    expect(err.message).toMatch(/8 vCPUs exceed cores×sockets×threads = 2×1×2 = 4/);
  });

  it('PlugNIC: ip= and switch= only with type l3bridge', () => {
    const nic = op('VirtualMachine', 'plugNIC');
    const base = { mac: '52:54:00:12:34:56' };
    expect(
      validateParams(nic, { ...base, type: 'l3bridge', source: 'source=br-int,ip=10.0.0.2,switch=sw01' })
        .type,
    ).toBe('l3bridge');
    expect(errorOf(nic, { ...base, type: 'bridge', source: 'source=virbr0,ip=10.0.0.2' }).field).toBe(
      'source',
    );
  });

  it('UpdateGraphic: not a password and no_password at once', () => {
    const g = op('VirtualMachine', 'updateGraphic');
    expect(errorOf(g, { type: 'vnc', password: 'abcd', no_password: 'true' }).field).toBe('no_password');
    expect(validateParams(g, { type: 'vnc', no_password: true })).toEqual({ type: 'vnc', no_password: true });
  });
});

describe('CreatePool url by type', () => {
  const pool = op('VirtualMachinePool', 'createPool');
  it('confines directory pools and checks mount sources', () => {
    expect(validateParams(pool, { type: 'localfs', content: 'vmd', url: '/mnt/localfs/pool1' }).url).toBe(
      '/mnt/localfs/pool1',
    );
    expect(errorOf(pool, { type: 'dir', content: 'vmd', url: '/etc/pools/p1' }).message).toMatch(
      /url: .*not under/,
    );
    expect(validateParams(pool, { type: 'glusterfs', content: 'vmd', url: 'gluster1:vol0' }).type).toBe(
      'glusterfs',
    );
    expect(errorOf(pool, { type: 'glusterfs', content: 'vmd', url: '/mnt/x' }).field).toBe('url');
    expect(errorOf(pool, { type: 'nfs', content: 'iso', url: 'nfs1:export' }).message).toMatch(
      /host:\/export/,
    );
  });
});

describe('redactParams', () => {
  it('hides secrets (passwords, graphics strings with passwords) and keeps the rest', () => {
    const set = op('VirtualMachine', 'setVncPassword');
    expect(redactParams(set, { password: 'abcd1234', live: true })).toEqual({ password: '***', live: true });
    expect(redactParams(createVm, { graphics: okVm.graphics, memory: 2048 })).toEqual({
      graphics: '***',
      memory: 2048,
    });
  });
});

describe('near-miss parameter names', () => {
  it('points at a differently spelled key when a required parameter is missing', () => {
    const err = errorOf(createDisk, { type: 'localfs', format: 'qcow2', Pool: 'pool2', capacity: '10G' });
    expect(err.field).toBe('pool');
    expect(err.message).toMatch(/the request has "Pool" \(parameter names are case-sensitive\)/);
  });
});
