/** Names of the NB rows a switch bundle is made of, and OVN-identifier-safe names (pure). */
import { randomBytes } from 'node:crypto';
import { ValidationError } from '../errors.js';
import { assertResourceName } from '../names.js';

/** The API's name rule with a 1-character minimum (the 4-character minimum is the executors' check). */
export function checkCrName(name: string, field = 'name'): string {
  return assertResourceName(name, field, field, { min: 1 });
}

/** The rows CreateSwitch makes for switch `name` (the original daemon's names, for compatibility). */
export function switchRowNames(name: string): {
  router: string;
  routerPort: string;
  routerPatch: string;
  localnet: string;
} {
  return {
    router: `${name}-router`,
    routerPort: `${name}-router-port`,
    routerPatch: `mapping-to-${name}-router`,
    localnet: `${name}-localnet`,
  };
}

/** The provider network name of OVS bridge `bridge`: stable per bridge, the same on every host. */
export const physnetOf = (bridge: string): string => `kst-${bridge}`;

/**
 * An Address_Set / Port_Group name from a CR name. OVN needs `[a-zA-Z_.][a-zA-Z_.0-9]*` to reference
 * it as `$name` / `@name` in matches; CR names allow `-` and a leading digit. CR names never contain
 * `_`, so mapping `-` to `_` is one-to-one; a leading digit gets a `_` prefix.
 */
export function ovnIdentifier(crName: string): string {
  const s = crName.replace(/-/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** A random router MAC in the original's 00:60:2f OUI, lower case, avoiding `taken`. */
export function randomRouterMac(taken: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const b = randomBytes(3);
    const mac = `00:60:2f:${[...b].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
    if (!taken.has(mac)) return mac;
  }
}

const BRIDGE = /^[a-z0-9][a-z0-9-]{1,14}$/;

/** OVS bridge/port names become Linux interface names: ≤ 15 characters. */
export function checkBridgeName(name: string, field = 'name'): string {
  if (!BRIDGE.test(name)) {
    throw new ValidationError(`'${name}' is not a valid bridge name ([a-z0-9-], 2–15 characters)`, field);
  }
  return name;
}

const NIC = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,14}$/;

export function checkNicName(name: string, field = 'nic'): string {
  if (!NIC.test(name)) throw new ValidationError(`'${name}' is not a valid interface name`, field);
  return name;
}

export function checkVlan(vlan: number, field = 'vlan', min = 0): number {
  if (!Number.isInteger(vlan) || vlan < min || vlan > 4094) {
    throw new ValidationError(`VLAN ${vlan} out of range ${min}–4094`, field);
  }
  return vlan;
}

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;

export function checkMac(mac: string, field = 'mac'): string {
  const m = mac.toLowerCase();
  if (!MAC.test(m)) throw new ValidationError(`'${mac}' is not a MAC address`, field);
  return m;
}
