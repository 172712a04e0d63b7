/**
 * `spec.pool` of a VirtualMachinePool: the storage engine's PoolInfo with the key spellings both
 * kinds of clients read — uni-virt's (`capacity` as "49 GB", `url`, `sourceHost`, `sourcePath`) and
 * the API document's (`pooltype`, `path`, `free`, …) — plus the byte figures as numbers.
 */
import type { PoolInfo, StorageEngine } from '../../storage/index.js';
import type { OperationOutcome } from '../types.js';

export function poolReport(info: PoolInfo, extra: { uuid?: string } = {}): Record<string, unknown> {
  const { capacityText, capacity, ...rest } = info;
  const url = info.sourceHost ? `${info.sourceHost}:${info.sourcePath}` : info.path;
  return {
    ...rest,
    _type: info.type,
    url,
    capacity: capacityText,
    capacity_bytes: capacity,
    ...(extra.uuid ? { uuid: extra.uuid } : {}),
  };
}

export async function poolOutcome(storage: StorageEngine, name: string): Promise<OperationOutcome> {
  return { report: poolReport(await storage.poolInfo(name)) };
}
