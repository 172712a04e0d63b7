/**
 * The device XML files PlugDevice and UnplugDevice name: read from a confined path (symlinks
 * resolved), one device element of a known kind, and every host path it names confined too — a
 * device file must not give a VM a host file outside the allowed roots.
 */
import { readFile, stat } from 'node:fs/promises';
import { NotFoundError, ValidationError } from '../../errors.js';
import { attrOf } from '../../libvirt/domain-xml/index.js';
import { parseXmlTree, type XmlTreeElement } from '../../libvirt/xml/tree.js';
import { assertConfinedRealPath, confineRealPath } from '../../paths.js';

const MAX_BYTES = 64 * 1024;

export const DEVICE_KINDS: ReadonlySet<string> = new Set([
  'disk',
  'interface',
  'hostdev',
  'controller',
  'redirdev',
  'input',
  'sound',
  'video',
  'channel',
  'serial',
  'console',
  'rng',
  'watchdog',
  'filesystem',
  'smartcard',
  'tpm',
  'memory',
  'shmem',
  'vsock',
]);

const PATH_ATTRS = ['file', 'dir', 'path', 'dev'];

async function confineNamedPaths(el: XmlTreeElement, field: string): Promise<void> {
  if (el.name === 'source') {
    for (const a of PATH_ATTRS) {
      const v = attrOf(el, a);
      if (v?.startsWith('/')) await assertConfinedRealPath(v, field);
    }
  }
  for (const c of el.children) await confineNamedPaths(c, field);
}

export interface DeviceFile {
  readonly xml: string;
  readonly element: XmlTreeElement;
}

export async function readDeviceFile(path: string, field = 'file'): Promise<DeviceFile> {
  const real = await confineRealPath(path, field);
  const st = await stat(real).catch(() => undefined);
  if (!st?.isFile()) throw new NotFoundError('device XML file', path, { details: { field } });
  if (st.size > MAX_BYTES) throw new ValidationError(`the file is larger than ${MAX_BYTES} bytes`, field);
  const xml = await readFile(real, 'utf8');
  let element: XmlTreeElement;
  try {
    element = parseXmlTree(xml);
  } catch (err) {
    throw new ValidationError(`the file is not well-formed XML (${(err as Error).message})`, field);
  }
  if (!DEVICE_KINDS.has(element.name)) {
    throw new ValidationError(
      `<${element.name}> is not a device element (one of ${[...DEVICE_KINDS].join(', ')})`,
      field,
    );
  }
  await confineNamedPaths(element, field);
  return { xml, element };
}
