/**
 * Typed views of the OVN_Northbound tables the agent uses (ovn-nb(5), schema 7.x), decoded from the
 * replica's wire rows. Column keys are the schema's (`external_ids`), no mapper to learn.
 */
import { OvsdbClient, type OvsdbClientOptions } from './client.js';
import type {
  ACLRow,
  AddressSetRow,
  DHCPOptionsRow,
  LogicalRouterPortRow,
  LogicalRouterRow,
  LogicalSwitchPortRow,
  LogicalSwitchRow,
  NATRow,
  PortGroupRow,
  QoSRow,
} from './nb-schema.gen.js';
import type { Row } from './protocol.js';
import {
  mapOf,
  numberMapOf,
  columnOptBool as optBool,
  columnOptNumber as optNum,
  columnOptString as optStr,
  columnString as str,
  stringsOf,
  uuidsOf,
} from './values.js';
import { TypedView } from './view.js';

export const NB_DATABASE = 'OVN_Northbound';

// The row types are the generated schema types (nb-schema.gen.ts), narrowed to the columns used:
// a column renamed or retyped upstream fails to compile here.

export type LogicalSwitch = Pick<
  LogicalSwitchRow,
  '_uuid' | 'name' | 'ports' | 'acls' | 'qos_rules' | 'other_config' | 'external_ids'
>;

export type LogicalSwitchPort = Pick<
  LogicalSwitchPortRow,
  | '_uuid'
  | 'name'
  | 'type'
  | 'addresses'
  | 'dynamic_addresses'
  | 'port_security'
  | 'options'
  | 'tag'
  | 'dhcpv4_options'
  | 'up'
  | 'enabled'
  | 'external_ids'
>;

export type LogicalRouter = Pick<
  LogicalRouterRow,
  '_uuid' | 'name' | 'ports' | 'nat' | 'static_routes' | 'options' | 'external_ids'
>;

export type LogicalRouterPort = Pick<
  LogicalRouterPortRow,
  '_uuid' | 'name' | 'mac' | 'networks' | 'external_ids'
>;

export type Nat = Pick<
  NATRow,
  '_uuid' | 'type' | 'external_ip' | 'logical_ip' | 'logical_port' | 'external_mac' | 'external_ids'
>;

export type DhcpOptions = Pick<DHCPOptionsRow, '_uuid' | 'cidr' | 'options' | 'external_ids'>;

export type AddressSet = Pick<AddressSetRow, '_uuid' | 'name' | 'addresses' | 'external_ids'>;

export type PortGroup = Pick<PortGroupRow, '_uuid' | 'name' | 'ports' | 'acls' | 'external_ids'>;

export type Acl = Pick<
  ACLRow,
  '_uuid' | 'direction' | 'priority' | 'match' | 'action' | 'name' | 'external_ids'
>;

export type Qos = Pick<QoSRow, '_uuid' | 'direction' | 'priority' | 'match' | 'bandwidth' | 'external_ids'>;

const id = (r: Row): string => str(r, '_uuid');

