/**
 * spec.data of a VirtualMachineNetwork, in the shapes clients read (API document; the original
 * daemon's dump_l3_network_info / dump_l2_network_info / dump_l3_address_info): only the documented
 * keys, list-valued OVSDB columns rendered as the JSON-array strings the original emitted.
 */
import type { AddressSetState, BridgeState, SwitchState } from '../../ovn/index.js';

const listText = (items: readonly string[]): string => JSON.stringify(items);

export function switchData(s: SwitchState): Record<string, unknown> {
  const gateway = s.router?.options.chassis ?? '';
  return {
    switchInfo: {
      id: s.switch._uuid,
      name: s.switch.name,
      ports: s.ports.map((p) => ({
        name: p.name,
        type: p.type,
        addresses: listText(p.dynamic_addresses ? [...p.addresses, p.dynamic_addresses] : p.addresses),
        router_port: p.options['router-port'] ?? '',
        ...(p.tag !== undefined ? { tag: String(p.tag) } : {}),
      })),
    },
    routerInfo: s.router
      ? {
          id: s.router._uuid,
          name: s.router.name,
          ports: s.routerPorts.map((p) => ({
            name: p.name,
            mac: p.mac,
            networks: listText(p.networks),
            gateway,
          })),
          nat: s.nat.map((n) => ({
            name: n._uuid,
            externalIP: n.external_ip,
            logicalIP: n.logical_ip,
            type: n.type,
            gateway,
          })),
        }
      : {},
    gatewayInfo: s.dhcp
      ? {
          id: s.dhcp._uuid,
          server_mac: s.dhcp.options.server_mac ?? '',
          server_id: s.dhcp.options.server_id ?? '',
          router: s.dhcp.options.router ?? '',
          lease_time: s.dhcp.options.lease_time ?? '',
        }
      : {},
  };
}

export function bridgeData(b: BridgeState): Record<string, unknown> {
  return {
    bridgeInfo: {
      name: b.bridge.name,
      uuid: b.bridge._uuid,
      ports: b.ports.map(({ port, interfaces }) => ({
        name: port.name,
        uuid: port._uuid,
        vlan: port.tag === undefined ? '[]' : String(port.tag),
        interfaces: interfaces.map((i) => ({ name: i.name, uuid: i._uuid, mac: i.mac_in_use ?? '' })),
      })),
    },
  };
}

export function addressData(a: AddressSetState): Record<string, unknown> {
  return {
    addressInfo: {
      _uuid: a._uuid,
      name: a.name,
      addresses: listText(a.addresses),
      external_ids: JSON.stringify(a.external_ids),
    },
  };
}
