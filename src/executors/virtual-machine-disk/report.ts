/**
 * `spec.volume` of a VirtualMachineDisk: the storage engine's DiskInfo (qemu-img info with `_`
 * keys, plus pool/vol/current/capacity/vm bookkeeping). The pool `type` the client sent
 * (localfs, glusterfs, …) is kept as given: it is advisory, the pool knows what it is.
 */
import type { DiskInfo } from '../../storage/index.js';

export function volumeReport(info: DiskInfo, clientType?: string): Record<string, unknown> {
  return { ...info, ...(clientType ? { type: clientType } : {}) };
}
