/**
 * The `boot` parameter: boot devices in order, comma-separated: `hd`, `cdrom`, `network`, `fd`
 * (the doc documents hd and cdrom). Example: `cdrom,hd`.
 */
import { ValidationError } from '../../../errors.js';
import { parseEnum, rejectUnknownKeys, splitOptions } from './options.js';

export const BOOT_DEVICES = ['hd', 'cdrom', 'network', 'fd'] as const;
export type BootDevice = (typeof BOOT_DEVICES)[number];

export interface BootParam {
  readonly order: readonly BootDevice[];
}

export function parseBoot(text: string, field = 'boot'): BootParam {
  const items = splitOptions(field, String(text));
  rejectUnknownKeys(field, items, []);
  const order: BootDevice[] = [];
  for (const item of items) {
    const dev = parseEnum(field, `boot device ${item.position}`, item.value, BOOT_DEVICES);
    if (order.includes(dev)) throw new ValidationError(`boot device '${dev}' is listed twice`, field);
    order.push(dev);
  }
  return { order };
}
