/**
 * What the console operations share: the VM's graphics device from the live or persistent XML,
 * changed in place and sent back through update-device (libvirt changes a password live).
 * QEMU can change a VNC password live only when the console was started with one: setting a first
 * password on a running VNC console is refused when live was asked, and otherwise goes to the
 * definition with a message saying so.
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
import type { XmlTreeElement } from '../../libvirt/xml/tree.js';
import { affectsConfig, affectsLive } from './affect.js';
import type { Libvirt } from './domains.js';

/** The console (first graphics device) of the live or the persistent definition, secrets included. */
export async function graphicsOf(lv: Libvirt, dom: DomainRef, config: boolean): Promise<XmlTreeElement> {
  const flags = DomainXMLFlags.SECURE | (config ? DomainXMLFlags.INACTIVE : 0);
  const graphics = deviceElements(await lv.domainGetXMLDesc(dom, flags), 'graphics')[0];
  if (!graphics) throw new ValidationError('the VM has no graphics device (VNC or SPICE)', 'password');
  return graphics;
}

/**
 * Sets (or with `undefined` removes) the console password in each definition `flags` names;
 * returns the flags actually applied. `liveAsked`: the request named live explicitly.
 */
export async function updateGraphicsPassword(
  lv: Libvirt,
  dom: DomainRef,
  password: string | undefined,
  o: { flags: number; force: boolean; liveAsked: boolean },
): Promise<number> {
  const edits: [string, number][] = [];
  let applied = 0;
  for (const which of [DomainDeviceModify.LIVE, DomainDeviceModify.CONFIG]) {
    if (which === DomainDeviceModify.LIVE ? !affectsLive(o.flags) : !affectsConfig(o.flags)) continue;
    const graphics = await graphicsOf(lv, dom, which === DomainDeviceModify.CONFIG);
    const type = (attrOf(graphics, 'type') ?? 'vnc') as GraphicsType;
    if (password !== undefined) checkGraphicsPassword('password', password, type);
    const firstVncPassword =
      type === 'vnc' && password !== undefined && attrOf(graphics, 'passwd') === undefined;
    if (which === DomainDeviceModify.LIVE && firstVncPassword) {
      if (o.liveAsked) {
        throw new ValidationError(
          'the running VNC console was started without a password and QEMU cannot add one live: use config (it takes effect after a restart)',
          'live',
        );
      }
      continue;
    }
    // Nothing to remove: that definition already has no password.
    if (password === undefined && attrOf(graphics, 'passwd') === undefined) {
      applied |= which;
      continue;
    }
    edits.push([renderElement(withGraphicsPassword(graphics, password)), which]);
    applied |= which;
  }
  // Every definition checked before any changes.
  for (const [xml, which] of edits) {
    await lv.domainUpdateDeviceFlags(dom, xml, which | (o.force ? DomainDeviceModify.FORCE : 0));
  }
  return applied;
}
