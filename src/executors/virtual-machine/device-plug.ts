/**
 * Attach and detach of one device element, shared by PlugDevice/UnplugDevice and PassthroughDevice.
 * A live detach is only a request the guest acknowledges: it counts as done once the running
 * domain no longer lists the device (libvirt's device-removed), else a Timeout says what happened.
 */
import { TimeoutError, ValidationError } from '../../errors.js';
import { DomainDeviceModify, type DomainRef, DomainXMLFlags } from '../../libvirt/index.js';
import type { XmlTreeElement } from '../../libvirt/xml/tree.js';
import { renderXmlTree } from '../../libvirt/xml/tree-render.js';
import { sleep } from '../../timing.js';
import { affectsConfig, affectsLive } from './affect.js';
import { sameDevices } from './device-key.js';
import type { Libvirt } from './domains.js';
import { DEFAULT_UNPLUG_TIMEOUT_MS } from './unplug-disk.js';

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
  await lv.domainDetachDeviceFlags(dom, renderXmlTree(live), DomainDeviceModify.LIVE);
  const timeoutMs = o.timeoutMs ?? DEFAULT_UNPLUG_TIMEOUT_MS;
  const end = Date.now() + timeoutMs;
  while (sameDevices(await lv.domainGetXMLDesc(dom, 0), el).length > 0) {
    if (Date.now() > end || o.signal.aborted) {
      throw new TimeoutError(
        `the guest did not release the <${el.name}> device within ${Math.round(timeoutMs / 1000)} s: the removal was ` +
          `requested, only a guest OS acknowledges it; it is still attached to the running VM${cfg ? ', and removed from the definition' : ''}`,
      );
    }
    await sleep(200);
  }
}
