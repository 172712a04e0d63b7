/**
 * A NIC bound to an OVN logical switch port (an l3bridge NIC: `virtualport` openvswitch with an
 * `interfaceid`) is reported with what the domain XML cannot say: its switch as `source._network`
 * and its IPv4 address as `ip[]` (`_address`, `_prefix` from the switch's subnet, `_family`) — the
 * requested address, or the one northd allocated. Both paths are in the Java SDK's model. Read from
 * the Northbound replica: no round trip.
 */
import type { NbView } from '../../ovn/index.js';

type J = Record<string, unknown>;
const obj = (v: unknown): J => (v && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {});

/** The IPv4 of an LSP: `addresses` "mac ip", else `dynamic_addresses` "mac ip". */
function portAddress(addresses: readonly string[], dynamic: string | undefined): string | undefined {
  for (const a of [...addresses, dynamic ?? '']) {
    const ip = a.split(/\s+/).find((w) => /^\d+\.\d+\.\d+\.\d+$/.test(w));
    if (ip) return ip;
  }
  return undefined;
}

function ovnNicReport(nic: J, nb: NbView): J {
  const id = obj(obj(nic.virtualport).parameters).__interfaceid;
  if (typeof id !== 'string') return nic;
  const port = nb.named('Logical_Switch_Port', id)[0];
  if (!port) return nic;
  const sw = nb.where('Logical_Switch', (s) => s.ports.includes(port._uuid))[0];
  const address = portAddress(port.addresses, port.dynamic_addresses);
  const prefix = sw?.other_config.subnet?.split('/')[1];
  return {
    ...nic,
    ...(sw ? { source: { ...obj(nic.source), _network: sw.name } } : {}),
    ...(address
      ? { ip: [{ _address: address, _family: 'ipv4', ...(prefix ? { _prefix: prefix } : {}) }] }
      : {}),
  };
}

export function withOvnAddresses(domain: J, nb: NbView): J {
  const devices = obj(domain.devices);
  const nics = devices._interface;
  if (nics === undefined) return domain;
  const list = Array.isArray(nics) ? nics : [nics];
  const reported = list.map((n) => ovnNicReport(obj(n), nb));
  return { ...domain, devices: { ...devices, _interface: Array.isArray(nics) ? reported : reported[0] } };
}
