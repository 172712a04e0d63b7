/**
 * The `network` parameter of VM creation:
 *   `type=l3bridge,source=br-int,ip=192.168.5.9,switch=switch8888,model=e1000,inbound=102400,outbound=102400,mac=…`
 * `type` and `source` are required; `ip` and `switch` belong to l3bridge only (and `switch` is required
 * there). The doc lists the keys in a fixed order; any order is accepted, as the old daemon did.
 * `model` is honoured (the old daemon silently forced virtio).
 */
import { ValidationError } from '../../../errors.js';
import { assertResourceName } from '../../../names.js';
import { checkBridgeName, checkIPv4, checkMac } from './names.js';
import {
  optionValue,
  parseEnum,
  parseIntInRange,
  rejectExtraPositionals,
  rejectUnknownKeys,
  splitOptions,
} from './options.js';

export const NETWORK_TYPES = ['bridge', 'l2bridge', 'l3bridge'] as const;
export type NetworkType = (typeof NETWORK_TYPES)[number];
export const NIC_MODELS = ['virtio', 'e1000', 'rtl8139'] as const;
export type NicModel = (typeof NIC_MODELS)[number];
/** Bandwidth limits in KiB/s (PlugNIC doc range). */
export const BANDWIDTH_MAX = 99_999_999;

export interface NetworkParam {
  readonly type: NetworkType;
  readonly source: string;
  /** l3bridge only: a fixed IPv4, or undefined for "dynamic". */
  readonly ip: string | undefined;
  /** l3bridge only: the OVN logical switch. */
  readonly switch: string | undefined;
  readonly model: NicModel | undefined;
  /** KiB/s; undefined = no limit. */
  readonly inbound: number | undefined;
  readonly outbound: number | undefined;
  readonly mac: string | undefined;
}

const KEYS = ['type', 'source', 'ip', 'switch', 'model', 'inbound', 'outbound', 'mac'];

export function parseNetwork(text: string, field = 'network'): NetworkParam {
  const items = splitOptions(field, text);
  rejectUnknownKeys(field, items, KEYS);
  rejectExtraPositionals(field, items, 0);
  const typeText = optionValue(items, 'type');
  if (typeText === undefined)
    throw new ValidationError(`type is required (${NETWORK_TYPES.join(', ')})`, field);
  const type = parseEnum(field, 'type', typeText, NETWORK_TYPES);
  const sourceText = optionValue(items, 'source');
  if (sourceText === undefined) throw new ValidationError('source (the bridge) is required', field);
  const source = checkBridgeName(field, 'source', sourceText);
  const ipText = optionValue(items, 'ip');
  const switchText = optionValue(items, 'switch');
  if (type !== 'l3bridge' && (ipText !== undefined || switchText !== undefined)) {
    throw new ValidationError(`ip and switch are only allowed with type=l3bridge (type is ${type})`, field);
  }
  if (type === 'l3bridge' && switchText === undefined) {
    throw new ValidationError('switch is required with type=l3bridge', field);
  }
  const ip = ipText === undefined || ipText === 'dynamic' ? undefined : checkIPv4(field, 'ip', ipText);
  const sw = switchText === undefined ? undefined : assertResourceName(switchText, field, 'switch');
  const modelText = optionValue(items, 'model');
  const model = modelText === undefined ? undefined : parseEnum(field, 'model', modelText, NIC_MODELS);
  const bw = (key: 'inbound' | 'outbound') => {
    const v = optionValue(items, key);
    return v === undefined ? undefined : parseIntInRange(field, key, v, 0, BANDWIDTH_MAX);
  };
  const macText = optionValue(items, 'mac');
  return {
    type,
    source,
    ip,
    switch: sw,
    model,
    inbound: bw('inbound'),
    outbound: bw('outbound'),
    mac: macText === undefined ? undefined : checkMac(field, 'mac', macText),
  };
}
