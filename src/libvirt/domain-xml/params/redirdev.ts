/**
 * The `redirdev` parameter (USB redirection): `usb,type=tcp,server=192.168.1.1:4000` or
 * `usb,type=spicevmc` (the latter needs spice graphics, checked when the domain is built).
 */
import { ValidationError } from '../../../errors.js';
import { checkIPv4 } from './names.js';
import {
  optionValue,
  parseEnum,
  rejectExtraPositionals,
  rejectUnknownKeys,
  splitOptions,
} from './options.js';

export const REDIRDEV_TYPES = ['tcp', 'spicevmc'] as const;
export type RedirdevType = (typeof REDIRDEV_TYPES)[number];

export interface RedirdevParam {
  readonly bus: 'usb';
  readonly type: RedirdevType;
  /** tcp only */
  readonly host: string | undefined;
  readonly port: number | undefined;
}

export function parseRedirdev(text: string, field = 'redirdev'): RedirdevParam {
  const items = splitOptions(field, String(text));
  rejectUnknownKeys(field, items, ['type', 'server']);
  rejectExtraPositionals(field, items, 1);
  const first = items[0];
  if (!first || first.key !== undefined) throw new ValidationError('must start with the bus (usb)', field);
  parseEnum(field, 'bus', first.value, ['usb'] as const);
  const typeText = optionValue(items, 'type');
  if (typeText === undefined)
    throw new ValidationError(`type is required (${REDIRDEV_TYPES.join(', ')})`, field);
  const type = parseEnum(field, 'type', typeText, REDIRDEV_TYPES);
  const server = optionValue(items, 'server');
  if (type === 'spicevmc') {
    if (server !== undefined) throw new ValidationError('server is only allowed with type=tcp', field);
    return { bus: 'usb', type, host: undefined, port: undefined };
  }
  if (server === undefined) throw new ValidationError('server=IP:PORT is required with type=tcp', field);
  const m = /^([^:]+):(\d{1,5})$/.exec(server);
  if (!m) throw new ValidationError(`server must be IP:PORT (got '${server}')`, field);
  const host = checkIPv4(field, 'server address', m[1] as string);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new ValidationError(`server port must be 1-65535 (got ${m[2]})`, field);
  return { bus: 'usb', type, host, port };
}
