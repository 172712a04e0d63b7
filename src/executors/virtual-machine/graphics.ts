/**
 * What the console operations share: the VM's graphics device from the live or persistent XML,
 * changed in place and sent back through update-device (libvirt changes a password live).
 */
import { ValidationError } from '../../errors.js';
import {
  attrOf,
  checkGraphicsPassword,
  deviceElements,
  type GraphicsType,
  renderElement,
  withGraphicsPassword,
} from '../../libvirt/domain-xml/index.js';
import { DomainDeviceModify, type DomainRef, DomainXMLFlags } from '../../libvirt/index.js';
import { affectsConfig, affectsLive } from './affect.js';
import type { Libvirt } from './domains.js';

/**
 * Sets (or with `undefined` removes) the console password in each definition `flags` names.
 * The password rule depends on the console type (VNC allows 8 characters, SPICE 16).
 */
export async function updateGraphicsPassword(
  lv: Libvirt,
  dom: DomainRef,
  password: string | undefined,
  flags: number,
  force: boolean,
): Promise<void> {
  const targets: number[] = [];
  if (affectsLive(flags)) targets.push(DomainDeviceModify.LIVE);
  if (affectsConfig(flags)) targets.push(DomainDeviceModify.CONFIG);
  const edits: [string, number][] = [];
  for (const which of targets) {
    const xml = await lv.domainGetXMLDesc(
      dom,
      DomainXMLFlags.SECURE | (which === DomainDeviceModify.CONFIG ? DomainXMLFlags.INACTIVE : 0),
    );
    const graphics = deviceElements(xml, 'graphics')[0];
    if (!graphics) throw new ValidationError('the VM has no graphics device (VNC or SPICE)', 'password');
    const type = (attrOf(graphics, 'type') ?? 'vnc') as GraphicsType;
    if (password !== undefined) checkGraphicsPassword('password', password, type);
    edits.push([renderElement(withGraphicsPassword(graphics, password)), which]);
  }
  // Every definition checked before any changes.
  for (const [xml, which] of edits) {
    await lv.domainUpdateDeviceFlags(dom, xml, which | (force ? DomainDeviceModify.FORCE : 0));
  }
}
