/**
 * What ManageISO, InsertISO and EjectISO share: the CD-ROM tray changed through update-device
 * (the VM keeps running), in each definition the flags name. The drive is found by target, or for
 * insert the first CD-ROM drive, for eject the drive holding that file.
 */
import { stat } from 'node:fs/promises';
import { NotFoundError, ValidationError } from '../../errors.js';
import {
  attrOf,
  deviceElements,
  diskSource,
  renderElement,
  withMedia,
} from '../../libvirt/domain-xml/index.js';
import { DomainDeviceModify, type DomainRef, DomainXMLFlags } from '../../libvirt/index.js';
import type { XmlTreeElement } from '../../libvirt/xml/tree.js';
import { confineRealPath } from '../../paths.js';
import { affectsConfig, affectsLive } from './affect.js';
import type { Libvirt } from './domains.js';

export type DriveMatch = { target: string } | { source: string } | { first: true };

const isCdrom = (d: XmlTreeElement): boolean => attrOf(d, 'device') === 'cdrom';
const targetOf = (d: XmlTreeElement): string | undefined =>
  attrOf(d.children.find((c) => c.name === 'target') ?? d, 'dev');

function findDrive(xml: string, match: DriveMatch): XmlTreeElement | undefined {
  const drives = deviceElements(xml, 'disk').filter(isCdrom);
  if ('target' in match) return drives.find((d) => targetOf(d) === match.target);
  if ('source' in match) return drives.find((d) => diskSource(d) === match.source);
  return drives[0];
}

/**
 * True when a definition shows the media change done: the drive holds `source` (undefined: the
 * drive is empty; for an eject by source, no drive holds that file any more). For recover hooks.
 */
export function mediaChanged(xml: string, match: DriveMatch, source: string | undefined): boolean {
  const drive = findDrive(xml, match);
  if ('source' in match) return drive === undefined;
  return drive !== undefined && diskSource(drive) === source;
}

function describe(match: DriveMatch): string {
  if ('target' in match) return `CD-ROM drive '${match.target}'`;
  if ('source' in match) return `CD-ROM drive holding '${match.source}'`;
  return 'CD-ROM drive (plug one with plugDevice)';
}

/** The media file checked: confined (symlinks resolved) and a file, or a block device for `block`. */
export async function checkMedia(path: string, field: string, block: boolean): Promise<string> {
  const confined = await confineRealPath(path, field);
  const st = await stat(confined).catch(() => undefined);
  if (!st || (block ? !st.isBlockDevice() : !st.isFile())) {
    throw new NotFoundError(block ? 'block device' : 'ISO file', path, { details: { field } });
  }
  return confined;
}

/** Puts `source` in the drive (undefined ejects) in each definition of `flags`; returns the drive's target. */
/** The `complete` of a media change's recovery: the same change in the definitions a crash missed. */
export const completeMedia =
  (match: DriveMatch, source: string | undefined, o: { force: boolean; block: boolean; field: string }) =>
  (lv: Libvirt, dom: DomainRef, flags: number): Promise<unknown> =>
    changeMedia(lv, dom, match, source, { ...o, flags });

export async function changeMedia(
  lv: Libvirt,
  dom: DomainRef,
  match: DriveMatch,
  source: string | undefined,
  o: { flags: number; force: boolean; block: boolean; field: string },
): Promise<string> {
  const edits: [string, number][] = [];
  let target = '';
  for (const which of [DomainDeviceModify.LIVE, DomainDeviceModify.CONFIG]) {
    if (which === DomainDeviceModify.LIVE ? !affectsLive(o.flags) : !affectsConfig(o.flags)) continue;
    const xml = await lv.domainGetXMLDesc(
      dom,
      which === DomainDeviceModify.CONFIG ? DomainXMLFlags.INACTIVE : 0,
    );
    const drive = findDrive(xml, match);
    if (!drive) {
      const where = which === DomainDeviceModify.LIVE ? 'the running VM' : 'the definition';
      throw new ValidationError(`${where} has no ${describe(match)}`, o.field);
    }
    target = targetOf(drive) ?? '';
    edits.push([renderElement(withMedia(drive, source, o.block)), which]);
  }
  for (const [xml, which] of edits) {
    await lv.domainUpdateDeviceFlags(dom, xml, which | (o.force ? DomainDeviceModify.FORCE : 0));
  }
  return target;
}
