/**
 * Typed views of the local Open_vSwitch DB (ovs-vswitchd.conf.db(5)): Open_vSwitch, Bridge, Port,
 * Interface, with the VLAN tag and the `external_ids` libvirt writes on VM taps (`attached-mac`,
 * `iface-id`, `vm-id`).
 */
import { OvsdbClient, type OvsdbClientOptions } from './client.js';
import type { Row } from './protocol.js';
import {
  mapOf,
  optional,
  columnOptNumber as optNum,
  columnOptString as optStr,
  setOf,
  columnString as str,
  uuidsOf,
} from './values.js';
import { TypedView } from './view.js';
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

export class OvsView extends TypedView<typeof decodeOvs> {
  constructor(client: OvsdbClient) {
    super(client, decodeOvs);
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
