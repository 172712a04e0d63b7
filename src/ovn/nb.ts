/**
 * Typed views of the OVN_Northbound tables the agent uses (ovn-nb(5), schema 7.x), decoded from the
 * replica's wire rows. Column keys are the schema's (`external_ids`), no mapper to learn.
 */
import { OvsdbClient, type OvsdbClientOptions } from './client.js';
import type { Row } from './protocol.js';
import { atomString, mapOf, optional, stringsOf, uuidsOf } from './values.js';

export const NB_DATABASE = 'OVN_Northbound';

export interface LogicalSwitch {
  _uuid: string;
  name: string;
  ports: string[];
  acls: string[];
  qos_rules: string[];
  other_config: Record<string, string>;
  external_ids: Record<string, string>;
}

export interface LogicalSwitchPort {
  _uuid: string;
  name: string;
  type: string;
  addresses: string[];
  dynamic_addresses: string | undefined;
  port_security: string[];
  options: Record<string, string>;
  tag: number | undefined;
  dhcpv4_options: string | undefined;
  up: boolean | undefined;
  enabled: boolean | undefined;
  external_ids: Record<string, string>;
}

export interface LogicalRouter {
  _uuid: string;
  name: string;
  ports: string[];
  nat: string[];
  static_routes: string[];
  options: Record<string, string>;
  external_ids: Record<string, string>;
}

export interface LogicalRouterPort {
  _uuid: string;
  name: string;
  mac: string;
  networks: string[];
  external_ids: Record<string, string>;
}

export interface Nat {
  _uuid: string;
  type: string;
  external_ip: string;
  logical_ip: string;
  logical_port: string | undefined;
  external_mac: string | undefined;
  external_ids: Record<string, string>;
}

export interface DhcpOptions {
  _uuid: string;
  cidr: string;
  options: Record<string, string>;
  external_ids: Record<string, string>;
}

export interface AddressSet {
  _uuid: string;
  name: string;
  addresses: string[];
  external_ids: Record<string, string>;
}

export interface PortGroup {
  _uuid: string;
  name: string;
  ports: string[];
  acls: string[];
  external_ids: Record<string, string>;
}

export interface Acl {
  _uuid: string;
  direction: string;
  priority: number;
  match: string;
  action: string;
  name: string | undefined;
  external_ids: Record<string, string>;
}

export interface Qos {
  _uuid: string;
  direction: string;
  priority: number;
  match: string;
  bandwidth: Record<string, string>;
  external_ids: Record<string, string>;
}

const str = (r: Row, c: string): string => {
  const v = optional(r[c]);
  return v === undefined ? '' : atomString(v);
};
const optStr = (r: Row, c: string): string | undefined => {
  const v = optional(r[c]);
  return v === undefined ? undefined : atomString(v);
};
const optNum = (r: Row, c: string): number | undefined => {
  const v = optional(r[c]);
  return typeof v === 'number' ? v : undefined;
};
const optBool = (r: Row, c: string): boolean | undefined => {
  const v = optional(r[c]);
  return typeof v === 'boolean' ? v : undefined;
};
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
    bandwidth: mapOf(r.bandwidth),
    external_ids: mapOf(r.external_ids),
  }),
} as const;

export type NbTable = keyof typeof decode;
export type NbRow<T extends NbTable> = ReturnType<(typeof decode)[T]>;

/** Typed reads over a Northbound client's replica. */
export class NbView {
  constructor(readonly client: OvsdbClient) {}

  all<T extends NbTable>(table: T): NbRow<T>[] {
    const dec = decode[table] as (r: Row) => NbRow<T>;
    return this.client.cache.rows(table).map(dec);
  }

  get<T extends NbTable>(table: T, rowUuid: string): NbRow<T> | undefined {
    const r = this.client.cache.get(table, rowUuid);
    return r ? (decode[table] as (r: Row) => NbRow<T>)(r) : undefined;
  }

  where<T extends NbTable>(table: T, pred: (row: NbRow<T>) => boolean): NbRow<T>[] {
    return this.all(table).filter(pred);
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
