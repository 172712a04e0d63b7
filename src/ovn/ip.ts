/** IPv4 arithmetic and the list syntaxes of the network operations (pure). */
import { ValidationError } from '../errors.js';
import { formatIpv4, parseIpv4 } from '../ipv4.js';

export interface Ipv4Cidr {
  /** The network address (host bits cleared). */
  network: number;
  prefix: number;
  /** The address as written (may have host bits set, as the API's own example does). */
  address: number;
}

export function parseCidr(text: string, field: string, prefixRange: [number, number] = [1, 32]): Ipv4Cidr {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m) throw new ValidationError(`'${text}' is not an IPv4 network (a.b.c.d/prefix)`, field);
  const prefix = Number(m[2]);
  if (prefix < prefixRange[0] || prefix > prefixRange[1]) {
    throw new ValidationError(`prefix /${prefix} out of range ${prefixRange[0]}–${prefixRange[1]}`, field);
  }
  const address = parseIpv4(m[1] as string, field);
  const size = 2 ** (32 - prefix);
  return { network: Math.floor(address / size) * size, prefix, address };
}

export function formatCidr(c: Ipv4Cidr): string {
  return `${formatIpv4(c.network)}/${c.prefix}`;
}

export function cidrContains(c: Ipv4Cidr, ip: number): boolean {
  const size = 2 ** (32 - c.prefix);
  return ip >= c.network && ip < c.network + size;
}

/**
 * A host address of the subnet (a gateway, a DHCP server): inside it, and neither its network nor
 * its broadcast address (prefixes up to /30; /31 and /32 have no such addresses). Returns it dotted.
 */
export function hostAddress(c: Ipv4Cidr, text: string, field: string): string {
  const ip = parseIpv4(text, field);
  if (!cidrContains(c, ip))
    throw new ValidationError(`${text} is outside the subnet ${formatCidr(c)}`, field);
  const last = c.network + 2 ** (32 - c.prefix) - 1;
  if (c.prefix <= 30 && (ip === c.network || ip === last)) {
    const which = ip === c.network ? 'network' : 'broadcast';
    throw new ValidationError(
      `${text} is the ${which} address of ${formatCidr(c)}, not a host address`,
      field,
    );
  }
  return formatIpv4(ip);
}

/**
 * An exclude list as the API writes it: IPs and `a..b` ranges separated by spaces or commas.
 * Returns OVN's `other_config:exclude_ips` items ("ip" or "ip..ip"), validated against the subnet.
 */
export function parseExcludeIps(text: string, subnet: Ipv4Cidr, field = 'excludeIPs'): string[] {
  const items = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.map((item) => {
    const range = item.split('..');
    if (range.length > 2) throw new ValidationError(`bad range '${item}'`, field);
    const ips = range.map((r) => parseIpv4(r, field));
    for (const ip of ips) {
      if (!cidrContains(subnet, ip)) {
        throw new ValidationError(`${formatIpv4(ip)} is outside the subnet ${formatCidr(subnet)}`, field);
      }
    }
    if (ips.length === 2 && (ips[0] as number) > (ips[1] as number)) {
      throw new ValidationError(`range '${item}' ends before it starts`, field);
    }
    return ips.map(formatIpv4).join('..');
  });
}

/**
 * DNS servers: one IP, a comma/space list, or the SDK's `"{a,b}"` form (with or without quotes).
 * Rendered the way OVN's put_dhcp_opts parses it: `a` or `{a, b}` (`a,b` breaks DHCP).
 */
export function renderDnsServers(text: string, field = 'dnsServer'): string {
  const inner = text
    .trim()
    .replace(/^"|"$/g, '')
    .replace(/^\{|\}$/g, '');
  const ips = inner
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (ips.length === 0) throw new ValidationError('no DNS server given', field);
  const norm = ips.map((ip) => formatIpv4(parseIpv4(ip, field)));
  return norm.length === 1 ? (norm[0] as string) : `{${norm.join(', ')}}`;
}

/** The addresses of an address set: IPv4 addresses or networks, comma/space separated. */
export function parseAddressList(text: string, field = 'address'): string[] {
  // The API document's own example separates with a full-width comma.
  const items = text
    .split(/[\s,，;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new ValidationError('empty address list', field);
  const out = items.map((item) =>
    item.includes('/') ? formatCidrKeepHost(parseCidr(item, field)) : formatIpv4(parseIpv4(item, field)),
  );
  return [...new Set(out)];
}

function formatCidrKeepHost(c: Ipv4Cidr): string {
  return c.prefix === 32 ? formatIpv4(c.address) : formatCidr(c);
}
