/**
 * UnplugDevice: detach the device an XML file describes, found in the VM by its identity (disk
 * target, NIC MAC, host device address), live (acknowledged by the guest) and/or in the definition.
 */
import { defineOperation } from '../types.js';
import { affectedText, affectFlags } from './affect.js';
import { sameDevices } from './device-key.js';
import { detachDevice } from './device-plug.js';
import { readDeviceFile } from './device-xml-file.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { UnplugDevice } from './params.gen.js';
import { recoverChange } from './recover-change.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const unplugDevice = defineOperation({
  ...UnplugDevice,
  async handler(ctx, p) {
    const device = await readDeviceFile(p.file);
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
    await detachDevice(lv, dom, device.element, flags, {
      field: 'file',
      timeoutMs: ctx.services.unplugTimeoutMs,
      signal: ctx.signal,
    });
    return vmOutcome(ctx, dom, `<${device.element.name}> detached, ${affectedText(flags)}`);
  },
  async recover(ctx, p) {
    const { element } = await readDeviceFile(p.file);
    return recoverChange(ctx, p, { has: (xml) => sameDevices(xml, element).length === 0 });
  },
});
