/** SetBootOrder's `order` parameter: disk targets in boot order, `hda,vda` (vdX, hdX, sdX). */
import { ValidationError } from '../../../errors.js';
import { DISK_TARGET } from './disk.js';
import { rejectUnknownKeys, splitOptions } from './options.js';

export function parseBootOrder(text: string, field = 'order'): string[] {
  const items = splitOptions(field, String(text));
  rejectUnknownKeys(field, items, []);
  const out: string[] = [];
  for (const item of items) {
    if (!DISK_TARGET.test(item.value)) {
      throw new ValidationError(
        `item ${item.position} must be a disk target vdX, hdX or sdX (got '${item.value}')`,
        field,
      );
    }
    if (out.includes(item.value)) throw new ValidationError(`target '${item.value}' is listed twice`, field);
    out.push(item.value);
  }
  return out;
}
