/**
 * `spec.volume` of a VirtualMachineDiskSnapshot, as uni-virt's clients read it: the disk and pool it
 * belongs to, the snapshot's name, its overlay file (`current`/`filename`), its frozen point in time
 * (`full_backing_filename`, the overlay's backing file) and the chain under the overlay (top first).
 * Pure: built from what the engine reports, so the periodic observation can reuse it.
 */
import { fitToSdk, sdkModelOf } from '../../sdk-model.js';
import type { DiskInfo, SnapshotInfo } from '../../storage/index.js';

export function snapshotVolumeReport(
  snap: SnapshotInfo,
  disk: DiskInfo,
  chain: readonly string[],
): Record<string, unknown> {
  const volume = {
    disk: disk.disk,
    pool: disk.pool,
    poolname: disk.poolname,
    snapshot: snap.name,
    current: snap.file,
    filename: snap.file,
    uni: snap.file,
    format: 'qcow2',
    backing_filename: snap.full_backing_filename,
    full_backing_filename: snap.full_backing_filename,
    backing_filename_format: 'qcow2',
    // The disk's top: the snapshot itself until a newer snapshot or a revert moves it.
    disk_current: disk.current,
    is_current: snap.current,
    on_current_chain: snap.onCurrentChain,
    chain: [...chain],
    vm: disk.vm,
    domain: disk.vm,
  };
  return fitToSdk(sdkModelOf('VirtualMachineDiskSnapshot'), 'volume', volume) as Record<string, unknown>;
}
