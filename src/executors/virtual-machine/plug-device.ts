/** PlugDevice: attach the device of an XML file (GPU, disk, NIC, CD-ROM, …), live and/or in the definition. */
import { defineOperation } from '../types.js';
import { affectedText, affectFlags } from './affect.js';
import { sameDevices } from './device-key.js';
import { readDeviceFile } from './device-xml-file.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { PlugDevice } from './params.gen.js';
import { recoverChange } from './recover-change.js';
import { libvirtOf, vmOutcome } from './shared.js';

export const plugDevice = defineOperation({
  ...PlugDevice,
  async handler(ctx, p) {
    const device = await readDeviceFile(p.file);
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const flags = affectFlags(p, isActiveState(await domainState(lv, dom)));
    await lv.domainAttachDeviceFlags(dom, device.xml, flags);
    return vmOutcome(ctx, dom, `<${device.element.name}> attached, ${affectedText(flags)}`);
  },
  async recover(ctx, p) {
    const { element } = await readDeviceFile(p.file);
    return recoverChange(ctx, p, { has: (xml) => sameDevices(xml, element).length > 0 });
  },
});
