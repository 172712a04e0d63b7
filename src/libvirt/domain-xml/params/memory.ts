/**
 * The `memory` parameter: MiB, 100–99999 (API doc). virt-install's `memory=N[,maxmemory=M]` form is
 * accepted too; maxmemory (MiB) must be ≥ memory and ≤ 102400 (ResizeMaxRAM's 100 GiB ceiling).
 */
import { ValidationError } from '../../../errors.js';
import { parseIntInRange, rejectUnknownKeys, splitOptions } from './options.js';

export const MEMORY_MIN_MIB = 100;
export const MEMORY_MAX_MIB = 99_999;
export const MAX_MEMORY_MAX_MIB = 102_400;

export interface MemoryParam {
  /** MiB */
  readonly mib: number;
  /** MiB; equals `mib` unless maxmemory was given. */
  readonly maxMib: number;
}

export function parseMemory(text: string | number, field = 'memory'): MemoryParam {
  const items = splitOptions(field, String(text));
  rejectUnknownKeys(field, items, ['memory', 'maxmemory']);
  const positionals = items.filter((i) => i.key === undefined);
  const byKey = new Map(items.filter((i) => i.key).map((i) => [i.key as string, i.value]));
  if (positionals.length > 1 || (positionals.length === 1 && byKey.has('memory'))) {
    throw new ValidationError('the memory size is given more than once', field);
  }
  const sizeText = positionals[0]?.value ?? byKey.get('memory');
  if (sizeText === undefined)
    throw new ValidationError('the memory size in MiB is required (e.g. 2048)', field);
  const mib = parseIntInRange(field, 'memory (MiB)', sizeText, MEMORY_MIN_MIB, MEMORY_MAX_MIB);
  const maxText = byKey.get('maxmemory');
  const maxMib =
    maxText === undefined
      ? mib
      : parseIntInRange(field, 'maxmemory (MiB)', maxText, MEMORY_MIN_MIB, MAX_MEMORY_MAX_MIB);
  if (maxMib < mib)
    throw new ValidationError(`maxmemory (${maxMib}) must be at least memory (${mib})`, field);
  return { mib, maxMib };
}
