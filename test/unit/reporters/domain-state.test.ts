/** The reporters' pure parts: state words, disk names from paths, and report coalescing. */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { affectFlags } from '../../../src/executors/virtual-machine/affect.js';
import { domainDisks } from '../../../src/executors/virtual-machine/shared.js';
import { poolReport } from '../../../src/executors/virtual-machine-pool/report.js';
import {
  type DomainSource,
  DomainState,
  DomainStateReporter,
  diskNameOf,
  powerStateOf,
  vmStatus,
} from '../../../src/reporters/index.js';
import type { PoolInfo } from '../../../src/storage/index.js';

const log = pino({ level: 'silent' });

describe('power state', () => {
  it('maps libvirt states to the uni-virt words', () => {
    expect(powerStateOf(DomainState.RUNNING)).toBe('Running');
    expect(powerStateOf(DomainState.BLOCKED)).toBe('Running');
    expect(powerStateOf(DomainState.PAUSED)).toBe('Paused');
    expect(powerStateOf(DomainState.SHUTOFF)).toBe('Shutdown');
    expect(powerStateOf(DomainState.CRASHED)).toBe('Crashed');
    expect(powerStateOf(42)).toBe('Unknown');
    expect(vmStatus('Running')).toEqual({
      conditions: { state: { waiting: { reason: 'Running', message: 'The VM is Running' } } },
    });
  });
});

describe('diskNameOf', () => {
  it('names the VirtualMachineDisk of a file in the pool layout', () => {
    expect(diskNameOf('/var/lib/libvirt/p/disk1/disk1')).toBe('disk1');
    expect(diskNameOf('/var/lib/libvirt/p/disk1/snapshots/s1')).toBe('disk1');
    expect(diskNameOf('/var/lib/libvirt/images/test.qcow2')).toBeUndefined();
  });
});

describe('domainDisks', () => {
  it('reads targets, sources, formats and aliases from domain XML', () => {
    const xml = `<domain type='kvm'><name>v</name><devices>
      <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/p/d/d'/>
        <target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>
      <disk type='file' device='cdrom'><source file='/var/lib/libvirt/i.iso'/><target dev='sda' bus='sata'/></disk>
    </devices></domain>`;
    expect(domainDisks(xml)).toEqual([
      {
        target: 'vda',
        bus: 'virtio',
        device: 'disk',
        type: 'file',
        source: '/var/lib/libvirt/p/d/d',
        format: 'qcow2',
        alias: 'virtio-disk0',
      },
      {
        target: 'sda',
        bus: 'sata',
        device: 'cdrom',
        type: 'file',
        source: '/var/lib/libvirt/i.iso',
        format: undefined,
        alias: undefined,
      },
    ]);
  });
});

describe('affectFlags (virsh semantics)', () => {
  it('defaults to live+config for a running VM and config for a shut-off one', () => {
    expect(affectFlags({}, true)).toBe(3);
    expect(affectFlags({}, false)).toBe(2);
    expect(affectFlags({ live: true }, true)).toBe(1);
    expect(affectFlags({ persistent: true }, true)).toBe(2);
    expect(() => affectFlags({ live: true }, false)).toThrow(/not running/);
  });
});

describe('poolReport', () => {
  it('carries both key spellings and the human capacity', () => {
    const info = {
      pool: 'p1',
      name: 'p1',
      poolname: 'p1',
      type: 'glusterfs',
      pooltype: 'glusterfs',
      url: '/var/lib/libvirt/cstor/p1',
      path: '/var/lib/libvirt/cstor/p1',
      content: 'vmd',
      state: 'active',
      autostart: true,
      persistent: 'yes',
      capacity: 49 * 2 ** 30,
      free: 1,
      allocation: 2,
      capacityText: '49 GB',
      sourceHost: 'node1',
      sourcePath: 'vol1',
    } as PoolInfo;
    expect(poolReport(info)).toMatchObject({
      pool: 'p1',
      _type: 'glusterfs',
      pooltype: 'glusterfs',
      url: 'node1:vol1',
      path: '/var/lib/libvirt/cstor/p1',
      capacity: '49 GB',
      capacity_bytes: 49 * 2 ** 30,
      state: 'active',
    });
  });
});

describe('DomainStateReporter', () => {
  function fakeSource(states: Map<string, number>) {
    let listener: ((d: string, e: string) => void) | undefined;
    let describes = 0;
    const source: DomainSource = {
      onLifecycle(l) {
        listener = l;
        return () => {
          listener = undefined;
        };
      },
      async describe(name) {
        describes++;
        await new Promise((r) => setTimeout(r, 5));
        const state = states.get(name);
        return state === undefined ? undefined : { xml: `<domain><name>${name}</name></domain>`, state };
      },
    };
    return { source, fire: (d: string) => listener?.(d, 'Started'), describes: () => describes };
  }

  it('coalesces a burst into at most two reports, the last one with the final state', async () => {
    const states = new Map<string, number>([['vm1', DomainState.RUNNING]]);
    const f = fakeSource(states);
    const writes: unknown[] = [];
    const r = new DomainStateReporter({
      source: f.source,
      patch: async (_ref, spec) => {
        writes.push(spec.powerstate);
        return true;
      },
      toJson: () => ({}),
      namespace: 'default',
      log,
    });
    r.start();
    f.fire('vm1');
    states.set('vm1', DomainState.PAUSED);
    for (let i = 0; i < 10; i++) f.fire('vm1');
    states.set('vm1', DomainState.SHUTOFF);
    await r.idle();
    expect(f.describes()).toBeLessThanOrEqual(2);
    expect(writes.at(-1)).toBe('Shutdown');
    r.stop();
  });

  it('skips the start-up pause and leaves undefined domains alone', async () => {
    const writes: unknown[] = [];
    const r = new DomainStateReporter({
      source: {
        onLifecycle: () => () => {},
        describe: async (name) =>
          name === 'starting' ? { xml: '<domain/>', state: DomainState.PAUSED, reason: 11 } : undefined,
      },
      patch: async (_ref, spec) => {
        writes.push(spec);
        return true;
      },
      toJson: () => ({}),
      namespace: 'default',
      log,
    });
    await r.report('starting');
    await r.report('gone');
    expect(writes).toEqual([]);
  });
});
