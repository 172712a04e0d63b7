/**
 * Every pool of ours is also a libvirt storage pool of the same name, so libvirt's pool and volume
 * lists show what operators expect and libvirt's pool events reach the resync. It is a `dir`
 * pool on the pool's directory for every type — for glusterfs and nfs the directory our engine
 * mounted — as the hosts the old daemons set up have them (`pool-define-as --type dir --target`):
 * the mount has one owner, the storage engine, and libvirt never mounts or unmounts it. The engine's
 * records stay the source of our layout; this module only mirrors them, idempotently.
 */
import { AlreadyExistsError } from '../../errors.js';
import { LibvirtError, LibvirtErrorCode, type StoragePoolRef } from '../../libvirt/index.js';
import { parseXmlTree, type XmlTreeElement } from '../../libvirt/xml/tree.js';
import { escapeXmlText } from '../../xml-text.js';
import type { Services } from '../services.js';

type Libvirt = Services['libvirt'];

export interface PoolMirror {
  name: string;
  path: string;
  active: boolean;
  autostart: boolean;
}

const isNoPool = (err: unknown) =>
  err instanceof LibvirtError && err.code === LibvirtErrorCode.NO_STORAGE_POOL;

async function lookup(lv: Libvirt, name: string): Promise<StoragePoolRef | undefined> {
  try {
    return await lv.storagePoolLookupByName(name);
  } catch (err) {
    if (isNoPool(err)) return undefined;
    throw err;
  }
}

export const libvirtPoolXml = (name: string, path: string): string =>
  `<pool type='dir'><name>${escapeXmlText(name)}</name><target><path>${escapeXmlText(path)}</path></target></pool>`;

/** The target path of a defined libvirt pool (its XML). */
async function targetOf(lv: Libvirt, ref: StoragePoolRef): Promise<string | undefined> {
  const child = (e: XmlTreeElement | undefined, name: string) => e?.children.find((c) => c.name === name);
  return child(child(parseXmlTree(await lv.storagePoolGetXMLDesc(ref)), 'target'), 'path')?.text;
}

/**
 * Refuses a libvirt pool of that name on another directory (not ours: never redefined). Returns
 * the defined pool, if any.
 */
export async function checkLibvirtPool(
  lv: Libvirt,
  name: string,
  path: string,
): Promise<StoragePoolRef | undefined> {
  const ref = await lookup(lv, name);
  if (!ref) return undefined;
  const target = await targetOf(lv, ref);
  if (target !== path) {
    throw new AlreadyExistsError('libvirt storage pool', name, { details: { libvirtTarget: target, path } });
  }
  return ref;
}

/** Defines, starts or stops, and sets autostart of the libvirt pool mirroring ours. */
export async function mirrorLibvirtPool(lv: Libvirt, want: PoolMirror): Promise<void> {
  const ref =
    (await checkLibvirtPool(lv, want.name, want.path)) ??
    (await lv.storagePoolDefineXML(libvirtPoolXml(want.name, want.path)));
  const active = await lv.storagePoolIsActive(ref);
  if (want.active && !active) await lv.storagePoolCreate(ref);
  if (!want.active && active) await lv.storagePoolDestroy(ref);
  if (want.active) await lv.storagePoolRefresh(ref);
  if ((await lv.storagePoolGetAutostart(ref)) !== want.autostart) {
    await lv.storagePoolSetAutostart(ref, want.autostart);
  }
}

/** Stops and undefines the mirror (nothing in the directory is touched); absent = done. */
export async function removeLibvirtPool(lv: Libvirt, name: string): Promise<void> {
  const ref = await lookup(lv, name);
  if (!ref) return;
  if (await lv.storagePoolIsActive(ref)) await lv.storagePoolDestroy(ref);
  await lv.storagePoolUndefine(ref).catch((err: unknown) => {
    if (!isNoPool(err)) throw err;
  });
}

/** The mirror of a pool as the engine reports it. */
export const mirrorOf = (info: {
  pool: string;
  path: string;
  state: string;
  autostart: boolean;
}): PoolMirror => ({
  name: info.pool,
  path: info.path,
  active: info.state === 'active',
  autostart: info.autostart,
});
