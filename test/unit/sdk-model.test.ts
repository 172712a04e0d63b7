import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vmReport } from '../../src/executors/virtual-machine/report.js';
import { volumeReport } from '../../src/executors/virtual-machine-disk/report.js';
import { SDK_MODEL } from '../../src/sdk-model.gen.js';
import { buildSdkTree, fitToSdk, sdkModelOf, sdkViolations } from '../../src/sdk-model.js';
import type { DiskInfo } from '../../src/storage/index.js';

const root = join(import.meta.dirname, '..', '..');
const fixture = (f: string) => readFileSync(join(root, 'test', 'fixtures', 'xml', f), 'utf8');

describe('the SDK model tree', () => {
  it('src/sdk-model.gen.ts is generated from the reference (npm run generate)', () => {
    const ref = JSON.parse(
      readFileSync(join(root, '..', 'shared', 'reference', 'java-sdk-model.json'), 'utf8'),
    ) as Record<string, Record<string, string>>;
    for (const [kind, paths] of Object.entries(ref)) {
      const kept = Object.entries(paths).filter(([p]) => !/^spec\.(lifecycle|affinity)(\.|$)/.test(p));
      expect(JSON.stringify(SDK_MODEL[kind]), `${kind} is stale: npm run generate`).toBe(
        JSON.stringify(buildSdkTree(kept).c?.['spec']),
      );
    }
  });

  it('names the fields the SDK rejected (seen with the real SDK)', () => {
    const vm = sdkModelOf('VirtualMachine');
    expect(
      sdkViolations(vm, { domain: { cpu: { topology: { _dies: 1, _cores: 1 } }, devices: { audio: {} } } }),
    ).toEqual([
      'spec.domain.cpu.topology._dies: unknown to the SDK model',
      'spec.domain.devices.audio: unknown to the SDK model',
    ]);
    const disk = sdkModelOf('VirtualMachineDisk');
    expect(
      sdkViolations(disk, {
        volume: {
          format_specific: {
            type: 'qcow2',
            data: { compat: '1.1', compression_type: 'zlib', extended_l2: false },
          },
        },
      }),
    ).toEqual([
      'spec.volume.format_specific.data.compression_type: unknown to the SDK model',
      'spec.volume.format_specific.data.extended_l2: unknown to the SDK model',
    ]);
  });

  it('open levels take unknown keys; leaf types follow Jackson coercion; lists take one item or many', () => {
    const disk = sdkModelOf('VirtualMachineDisk');
    expect(sdkViolations(disk, { anything: { deep: 1 }, volume: { extra: [1], virtual_size: 10 } })).toEqual(
      [],
    );
    expect(sdkViolations(disk, { volume: { format_specific: { data: { corrupt: 'maybe' } } } })).toEqual([
      'spec.volume.format_specific.data.corrupt: not a boolean: maybe',
    ]);
    expect(sdkViolations(disk, { volume: { current: { a: 1 } } })).toEqual([
      'spec.volume.current: an object or list where the SDK has String',
    ]);
    const vm = sdkModelOf('VirtualMachine');
    const one = { _name: 'x', _policy: 'require' };
    expect(sdkViolations(vm, { domain: { cpu: { feature: one } } })).toEqual([]);
    expect(sdkViolations(vm, { domain: { cpu: { feature: [one, { _bogus: 1 }] } } })).toEqual([
      'spec.domain.cpu.feature[1]._bogus: unknown to the SDK model',
    ]);
  });

  it('a backing chain nests BackingStore in BackingStore', () => {
    const vm = sdkModelOf('VirtualMachine');
    const chain = { _type: 'file', backingStore: { _type: 'file', backingStore: { _type: 'file', bad: 1 } } };
    expect(sdkViolations(vm, { domain: { devices: { disk: [{ backingStore: chain }] } } })).toEqual([
      'spec.domain.devices.disk[0].backingStore.backingStore.backingStore.bad: unknown to the SDK model',
    ]);
  });

  it('fitToSdk drops exactly what does not fit', () => {
    const vm = sdkModelOf('VirtualMachine');
    expect(
      fitToSdk(vm, 'domain', { cpu: { topology: { _dies: 1, _cores: 2 } }, features: { acpi: {} } }),
    ).toEqual({
      cpu: { topology: { _cores: 2 } },
      features: { acpi: {} },
    });
  });
});

describe('reports fit the SDK model', () => {
  it.each(['pc-inactive.xml', 'q35-inactive.xml', 'q35-live.xml', 'edge-cases.xml'])(
    'a VM report of %s',
    (file) => {
      const report = vmReport(fixture(file), 1);
      expect(sdkViolations(sdkModelOf('VirtualMachine'), { ...report })).toEqual([]);
      expect(report.powerstate).toBe('Running');
      // what the SDK can read is kept: the disks and the NICs clients list
      expect(JSON.stringify(report.domain)).toContain('"devices"');
    },
  );

  it('a disk report with qemu-img 7 format-specific keys', () => {
    const info = {
      disk: 'd1',
      vol: 'd1',
      pool: 'p1',
      poolname: 'p1',
      type: 'localfs',
      current: '/p/d1/d1',
      uni: '/p/d1/d1',
      dir: '/p/d1',
      format: 'qcow2',
      virtual_size: 1,
      actual_size: 1,
      capacity: '1 B',
      filename: '/p/d1/d1',
      vm: '',
      format_specific: {
        type: 'qcow2',
        data: {
          compat: '1.1',
          compression_type: 'zlib',
          lazy_refcounts: false,
          refcount_bits: 16,
          corrupt: false,
          extended_l2: false,
        },
      },
    } satisfies DiskInfo;
    const volume = volumeReport(info);
    expect(sdkViolations(sdkModelOf('VirtualMachineDisk'), { volume })).toEqual([]);
    expect(volume['format_specific']).toEqual({
      type: 'qcow2',
      data: { compat: '1.1', lazy_refcounts: false, refcount_bits: 16, corrupt: false },
    });
  });
});
