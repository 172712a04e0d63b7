/**
 * The disk-snapshot report is a pure function of what the engine reports: the keys the Java SDK's
 * model types (VirtualMachineDiskSnapshot spec.volume.*) are strings, the rest is under `spec.volume.*`.
 */
import { describe, expect, it } from 'vitest';
import { snapshotVolumeReport } from '../../../src/executors/virtual-machine-disk-snapshot/report.js';
import { sdkModelOf, sdkViolations } from '../../../src/sdk-model.js';
import type { DiskInfo, SnapshotInfo } from '../../../src/storage/index.js';

const dir = '/var/lib/libvirt/pool1/disk1';
const disk = {
  disk: 'disk1',
  vol: 'disk1',
  pool: 'pool1',
  poolname: 'pool1',
  type: 'dir',
  current: `${dir}/snapshots/snap2`,
  uni: `${dir}/snapshots/snap2`,
  dir,
  format: 'qcow2',
  virtual_size: 1073741824,
  actual_size: 200704,
  capacity: '1.0 GB',
  filename: `${dir}/snapshots/snap2`,
  vm: 'vm1',
} satisfies DiskInfo;
const snap: SnapshotInfo = {
  name: 'snap1',
  file: `${dir}/snapshots/snap1`,
  full_backing_filename: `${dir}/disk1`,
  current: false,
  onCurrentChain: true,
};

describe('snapshotVolumeReport', () => {
  const r = snapshotVolumeReport(snap, disk, [snap.file, `${dir}/disk1`]);

  it('names the disk, the overlay, the frozen point and the chain', () => {
    expect(r).toMatchObject({
      disk: 'disk1',
      pool: 'pool1',
      snapshot: 'snap1',
      current: snap.file,
      full_backing_filename: `${dir}/disk1`,
      disk_current: disk.current,
      is_current: false,
      on_current_chain: true,
      chain: [snap.file, `${dir}/disk1`],
      vm: 'vm1',
    });
  });

  it('gives every key the SDK model types as String a string', () => {
    const typed = [
      'backing_filename',
      'backing_filename_format',
      'current',
      'disk',
      'filename',
      'format',
      'full_backing_filename',
      'pool',
      'poolname',
      'snapshot',
      'uni',
    ];
    for (const k of typed) expect(typeof r[k], k).toBe('string');
  });

  it('fits the SDK model of VirtualMachineDiskSnapshot', () => {
    expect(sdkViolations(sdkModelOf('VirtualMachineDiskSnapshot'), { volume: r })).toEqual([]);
  });
});
