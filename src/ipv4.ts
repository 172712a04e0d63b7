/** Dotted-quad IPv4 addresses: each part 0–255 in decimal without leading zeros. */
import { ValidationError } from './errors.js';

/** One part, as RegExp / JSON-Schema source. */
export const IPV4_OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
/** A whole address, anchored, as RegExp / JSON-Schema source. */
export const IPV4_PATTERN = `^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`;
const IPV4_RE = new RegExp(IPV4_PATTERN);

export function isIpv4(text: string): boolean {
  return IPV4_RE.test(text);
}

/** The address as a 32-bit unsigned number (surrounding blanks ignored), or a ValidationError. */
export function parseIpv4(text: string, field: string): number {
  const t = text.trim();
  if (!isIpv4(t)) throw new ValidationError(`'${text}' is not an IPv4 address`, field);
  return t.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
