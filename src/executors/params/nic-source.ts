/**
 * PlugNIC's `source` string: `source=<bridge>[,ip=<ip>][,switch=<switch>]`, in that order. (The full
 * `network` mini-language of the create operations is parsed by src/libvirt/domain-xml.)
 */
import { ValidationError } from '../../errors.js';
import { isIpv4 } from '../../ipv4.js';
import { assertResourceName } from '../../names.js';
import { splitKeyValues } from './kv.js';

const MAC = /^([0-9a-e][0-9a-f]|f[0-9a-df])(:[0-9a-f]{2}){5}$/;

function digits(v: string, key: string, field: string, maxDigits: number): void {
  if (!new RegExp(`^\\d{1,${maxDigits}}$`).test(v)) {
    throw new ValidationError(`${key}=${v} must be 1–${maxDigits} digits`, field);
  }
}

const NET_ORDER = ['type', 'source', 'ip', 'switch', 'model', 'inbound', 'outbound', 'mac', 'vlan'] as const;

function checkNetPairs(pairs: Array<[string, string]>, field: string, type: string | undefined): void {
  let last = -1;
  for (const [k, v] of pairs) {
    const at = NET_ORDER.indexOf(k as (typeof NET_ORDER)[number]);
    if (at < 0)
      throw new ValidationError(`unknown key ${JSON.stringify(k)}; allowed: ${NET_ORDER.join(', ')}`, field);
    if (at <= last) throw new ValidationError(`keys must come in the order ${NET_ORDER.join(',')}`, field);
    last = at;
    if (k === 'type' && !['bridge', 'l2bridge', 'l3bridge'].includes(v)) {
      throw new ValidationError(`type=${v} must be bridge, l2bridge or l3bridge`, field);
    }
    if (k === 'source' && !/^[A-Za-z0-9._-]{1,15}$/.test(v))
      throw new ValidationError(`source=${v} is not a bridge name`, field);
    if ((k === 'ip' || k === 'switch') && type !== undefined && type !== 'l3bridge') {
      throw new ValidationError(`${k}= is only allowed with type=l3bridge`, field);
    }
    if (k === 'ip' && v !== 'dynamic' && !isIpv4(v))
      throw new ValidationError(`ip=${v} is not an IPv4 address`, field);
    if (k === 'switch') assertResourceName(v, field, 'switch');
    if (k === 'model' && !['virtio', 'e1000', 'rtl8139'].includes(v)) {
      throw new ValidationError(`model=${v} must be virtio, e1000 or rtl8139`, field);
    }
    if (k === 'inbound' || k === 'outbound') digits(v, k, field, 8);
    if (k === 'mac' && !MAC.test(v))
      throw new ValidationError(`mac=${v} must be a lower-case MAC not starting with fe`, field);
    if (k === 'vlan' && !(/^\d{1,4}$/.test(v) && Number(v) <= 4094))
      throw new ValidationError(`vlan=${v} must be 0–4094`, field);
  }
}

/** PlugNIC `source`: `source=<bridge>[,ip=…][,switch=…]`. */
export function checkNicSource(value: string, field: string): string {
  const kv = splitKeyValues(value, field);
  if (kv.head !== undefined || kv.pairs[0]?.[0] !== 'source')
    throw new ValidationError('must start with source=', field);
  for (const [k] of kv.pairs) {
    if (!['source', 'ip', 'switch'].includes(k))
      throw new ValidationError(`unknown key ${JSON.stringify(k)}; allowed: source, ip, switch`, field);
  }
  checkNetPairs(kv.pairs, field, undefined);
  return value;
}
