/** Storage pools and volumes. */
import { storagePoolStateName, storageVolTypeName } from '../constants.js';
import { procedures as P } from '../procedures/index.js';
import type { StoragePoolRef, StorageVolRef } from '../procedures/types.js';
import { SnapshotApi } from './snapshot.js';

export interface StoragePoolInfo {
  state: number;
  stateName: string;
  /** bytes */
  capacity: number;
  allocation: number;
  available: number;
}

export interface StorageVolInfo {
  type: number;
  typeName: string;
  /** bytes */
  capacity: number;
  allocation: number;
}

export class StorageApi extends SnapshotApi {
  storagePoolDefineXML(xml: string, flags = 0): Promise<StoragePoolRef> {
    return this.call(P.storagePoolDefineXML, { xml, flags });
  }

  /** Creates and starts a transient pool. */
  storagePoolCreateXML(xml: string, flags = 0): Promise<StoragePoolRef> {
    return this.call(P.storagePoolCreateXML, { xml, flags });
  }

  storagePoolBuild(pool: StoragePoolRef, flags = 0): Promise<void> {
    return this.call(P.storagePoolBuild, { pool, flags });
  }

  /** Starts a defined pool. */
  storagePoolCreate(pool: StoragePoolRef, flags = 0): Promise<void> {
    return this.call(P.storagePoolCreate, { pool, flags });
  }

  storagePoolDestroy(pool: StoragePoolRef): Promise<void> {
    return this.call(P.storagePoolDestroy, { pool });
  }

  /** Deletes the pool's underlying storage (for a dir pool: the directory). */
  storagePoolDelete(pool: StoragePoolRef, flags = 0): Promise<void> {
    return this.call(P.storagePoolDelete, { pool, flags });
  }

  storagePoolUndefine(pool: StoragePoolRef): Promise<void> {
    return this.call(P.storagePoolUndefine, { pool });
  }

  storagePoolRefresh(pool: StoragePoolRef, flags = 0): Promise<void> {
    return this.call(P.storagePoolRefresh, { pool, flags });
  }

  storagePoolSetAutostart(pool: StoragePoolRef, autostart: boolean): Promise<void> {
    return this.call(P.storagePoolSetAutostart, { pool, autostart });
  }

  storagePoolGetAutostart(pool: StoragePoolRef): Promise<boolean> {
    return this.call(P.storagePoolGetAutostart, { pool });
  }

  storagePoolIsActive(pool: StoragePoolRef): Promise<boolean> {
    return this.call(P.storagePoolIsActive, { pool });
  }

  async connectListAllStoragePools(flags = 0): Promise<StoragePoolRef[]> {
    return (await this.call(P.connectListAllStoragePools, { need_results: 1, flags })).pools;
  }

  storagePoolLookupByName(name: string): Promise<StoragePoolRef> {
    return this.call(P.storagePoolLookupByName, name);
  }

  storagePoolLookupByUUID(uuid: string): Promise<StoragePoolRef> {
    return this.call(P.storagePoolLookupByUUID, uuid);
  }

  storagePoolLookupByVolume(vol: StorageVolRef): Promise<StoragePoolRef> {
    return this.call(P.storagePoolLookupByVolume, { vol });
  }

  async storagePoolGetInfo(pool: StoragePoolRef): Promise<StoragePoolInfo> {
    const i = await this.call(P.storagePoolGetInfo, { pool });
    return { ...i, stateName: storagePoolStateName(i.state) };
  }

  storagePoolGetXMLDesc(pool: StoragePoolRef, flags = 0): Promise<string> {
    return this.call(P.storagePoolGetXMLDesc, { pool, flags });
  }

  async storagePoolListAllVolumes(pool: StoragePoolRef, flags = 0): Promise<StorageVolRef[]> {
    return (await this.call(P.storagePoolListAllVolumes, { pool, need_results: 1, flags })).vols;
  }

  storageVolCreateXML(pool: StoragePoolRef, xml: string, flags = 0): Promise<StorageVolRef> {
    return this.call(P.storageVolCreateXML, { pool, xml, flags });
  }

  /** Creates a volume in `pool` whose content is copied from `source`. */
  storageVolCreateXMLFrom(
    pool: StoragePoolRef,
    xml: string,
    source: StorageVolRef,
    flags = 0,
  ): Promise<StorageVolRef> {
    return this.call(P.storageVolCreateXMLFrom, { pool, xml, clonevol: source, flags });
  }

  storageVolDelete(vol: StorageVolRef, flags = 0): Promise<void> {
    return this.call(P.storageVolDelete, { vol, flags });
  }

  /** `capacity` in bytes (or a delta with StorageVolResizeFlags.DELTA). */
  storageVolResize(vol: StorageVolRef, capacity: number, flags = 0): Promise<void> {
    return this.call(P.storageVolResize, { vol, capacity, flags });
  }

  async storageVolGetInfo(vol: StorageVolRef): Promise<StorageVolInfo> {
    const i = await this.call(P.storageVolGetInfo, { vol });
    return { ...i, typeName: storageVolTypeName(i.type) };
  }

  storageVolLookupByName(pool: StoragePoolRef, name: string): Promise<StorageVolRef> {
    return this.call(P.storageVolLookupByName, { pool, name });
  }

  storageVolLookupByPath(path: string): Promise<StorageVolRef> {
    return this.call(P.storageVolLookupByPath, path);
  }

  storageVolLookupByKey(key: string): Promise<StorageVolRef> {
    return this.call(P.storageVolLookupByKey, key);
  }

  storageVolGetXMLDesc(vol: StorageVolRef, flags = 0): Promise<string> {
    return this.call(P.storageVolGetXMLDesc, { vol, flags });
  }

  storageVolGetPath(vol: StorageVolRef): Promise<string> {
    return this.call(P.storageVolGetPath, { vol });
  }
}
