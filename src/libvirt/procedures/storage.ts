/** Storage pool and volume procedures of the REMOTE program. */
import { array, bool, int, none, string, struct, uhyper, uint, uuid } from '../codec.js';
import { field, proc, slow, storagePoolRef, storageVolRef } from './types.js';

const pool = storagePoolRef;
const vol = storageVolRef;
const poolOnly = struct({ pool });
const poolFlags = struct({ pool, flags: uint });
const xmlFlags = struct({ xml: string, flags: uint });
const retPool = field('pool', storagePoolRef);
const retVol = field('vol', storageVolRef);

export const storagePoolInfo = struct({
  state: uint, // unsigned char on the wire
  capacity: uhyper, // bytes
  allocation: uhyper,
  available: uhyper,
});

export const storageVolInfo = struct({
  type: int, // char on the wire
  capacity: uhyper, // bytes
  allocation: uhyper,
});

export const storageProcedures = {
  storagePoolCreateXML: proc(76, 'STORAGE_POOL_CREATE_XML', xmlFlags, retPool),
  storagePoolDefineXML: proc(77, 'STORAGE_POOL_DEFINE_XML', xmlFlags, retPool),
  storagePoolCreate: slow(proc(78, 'STORAGE_POOL_CREATE', poolFlags, none)),
  storagePoolBuild: slow(proc(79, 'STORAGE_POOL_BUILD', poolFlags, none)),
  storagePoolDestroy: proc(80, 'STORAGE_POOL_DESTROY', poolOnly, none),
  storagePoolDelete: slow(proc(81, 'STORAGE_POOL_DELETE', poolFlags, none)),
  storagePoolUndefine: proc(82, 'STORAGE_POOL_UNDEFINE', poolOnly, none),
  storagePoolRefresh: proc(83, 'STORAGE_POOL_REFRESH', poolFlags, none),
  storagePoolLookupByName: proc(84, 'STORAGE_POOL_LOOKUP_BY_NAME', field('name', string), retPool),
  storagePoolLookupByUUID: proc(85, 'STORAGE_POOL_LOOKUP_BY_UUID', field('uuid', uuid), retPool),
  storagePoolLookupByVolume: proc(86, 'STORAGE_POOL_LOOKUP_BY_VOLUME', struct({ vol }), retPool),
  storagePoolGetInfo: proc(87, 'STORAGE_POOL_GET_INFO', poolOnly, storagePoolInfo),
  storagePoolGetXMLDesc: proc(88, 'STORAGE_POOL_GET_XML_DESC', poolFlags, field('xml', string)),
  storagePoolGetAutostart: proc(89, 'STORAGE_POOL_GET_AUTOSTART', poolOnly, field('autostart', bool)),
  storagePoolSetAutostart: proc(90, 'STORAGE_POOL_SET_AUTOSTART', struct({ pool, autostart: bool }), none),
  storageVolCreateXML: slow(
    proc(93, 'STORAGE_VOL_CREATE_XML', struct({ pool, xml: string, flags: uint }), retVol),
  ),
  storageVolDelete: slow(proc(94, 'STORAGE_VOL_DELETE', struct({ vol, flags: uint }), none)),
  storageVolLookupByName: proc(95, 'STORAGE_VOL_LOOKUP_BY_NAME', struct({ pool, name: string }), retVol),
  storageVolLookupByKey: proc(96, 'STORAGE_VOL_LOOKUP_BY_KEY', field('key', string), retVol),
  storageVolLookupByPath: proc(97, 'STORAGE_VOL_LOOKUP_BY_PATH', field('path', string), retVol),
  storageVolGetInfo: proc(98, 'STORAGE_VOL_GET_INFO', struct({ vol }), storageVolInfo),
  storageVolGetXMLDesc: proc(
    99,
    'STORAGE_VOL_GET_XML_DESC',
    struct({ vol, flags: uint }),
    field('xml', string),
  ),
  storageVolGetPath: proc(100, 'STORAGE_VOL_GET_PATH', struct({ vol }), field('name', string)),
  storageVolCreateXMLFrom: slow(
    proc(
      125,
      'STORAGE_VOL_CREATE_XML_FROM',
      struct({ pool, xml: string, clonevol: storageVolRef, flags: uint }),
      retVol,
    ),
  ),
  storagePoolIsActive: proc(154, 'STORAGE_POOL_IS_ACTIVE', poolOnly, field('active', bool)),
  storageVolResize: slow(
    proc(260, 'STORAGE_VOL_RESIZE', struct({ vol, capacity: uhyper, flags: uint }), none),
  ),
  connectListAllStoragePools: proc(
    281,
    'CONNECT_LIST_ALL_STORAGE_POOLS',
    struct({ need_results: int, flags: uint }),
    struct({ pools: array(storagePoolRef, 4096), ret: uint }),
  ),
  storagePoolListAllVolumes: proc(
    282,
    'STORAGE_POOL_LIST_ALL_VOLUMES',
    struct({ pool, need_results: int, flags: uint }),
    struct({ vols: array(storageVolRef, 16384), ret: uint }),
  ),
};
