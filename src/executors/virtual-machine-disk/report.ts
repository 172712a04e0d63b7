/**
 * `spec.volume` of a VirtualMachineDisk: the storage engine's DiskInfo (qemu-img info with `_`
 * keys, plus pool/vol/current/capacity/vm bookkeeping). The pool `type` the client sent
 * (localfs, glusterfs, …) is kept as given: it is advisory, the pool knows what it is. Disk images
 * and disk snapshots report the same shape under their own kind's model.
 */
import type { KindName } from '../../kinds.js';
import { fitToSdk, sdkModelOf } from '../../sdk-model.js';
import type { DiskInfo } from '../../storage/index.js';

/** Within what the Java SDK reads (qemu-img adds format-specific keys the SDK's classes lack). */
export function volumeReport(
  info: DiskInfo,
  clientType?: string,
  kind: KindName = 'VirtualMachineDisk',
): Record<string, unknown> {
  const volume = { ...info, ...(clientType ? { type: clientType } : {}) };
  return fitToSdk(sdkModelOf(kind), 'volume', volume) as Record<string, unknown>;
}
