/**
 * The small list syntaxes of the network operations: IPv4 lists, OVN exclude-IP ranges, DNS
 * servers, subnets, and the OVN ACL match expression.
 */
import { ValidationError } from '../../errors.js';
import { isIpv4, parseIpv4 } from '../../ipv4.js';

function requireIp(item: string, field: string, what = 'IPv4 address'): void {
  if (!isIpv4(item)) throw new ValidationError(`${JSON.stringify(item)} is not an ${what}`, field);
}

/** `a,b,c` — the document's example uses the full-width comma `，`, which is accepted too. */
export function checkIpList(value: string, field: string): string {
  const items = value.split(/[,，]/).map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === '')) {
    throw new ValidationError('must be IPv4 addresses separated by commas, with no empty item', field);
  }
  for (const item of items) requireIp(item, field);
  return items.join(',');
}

/**
 * OVN exclude_ips: single addresses and `a..b` ranges, separated by spaces (the document) or commas
 * (what the SDK sends). Normalised to OVN's space-separated form.
 */
export function checkExcludeIps(value: string, field: string): string {
  const items = value
    .split(/[\s,，]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new ValidationError('must list at least one address or range', field);
  for (const item of items) {
    const range = item.split('..');
    if (range.length === 1) {
      requireIp(item, field);
    } else if (range.length === 2) {
      const [a, b] = range as [string, string];
      requireIp(a, field);
      requireIp(b, field);
      if (parseIpv4(a, field) > parseIpv4(b, field))
        throw new ValidationError(`range ${item} runs backwards`, field);
    } else {
      throw new ValidationError(`${JSON.stringify(item)} is neither an address nor an a..b range`, field);
    }
  }
  return items.join(' ');
}

/** DNS servers: `ip[,ip…]`; the SDK's `"{ip,ip}"` form (braces and quotes included) is accepted. */
export function checkDnsList(value: string, field: string): string {
  const inner = value.trim().replace(/^"?\{?|\}?"?$/g, '');
  return checkIpList(inner, field);
}

/** `a.b.c.d/n`, n in 1..31 (a subnet with room for hosts). */
export function checkSubnet(value: string, field: string): string {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(value);
  if (!m || !isIpv4(m[1] ?? ''))
    throw new ValidationError('must be an IPv4 subnet like 192.168.5.0/24', field);
  const prefix = Number(m[2]);
  if (prefix < 1 || prefix > 31) throw new ValidationError(`prefix /${prefix} must be 1 to 31`, field);
  return value;
}

// The OVN match language needs `==`, `!=`, `&&`, `||`, `<`, `>`, `$set`, `{}` and `()`; nothing
// else, and never a quote or backslash (the value is handed to OVN as data, but keep it plain).
const ACL_MATCH = /^[a-z0-9._,/{}()$&=<>|!: -]{2,200}$/;

/** An OVN ACL match expression, e.g. `ip4.src == $dmz && tcp.dst == 3306`. */
export function checkAclMatch(value: string, field: string): string {
  if (!ACL_MATCH.test(value)) {
    throw new ValidationError(
      "must be 2–200 characters of [a-z0-9._,/{}()$&=<>|!: -] (an OVN match such as 'ip4.src == $dmz && tcp.dst == 3306')",
      field,
    );
  }
  let depth = 0;
  for (const ch of value) {
    if (ch === '(' || ch === '{') depth++;
    if (ch === ')' || ch === '}') depth--;
    if (depth < 0) break;
  }
  if (depth !== 0) throw new ValidationError('has unbalanced brackets', field);
  if (/(^|[^=!<>])=($|[^=])/.test(value)) {
    throw new ValidationError("uses '=' where the match language needs '=='", field);
  }
  return value;
}
