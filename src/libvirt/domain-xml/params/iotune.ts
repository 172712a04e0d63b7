/**
 * Disk I/O limits (`read_bytes_sec=…` and friends): used inside the `disk` mini-language and by
 * PlugDisk / TuneDiskQoS. Ranges are the API doc's: bytes and total IOPS 0–9999999999, read/write
 * IOPS 0–99999. 0 means "no limit" to libvirt.
 */
import { ValidationError } from '../../../errors.js';
import { parseIntInRange } from './options.js';

export interface IoTune {
  totalBytesSec?: number;
  readBytesSec?: number;
  writeBytesSec?: number;
  totalIopsSec?: number;
  readIopsSec?: number;
  writeIopsSec?: number;
}

/** Parameter key → [IoTune member, maximum]. */
export const IOTUNE_KEYS = {
  total_bytes_sec: ['totalBytesSec', 9_999_999_999],
  read_bytes_sec: ['readBytesSec', 9_999_999_999],
  write_bytes_sec: ['writeBytesSec', 9_999_999_999],
  total_iops_sec: ['totalIopsSec', 9_999_999_999],
  read_iops_sec: ['readIopsSec', 99_999],
  write_iops_sec: ['writeIopsSec', 99_999],
} as const satisfies Record<string, readonly [keyof IoTune, number]>;

export type IoTuneKey = keyof typeof IOTUNE_KEYS;

export function isIoTuneKey(key: string): key is IoTuneKey {
  return Object.hasOwn(IOTUNE_KEYS, key);
}

/** Parses one limit; `label` is how the error names it (e.g. `disk #2, read_bytes_sec`). */
export function parseIoTuneValue(field: string, key: IoTuneKey, text: string, label: string = key): number {
  const [, max] = IOTUNE_KEYS[key];
  return parseIntInRange(field, label, text, 0, max);
}

/** Builds an IoTune from parameter-style keys (`read_bytes_sec` → readBytesSec); absent keys stay absent. */
export function parseIoTune(field: string, values: Readonly<Record<string, string | undefined>>): IoTune {
  const out: IoTune = {};
  for (const key of Object.keys(IOTUNE_KEYS) as IoTuneKey[]) {
    const text = values[key];
    if (text === undefined) continue;
    const [member] = IOTUNE_KEYS[key];
    out[member] = parseIoTuneValue(field, key, text);
  }
  checkIoTuneCombination(field, out);
  return out;
}

/** libvirt refuses a total limit together with a read or write limit of the same kind. */
export function checkIoTuneCombination(field: string, tune: IoTune, label = 'I/O limits'): void {
  if (
    tune.totalBytesSec !== undefined &&
    (tune.readBytesSec !== undefined || tune.writeBytesSec !== undefined)
  ) {
    throw new ValidationError(
      `${label}: total_bytes_sec cannot be combined with read_bytes_sec or write_bytes_sec`,
      field,
    );
  }
  if (
    tune.totalIopsSec !== undefined &&
    (tune.readIopsSec !== undefined || tune.writeIopsSec !== undefined)
  ) {
    throw new ValidationError(
      `${label}: total_iops_sec cannot be combined with read_iops_sec or write_iops_sec`,
      field,
    );
  }
}
