/**
 * Statistics, guest information and the remaining domain calls the reporters and operations use:
 * memory/block/interface stats, bulk domain stats, host CPU and memory counters, guest-agent
 * helpers (filesystem freeze, SSH keys, guest info), detach by alias, rename and backups.
 */
import { array, int, none, optional, string, struct, uhyper, uint } from '../codec.js';
import { domainRef, field, proc, slow, typedParam } from './types.js';

const dom = domainRef;
const nodeStat = struct({ field: string, value: uhyper });

export const statsProcedures = {
  domainMemoryStats: proc(
    159,
    'DOMAIN_MEMORY_STATS',
    struct({ dom, maxStats: uint, flags: uint }),
    field('stats', array(struct({ tag: int, val: uhyper }), 1024)),
  ),
  domainGetBlockInfo: proc(
    194,
    'DOMAIN_GET_BLOCK_INFO',
    struct({ dom, path: string, flags: uint }),
    struct({ allocation: uhyper, capacity: uhyper, physical: uhyper }),
  ),
  nodeGetCPUStats: proc(
    227,
    'NODE_GET_CPU_STATS',
    struct({ cpuNum: int, nparams: int, flags: uint }),
    struct({ params: array(nodeStat, 16), nparams: int }),
  ),
  nodeGetMemoryStats: proc(
    228,
    'NODE_GET_MEMORY_STATS',
    struct({ nparams: int, cellNum: int, flags: uint }),
    struct({ params: array(nodeStat, 16), nparams: int }),
  ),
  domainFSFreeze: slow(
    proc(
      335,
      'DOMAIN_FSFREEZE',
      struct({ dom, mountpoints: array(string, 256), flags: uint }),
      field('filesystems', int),
    ),
  ),
  domainFSThaw: slow(
    proc(
      336,
      'DOMAIN_FSTHAW',
      struct({ dom, mountpoints: array(string, 256), flags: uint }),
      field('filesystems', int),
    ),
  ),
  connectGetAllDomainStats: proc(
    344,
    'CONNECT_GET_ALL_DOMAIN_STATS',
    struct({ doms: array(domainRef, 16384), stats: uint, flags: uint }),
    field('retStats', array(struct({ dom: domainRef, params: array(typedParam, 4096) }), 16384)),
  ),
  domainInterfaceAddresses: proc(
    353,
    'DOMAIN_INTERFACE_ADDRESSES',
    struct({ dom, source: uint, flags: uint }),
    field(
      'ifaces',
      array(
        struct({
          name: string,
          hwaddr: optional(string),
          addrs: array(struct({ type: int, addr: string, prefix: uint }), 2048),
        }),
        2048,
      ),
    ),
  ),
  domainRename: proc(
    358,
    'DOMAIN_RENAME',
    struct({ dom, new_name: optional(string), flags: uint }),
    field('retcode', int),
  ),
  domainDetachDeviceAlias: proc(
    392,
    'DOMAIN_DETACH_DEVICE_ALIAS',
    struct({ dom, alias: string, flags: uint }),
    none,
  ),
  domainGetGuestInfo: slow(
    proc(
      418,
      'DOMAIN_GET_GUEST_INFO',
      struct({ dom, types: uint, flags: uint }),
      field('params', array(typedParam, 2048)),
    ),
  ),
  domainBackupBegin: proc(
    421,
    'DOMAIN_BACKUP_BEGIN',
    struct({ dom, backup_xml: string, checkpoint_xml: optional(string), flags: uint }),
    none,
  ),
  domainBackupGetXMLDesc: proc(
    422,
    'DOMAIN_BACKUP_GET_XML_DESC',
    struct({ dom, flags: uint }),
    field('xml', string),
  ),
  domainAuthorizedSSHKeysGet: slow(
    proc(
      424,
      'DOMAIN_AUTHORIZED_SSH_KEYS_GET',
      struct({ dom, user: string, flags: uint }),
      field('keys', array(string, 2048)),
    ),
  ),
  domainAuthorizedSSHKeysSet: slow(
    proc(
      425,
      'DOMAIN_AUTHORIZED_SSH_KEYS_SET',
      struct({ dom, user: string, keys: array(string, 2048), flags: uint }),
      none,
    ),
  ),
};
