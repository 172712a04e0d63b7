import { rm, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LibvirtClient,
  LibvirtError,
  StoragePoolBuildFlags,
  type StoragePoolEvent,
  type StoragePoolRef,
  type StorageVolRef,
} from '../../../src/libvirt/index.js';
import { connectClient, uniqueName, waitFor } from './helpers.js';

/** Removes a pool (stopped, its directory deleted, undefined); never throws. */
async function removePool(c: LibvirtClient, name: string): Promise<void> {
  const pool = await c.storagePoolLookupByName(name).catch(() => undefined);
  if (!pool) return;
  if (await c.storagePoolIsActive(pool).catch(() => false)) {
    for (const v of await c.storagePoolListAllVolumes(pool).catch(() => [])) {
      await c.storageVolDelete(v).catch(() => undefined);
    }
    await c.storagePoolDestroy(pool).catch(() => undefined);
  }
  await c.storagePoolDelete(pool).catch(() => undefined);
  await c.storagePoolUndefine(pool).catch(() => undefined);
}

const volXml = (name: string, bytes: number, format = 'qcow2') =>
  `<volume><name>${name}</name><capacity unit='bytes'>${bytes}</capacity>
   <target><format type='${format}'/></target></volume>`;

describe('libvirt client: storage pools and volumes (real libvirtd)', () => {
  let c: LibvirtClient;
  const name = uniqueName('pool');
  const path = `/var/lib/libvirt/${uniqueName('test')}`;
  let pool: StoragePoolRef;
  let vol: StorageVolRef;
  const poolEvents: StoragePoolEvent[] = [];

  beforeAll(async () => {
    c = await connectClient();
    c.on('pool-event', (e) => {
      if (e.pool.name === name) poolEvents.push(e);
    });
    await c.subscribeStoragePoolEvents();
  });
  afterAll(async () => {
    await removePool(c, name);
    await c.close();
  });

  it('defines, builds and starts a dir pool', async () => {
    pool = await c.storagePoolDefineXML(
      `<pool type='dir'><name>${name}</name><target><path>${path}</path></target></pool>`,
    );
    expect(pool.name).toBe(name);
    await c.storagePoolBuild(pool, StoragePoolBuildFlags.NEW);
    expect((await stat(path)).isDirectory()).toBe(true);
    await c.storagePoolCreate(pool);
    expect(await c.storagePoolIsActive(pool)).toBe(true);
    const info = await c.storagePoolGetInfo(pool);
    expect(info.stateName).toBe('running');
    expect(info.capacity).toBeGreaterThan(0);
    expect(await c.storagePoolLookupByUUID(pool.uuid)).toEqual(pool);
    expect((await c.connectListAllStoragePools()).map((p) => p.name)).toContain(name);
    expect(await c.storagePoolGetXMLDesc(pool)).toContain(`<path>${path}</path>`);
    await c.storagePoolSetAutostart(pool, true);
    expect(await c.storagePoolGetAutostart(pool)).toBe(true);
    await c.storagePoolSetAutostart(pool, false);
    await waitFor(poolEvents, (e) => e.kind === 'pool-lifecycle' && e.event === 'Defined');
    await waitFor(poolEvents, (e) => e.kind === 'pool-lifecycle' && e.event === 'Started');
  });

  it('creates, finds, resizes and clones volumes', async () => {
    vol = await c.storageVolCreateXML(pool, volXml('a.qcow2', 8 * 1024 * 1024));
    expect(vol).toEqual({ pool: name, name: 'a.qcow2', key: `${path}/a.qcow2` });
    expect(await c.storageVolLookupByName(pool, 'a.qcow2')).toEqual(vol);
    expect(await c.storageVolLookupByPath(`${path}/a.qcow2`)).toEqual(vol);
    expect(await c.storageVolLookupByKey(vol.key)).toEqual(vol);
    expect(await c.storageVolGetPath(vol)).toBe(`${path}/a.qcow2`);
    expect(await c.storagePoolLookupByVolume(vol)).toEqual(pool);
    expect(await c.storageVolGetInfo(vol)).toMatchObject({ typeName: 'file', capacity: 8 * 1024 * 1024 });
    expect(await c.storageVolGetXMLDesc(vol)).toContain("<format type='qcow2'/>");

    await c.storageVolResize(vol, 16 * 1024 * 1024);
    expect((await c.storageVolGetInfo(vol)).capacity).toBe(16 * 1024 * 1024);

    const clone = await c.storageVolCreateXMLFrom(pool, volXml('b.qcow2', 16 * 1024 * 1024), vol);
    expect(clone.name).toBe('b.qcow2');
    await c.storagePoolRefresh(pool);
    await waitFor(poolEvents, (e) => e.kind === 'pool-refresh');
    const names = (await c.storagePoolListAllVolumes(pool)).map((v) => v.name).sort();
    expect(names).toEqual(['a.qcow2', 'b.qcow2']);
  });

  it('reports a missing volume and an existing one typed', async () => {
    const missing = (await c.storageVolLookupByName(pool, 'nope').catch((e: unknown) => e)) as LibvirtError;
    expect(missing).toBeInstanceOf(LibvirtError);
    expect(missing.isNoStorageVol).toBe(true);
    expect(missing.reason).toBe('NotFound');
    const dup = (await c
      .storageVolCreateXML(pool, volXml('a.qcow2', 1024 * 1024))
      .catch((e: unknown) => e)) as LibvirtError;
    expect(dup).toBeInstanceOf(LibvirtError);
    expect(dup.reason).toBe('AlreadyExists');
    const noPool = (await c
      .storagePoolLookupByName(uniqueName('nopool'))
      .catch((e: unknown) => e)) as LibvirtError;
    expect(noPool.isNoStoragePool).toBe(true);
  });

  it('deletes volumes, stops, deletes and undefines the pool', async () => {
    for (const v of await c.storagePoolListAllVolumes(pool)) await c.storageVolDelete(v);
    expect(await c.storagePoolListAllVolumes(pool)).toEqual([]);
    await c.storagePoolDestroy(pool);
    expect((await c.storagePoolGetInfo(pool)).stateName).toBe('inactive');
    await c.storagePoolDelete(pool);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    await c.storagePoolUndefine(pool);
    await expect(c.storagePoolLookupByName(name)).rejects.toMatchObject({ reason: 'NotFound' });
    const seen = poolEvents.flatMap((e) => (e.kind === 'pool-lifecycle' ? [e.event] : []));
    await waitFor(poolEvents, (e) => e.kind === 'pool-lifecycle' && e.event === 'Undefined');
    expect(seen).toEqual(expect.arrayContaining(['Defined', 'Started', 'Stopped']));
  });

  it('creates and destroys a transient pool from XML', async () => {
    const tname = uniqueName('tpool');
    const tpath = `/var/lib/libvirt/${uniqueName('test')}`;
    const t = await c.storagePoolCreateXML(
      `<pool type='dir'><name>${tname}</name><target><path>${tpath}</path></target></pool>`,
      1 /* build */,
    );
    try {
      expect(await c.storagePoolIsActive(t)).toBe(true);
    } finally {
      await c.storagePoolDestroy(t);
      await rm(tpath, { recursive: true, force: true });
    }
  });
});
