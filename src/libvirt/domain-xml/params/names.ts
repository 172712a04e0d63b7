/** Small shared validators for names, addresses and MACs used by several parameters. */
import { ValidationError } from '../../../errors.js';
import { isIpv4 } from '../../../ipv4.js';

/** Linux interface (bridge) names: 1–15 characters, no '/', whitespace or ':'. */
export const BRIDGE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;

export function checkBridgeName(field: string, label: string, name: string): string {
  if (!BRIDGE_NAME.test(name)) {
    throw new ValidationError(
      `${label} must be a bridge name of 1-15 letters, digits, '_', '-' or '.' (got '${name}')`,
      field,
    );
  }
  return name;
}

export function checkIPv4(field: string, label: string, text: string): string {
  if (!isIpv4(text))
    throw new ValidationError(`${label} must be an IPv4 address like 192.168.5.9 (got '${text}')`, field);
  return text;
}

const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

/**
 * A unicast MAC address, returned in lower case. The API doc forbids a leading `fe` (libvirt reserves
 * it for host-side tap devices); multicast addresses (odd first octet) are refused by libvirt.
 */
export function checkMac(field: string, label: string, text: string): string {
  const mac = text.toLowerCase();
  if (!MAC.test(mac))
    throw new ValidationError(`${label} must look like 52:54:00:12:34:56 (got '${text}')`, field);
  if (mac.startsWith('fe'))
    throw new ValidationError(`${label} must not start with fe (got '${text}')`, field);
  if ((Number.parseInt(mac.slice(0, 2), 16) & 1) === 1) {
    throw new ValidationError(`${label} is a multicast address (odd first octet: '${text}')`, field);
  }
  return mac;
}

/** A random locally used QEMU MAC, `52:54:00:xx:xx:xx` with the 4th byte ≤ 0x7f (as the old daemon did). */
export function randomMac(random: () => number = Math.random): string {
  const byte = (max: number) =>
    Math.floor(random() * (max + 1))
      .toString(16)
      .padStart(2, '0');
  return `52:54:00:${byte(0x7f)}:${byte(0xff)}:${byte(0xff)}`;
}
