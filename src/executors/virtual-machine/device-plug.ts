/**
 * Attach and detach of one device element, shared by PlugDevice/UnplugDevice and PassthroughDevice.
 * A live detach is only a request the guest acknowledges: it counts as done once the running
 * domain no longer lists the device (libvirt's device-removed), else a Timeout says what happened.
 */
import { TimeoutError, ValidationError } from '../../errors.js';
import { DomainDeviceModify, type DomainRef, DomainXMLFlags } from '../../libvirt/index.js';
import type { XmlTreeElement } from '../../libvirt/xml/tree.js';
import { renderXmlTree } from '../../libvirt/xml/tree-render.js';
import { affectsConfig, affectsLive } from './affect.js';
import { sameDevices } from './device-key.js';
import type { Libvirt } from './domains.js';
import { DEFAULT_UNPLUG_TIMEOUT_MS, detachLive } from './live-detach.js';

export async function detachDevice(
  lv: Libvirt,
  dom: DomainRef,
  el: XmlTreeElement,
  flags: number,
  o: { field: string; timeoutMs?: number | undefined; signal: AbortSignal },
): Promise<void> {
  const live = affectsLive(flags) ? sameDevices(await lv.domainGetXMLDesc(dom, 0), el)[0] : undefined;
  const cfgXml = affectsConfig(flags) ? await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE) : undefined;
  const cfg = cfgXml === undefined ? undefined : sameDevices(cfgXml, el)[0];
  if ((affectsLive(flags) && !live) || (affectsConfig(flags) && !cfg)) {
    const where = affectsLive(flags) && !live ? 'the running VM' : 'the definition';
    throw new ValidationError(`${where} has no such <${el.name}> device`, o.field);
  }
  if (cfg) await lv.domainDetachDeviceFlags(dom, renderXmlTree(cfg), DomainDeviceModify.CONFIG);
  if (!live) return;
  const timeoutMs = o.timeoutMs ?? DEFAULT_UNPLUG_TIMEOUT_MS;
  const alias = aliasOf(live);
  const released = await detachLive(lv, dom, {
    xml: renderXmlTree(live),
    isOurs: (a) => alias !== undefined && a === alias,
    stillListed: (xml) => sameDevices(xml, el).length > 0,
    timeoutMs,
    signal: o.signal,
    pollMs: 200,
  });
  if (!released) {
    throw new TimeoutError(
      `the guest did not release the <${el.name}> device within ${Math.round(timeoutMs / 1000)} s: the removal was ` +
        `requested, only a guest OS acknowledges it; it is still attached to the running VM${cfg ? ', and removed from the definition' : ''}`,
    );
  }
}

/** The running device's alias (`<alias name=…/>`), the id its device-removed event carries. */
function aliasOf(el: XmlTreeElement): string | undefined {
  const a = el.children.find((c) => c.name === 'alias');
  return a?.attrs.find(([k]) => k === 'name')?.[1];
}
