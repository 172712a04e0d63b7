/**
 * Typed views of the local Open_vSwitch DB (ovs-vswitchd.conf.db(5)): Open_vSwitch, Bridge, Port,
 * Interface, with the VLAN tag and the `external_ids` libvirt writes on VM taps (`attached-mac`,
 * `iface-id`, `vm-id`).
 */
import { OvsdbClient, type OvsdbClientOptions } from './client.js';
import type { Row } from './protocol.js';
import { atomString, mapOf, optional, setOf, uuidsOf } from './values.js';
import type { BridgeRow, InterfaceRow, OpenVSwitchRow, PortRow } from './vswitch-schema.gen.js';

export const OVS_DATABASE = 'Open_vSwitch';

// Row types: the generated schema types (vswitch-schema.gen.ts) narrowed to the columns used.

export type OpenVswitch = Pick<OpenVSwitchRow, '_uuid' | 'bridges' | 'external_ids'>;

export type Bridge = Pick<BridgeRow, '_uuid' | 'name' | 'ports' | 'datapath_type' | 'external_ids'>;

export type Port = Pick<
  PortRow,
  '_uuid' | 'name' | 'interfaces' | 'tag' | 'trunks' | 'fake_bridge' | 'external_ids'
>;

export type Interface = Pick<
  InterfaceRow,
  '_uuid' | 'name' | 'type' | 'mac_in_use' | 'ofport' | 'error' | 'external_ids'
>;

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

export const decodeOvs = {
  Open_vSwitch: (r: Row): OpenVswitch => ({
    _uuid: str(r, '_uuid'),
    bridges: uuidsOf(r.bridges),
    external_ids: mapOf(r.external_ids),
  }),
  Bridge: (r: Row): Bridge => ({
    _uuid: str(r, '_uuid'),
    name: str(r, 'name'),
    ports: uuidsOf(r.ports),
    datapath_type: str(r, 'datapath_type'),
    external_ids: mapOf(r.external_ids),
  }),
  Port: (r: Row): Port => ({
    _uuid: str(r, '_uuid'),
    name: str(r, 'name'),
    interfaces: uuidsOf(r.interfaces),
    tag: optNum(r, 'tag'),
    trunks: setOf(r.trunks).filter((t): t is number => typeof t === 'number'),
    fake_bridge: optional(r.fake_bridge) === true,
    external_ids: mapOf(r.external_ids),
  }),
  Interface: (r: Row): Interface => ({
    _uuid: str(r, '_uuid'),
    name: str(r, 'name'),
    type: str(r, 'type'),
    mac_in_use: optStr(r, 'mac_in_use'),
    ofport: optNum(r, 'ofport'),
    error: optStr(r, 'error'),
    external_ids: mapOf(r.external_ids),
  }),
} as const;

export type OvsTable = keyof typeof decodeOvs;
export type OvsRow<T extends OvsTable> = ReturnType<(typeof decodeOvs)[T]>;

export class OvsView {
  constructor(readonly client: OvsdbClient) {}

  all<T extends OvsTable>(table: T): OvsRow<T>[] {
    const dec = decodeOvs[table] as (r: Row) => OvsRow<T>;
    return this.client.cache.rows(table).map(dec);
  }

  get<T extends OvsTable>(table: T, rowUuid: string): OvsRow<T> | undefined {
    const r = this.client.cache.get(table, rowUuid);
    return r ? (decodeOvs[table] as (r: Row) => OvsRow<T>)(r) : undefined;
  }

  where<T extends OvsTable>(table: T, pred: (row: OvsRow<T>) => boolean): OvsRow<T>[] {
    return this.all(table).filter(pred);
  }

  named<T extends 'Bridge' | 'Port' | 'Interface'>(table: T, name: string): OvsRow<T> | undefined {
    return this.where(table, (r) => (r as { name: string }).name === name)[0];
  }

  root(): OpenVswitch | undefined {
    return this.all('Open_vSwitch')[0];
  }
}

export const OVS_MONITOR_COLUMNS: Record<OvsTable, string[]> = {
  Open_vSwitch: ['bridges', 'external_ids', 'next_cfg', 'cur_cfg'],
  Bridge: ['name', 'ports', 'datapath_type', 'external_ids'],
  Port: ['name', 'interfaces', 'tag', 'trunks', 'fake_bridge', 'external_ids'],
  Interface: ['name', 'type', 'mac_in_use', 'ofport', 'error', 'external_ids'],
};

export async function connectOpenVswitch(
  opts: Omit<OvsdbClientOptions, 'database' | 'monitor'>,
): Promise<OvsView> {
  const monitor = Object.fromEntries(
    Object.entries(OVS_MONITOR_COLUMNS).map(([t, columns]) => [t, { columns }]),
  );
  const client = await OvsdbClient.connect({ ...opts, database: OVS_DATABASE, monitor });
  return new OvsView(client);
}