export const decode = {
  Logical_Switch: (r: Row): LogicalSwitch => ({
    _uuid: id(r),
    name: str(r, 'name'),
    ports: uuidsOf(r.ports),
    acls: uuidsOf(r.acls),
    qos_rules: uuidsOf(r.qos_rules),
    other_config: mapOf(r.other_config),
    external_ids: mapOf(r.external_ids),
  }),
  Logical_Switch_Port: (r: Row): LogicalSwitchPort => ({
    _uuid: id(r),
    name: str(r, 'name'),
    type: str(r, 'type'),
    addresses: stringsOf(r.addresses),
    dynamic_addresses: optStr(r, 'dynamic_addresses'),
    port_security: stringsOf(r.port_security),
    options: mapOf(r.options),
    tag: optNum(r, 'tag'),
    dhcpv4_options: optStr(r, 'dhcpv4_options'),
    up: optBool(r, 'up'),
    enabled: optBool(r, 'enabled'),
    external_ids: mapOf(r.external_ids),
  }),
  Logical_Router: (r: Row): LogicalRouter => ({
    _uuid: id(r),
    name: str(r, 'name'),
    ports: uuidsOf(r.ports),
    nat: uuidsOf(r.nat),
    static_routes: uuidsOf(r.static_routes),
    options: mapOf(r.options),
    external_ids: mapOf(r.external_ids),
  }),
  Logical_Router_Port: (r: Row): LogicalRouterPort => ({
    _uuid: id(r),
    name: str(r, 'name'),
    mac: str(r, 'mac'),
    networks: stringsOf(r.networks),
    external_ids: mapOf(r.external_ids),
  }),
  NAT: (r: Row): Nat => ({
    _uuid: id(r),
    type: str(r, 'type'),
    external_ip: str(r, 'external_ip'),
    logical_ip: str(r, 'logical_ip'),
    logical_port: optStr(r, 'logical_port'),
    external_mac: optStr(r, 'external_mac'),
    external_ids: mapOf(r.external_ids),
  }),
  DHCP_Options: (r: Row): DhcpOptions => ({
    _uuid: id(r),
    cidr: str(r, 'cidr'),
    options: mapOf(r.options),
    external_ids: mapOf(r.external_ids),
  }),
  Address_Set: (r: Row): AddressSet => ({
    _uuid: id(r),
    name: str(r, 'name'),
    addresses: stringsOf(r.addresses),
    external_ids: mapOf(r.external_ids),
  }),
  Port_Group: (r: Row): PortGroup => ({
    _uuid: id(r),
    name: str(r, 'name'),
    ports: uuidsOf(r.ports),
    acls: uuidsOf(r.acls),
    external_ids: mapOf(r.external_ids),
  }),
  ACL: (r: Row): Acl => ({
    _uuid: id(r),
    direction: str(r, 'direction'),
    priority: optNum(r, 'priority') ?? 0,
    match: str(r, 'match'),
    action: str(r, 'action'),
    name: optStr(r, 'name'),
    external_ids: mapOf(r.external_ids),
  }),
  QoS: (r: Row): Qos => ({
    _uuid: id(r),
    direction: str(r, 'direction'),
    priority: optNum(r, 'priority') ?? 0,
    match: str(r, 'match'),
    bandwidth: numberMapOf(r.bandwidth),
    external_ids: mapOf(r.external_ids),
  }),
} as const;

export type NbTable = keyof typeof decode;
export type NbRow<T extends NbTable> = ReturnType<(typeof decode)[T]>;

/** Typed reads over a Northbound client's replica. */
export class NbView extends TypedView<typeof decode> {
  constructor(client: OvsdbClient) {
    super(client, decode);
  }

  /** Rows named `name` (Logical_Switch and Logical_Router have no name index: may be several). */
  named<T extends NbTable>(table: T, name: string): NbRow<T>[] {
    return this.where(table, (r) => 'name' in r && r.name === name);
  }

  /** Rows whose external_ids include every pair of `ids`. */
  owned<T extends NbTable>(table: T, ids: Readonly<Record<string, string>>): NbRow<T>[] {
    return this.where(table, (r) => Object.entries(ids).every(([k, v]) => r.external_ids[k] === v));
  }
}

const NB_TABLES: NbTable[] = Object.keys(decode) as NbTable[];

/** Connects to the Northbound DB with a replica of every table the agent reads. */
export async function connectNorthbound(
  opts: Omit<OvsdbClientOptions, 'database' | 'monitor'>,
): Promise<NbView> {
  const monitor = Object.fromEntries([...NB_TABLES, 'NB_Global'].map((t) => [t, {}]));
  const client = await OvsdbClient.connect({ ...opts, database: NB_DATABASE, monitor });
  return new NbView(client);
}
