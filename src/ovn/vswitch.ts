/**
 * Typed views of the local Open_vSwitch DB (ovs-vswitchd.conf.db(5)): Open_vSwitch, Bridge, Port,
 * Interface, with the VLAN tag and the `external_ids` libvirt writes on VM taps (`attached-mac`,
 * `iface-id`, `vm-id`).
 */
import { OvsdbClient, type OvsdbClientOptions } from './client.js';
import type { Row } from './protocol.js';
import { atomString, mapOf, optional, stringsOf, uuidsOf } from './values.js';

export const OVS_DATABASE = 'Open_vSwitch';

export interface OpenVswitch {
  _uuid: string;
  bridges: string[];
  external_ids: Record<string, string>;
}

export interface Bridge {
  _uuid: string;
  name: string;
  ports: string[];
  datapath_type: string;
  external_ids: Record<string, string>;
}

export interface Port {
  _uuid: string;
  name: string;
  interfaces: string[];
  tag: number | undefined;
  trunks: string[];
  fake_bridge: boolean;
  external_ids: Record<string, string>;
}

export interface Interface {
  _uuid: string;
  name: string;
  type: string;
  mac_in_use: string | undefined;
  ofport: number | undefined;
  error: string | undefined;
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
    trunks: stringsOf(r.trunks),
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
