/**
 * `spec.volume` of a VirtualMachineDiskImage: the same shape as a disk's (qemu-img info with `_`
 * keys plus pool/current bookkeeping), built by the disk report so both stay one shape.
 */
import type { DiskInfo } from '../../storage/index.js';
import { volumeReport } from '../virtual-machine-disk/report.js';

export function imageVolumeReport(info: DiskInfo): Record<string, unknown> {
  return volumeReport(info, undefined, 'VirtualMachineDiskImage');
}
