/** Connection, authentication and host (node) procedures of the REMOTE program. */
import { array, charArray, int, none, optional, string, struct, uhyper, uint } from '../codec.js';
import { field, proc } from './types.js';

/** REMOTE_AUTH_* values offered by AUTH_LIST. */
export const AuthType = { NONE: 0, SASL: 1, POLKIT: 2 } as const;

/** VIR_DRV_FEATURE_* values we ask CONNECT_SUPPORTS_FEATURE about. */
export const DriverFeature = { PROGRAM_KEEPALIVE: 10, REMOTE_EVENT_CALLBACK: 16 } as const;

export const nodeInfo = struct({
  model: charArray(32),
  memory: uhyper, // KiB
  cpus: int,
  mhz: int,
  nodes: int,
  sockets: int,
  cores: int,
  threads: int,
});

export const connectProcedures = {
  connectOpen: proc(1, 'CONNECT_OPEN', struct({ name: optional(string), flags: uint }), none),
  connectClose: proc(2, 'CONNECT_CLOSE', none, none),
  connectGetVersion: proc(4, 'CONNECT_GET_VERSION', none, field('hv_ver', uhyper)),
  nodeGetInfo: proc(6, 'NODE_GET_INFO', none, nodeInfo),
  connectGetCapabilities: proc(7, 'CONNECT_GET_CAPABILITIES', none, field('capabilities', string)),
  connectGetHostname: proc(59, 'CONNECT_GET_HOSTNAME', none, field('hostname', string)),
  connectSupportsFeature: proc(
    60,
    'CONNECT_SUPPORTS_FEATURE',
    field('feature', int),
    field('supported', int),
  ),
  authList: proc(66, 'AUTH_LIST', none, field('types', array(int, 20))),
  authPolkit: proc(70, 'AUTH_POLKIT', none, field('complete', int)),
  nodeGetFreeMemory: proc(102, 'NODE_GET_FREE_MEMORY', none, field('freeMem', uhyper)),
  connectGetUri: proc(110, 'CONNECT_GET_URI', none, field('uri', string)),
  connectGetLibVersion: proc(157, 'CONNECT_GET_LIB_VERSION', none, field('lib_ver', uhyper)),
  connectGetDomainCapabilities: proc(
    342,
    'CONNECT_GET_DOMAIN_CAPABILITIES',
    struct({
      emulatorbin: optional(string),
      arch: optional(string),
      machine: optional(string),
      virttype: optional(string),
      flags: uint,
    }),
    field('capabilities', string),
  ),
};
