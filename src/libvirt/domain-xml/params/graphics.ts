/**
 * The `graphics` parameter: `vnc|spice,listen=0.0.0.0[,password=…][,port=…]`.
 * The doc marks the type and `listen` as required and the password as optional: 4–16 characters of
 * lowercase letters, digits and '-' — but libvirt refuses VNC passwords longer than 8 (the VNC
 * protocol's DES key), so for VNC the limit is 8; SPICE takes the documented 16.
 * `port` (virt-install) is -1 (auto, the default) or 5900–65535.
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

export const GRAPHICS_TYPES = ['vnc', 'spice'] as const;
export type GraphicsType = (typeof GRAPHICS_TYPES)[number];
export const VNC_PASSWORD = /^[a-z0-9-]{4,16}$/;

export interface GraphicsParam {
  readonly type: GraphicsType;
  readonly listen: string;
  readonly password: string | undefined;
  /** undefined = autoport. */
  readonly port: number | undefined;
}

/** VNC authentication uses the first 8 characters only, and libvirt rejects longer passwords. */
export const VNC_PASSWORD_MAX = 8;

/** The password rule shared with SetVncPassword / UpdateGraphic. Never echoes the value. */
export function checkGraphicsPassword(field: string, password: string, type: GraphicsType = 'vnc'): string {
  if (!VNC_PASSWORD.test(password)) {
    throw new ValidationError(
      `password must be 4-16 characters of lowercase letters, digits and '-' (got ${password.length} characters)`,
      field,
    );
  }
  if (type === 'vnc' && password.length > VNC_PASSWORD_MAX) {
    throw new ValidationError(
      `a VNC password can have at most ${VNC_PASSWORD_MAX} characters (got ${password.length}); SPICE allows 16`,
      field,
    );
  }
  return password;
}

export function parseGraphics(text: string, field = 'graphics'): GraphicsParam {
  const items = splitOptions(field, text);
  rejectUnknownKeys(field, items, ['listen', 'password', 'port']);
  rejectExtraPositionals(field, items, 1);
  const first = items[0];
  if (!first || first.key !== undefined) {
    throw new ValidationError(`must start with the type (${GRAPHICS_TYPES.join(' or ')})`, field);
  }
  const type = parseEnum(field, 'type', first.value, GRAPHICS_TYPES);
  const listenText = optionValue(items, 'listen');
  if (listenText === undefined) throw new ValidationError('listen is required (e.g. listen=0.0.0.0)', field);
  const listen = checkIPv4(field, 'listen', listenText);
  const pw = optionValue(items, 'password');
  const portText = optionValue(items, 'port');
  let port: number | undefined;
  if (portText !== undefined && portText !== '-1') {
    if (!/^\d+$/.test(portText) || Number(portText) < 5900 || Number(portText) > 65535) {
      throw new ValidationError(`port must be -1 (automatic) or 5900-65535 (got '${portText}')`, field);
    }
    port = Number(portText);
  }
  return {
    type,
    listen,
    password: pw === undefined ? undefined : checkGraphicsPassword(field, pw, type),
    port,
  };
}
