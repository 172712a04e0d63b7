/** Unique names of the host objects issue 11's safety tests create (domains, disks, pools, rows). */
import { randomBytes } from 'node:crypto';

export const SAFETY_PREFIX = 'hs11';

export function hs11(what: string): string {
  return `${SAFETY_PREFIX}-${what}-${randomBytes(3).toString('hex')}`;
}
