/**
 * PassthroughDevice: give the VM a host PCI or USB device by its address (lspci's bus:slot.function,
 * lsusb's bus and device numbers), or take it back. Live (the VM keeps running) when asked, else in
 * the definition; a live add needs the device present on this host.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { NotFoundError, ValidationError } from '../../errors.js';
import { buildHostdevXml, type HostdevSpec } from '../../libvirt/domain-xml/index.js';
import { DomainAffect } from '../../libvirt/index.js';
import { parseXmlTree } from '../../libvirt/xml/tree.js';
import { defineOperation } from '../types.js';
import { affectedText, affectsLive } from './affect.js';
import { sameDevices } from './device-key.js';
import { detachDevice } from './device-plug.js';
import { domainState, isActiveState, lookupDomain } from './domains.js';
import { PassthroughDevice, type PassthroughDeviceParams } from './params.gen.js';
import { recoverChange } from './recover-change.js';
import { libvirtOf, vmOutcome } from './shared.js';

function inRange(field: string, v: number, max: number): number {
  if (v > max)
    throw new ValidationError(`must be at most ${max.toString(16)} (hex) for this device type`, field);
  return v;
}

export function hostdevOf(p: PassthroughDeviceParams): HostdevSpec {
  if (p.dev_type === 'pci') {
    return {
      type: 'pci',
      bus: inRange('bus_num', Number.parseInt(p.bus_num, 16), 0xff),
      slot: inRange('sub_bus_num', Number.parseInt(p.sub_bus_num, 16), 0x1f),
      function: inRange('dev_num', Number.parseInt(p.dev_num, 16), 7),
    };
  }
  // lsusb prints the bus and device numbers in decimal.
  const dec = (field: string, v: string): number => {
    if (!/^\d+$/.test(v))
      throw new ValidationError(`a USB ${field === 'bus_num' ? 'bus' : 'device'} number is decimal`, field);
    return inRange(field, Number(v), 0x7f);
  };
  return { type: 'usb', bus: dec('bus_num', p.bus_num), device: dec('dev_num', p.dev_num) };
}

async function hostHas(h: HostdevSpec): Promise<boolean> {
  if (h.type === 'pci') {
    const hx = (v: number, w: number) => v.toString(16).padStart(w, '0');
    const id = `0000:${hx(h.bus, 2)}:${hx(h.slot, 2)}.${h.function.toString(16)}`;
    return stat(`/sys/bus/pci/devices/${id}`).then(
      () => true,
      () => false,
    );
  }
  const root = '/sys/bus/usb/devices';
  for (const d of await readdir(root).catch(() => [] as string[])) {
    const read = (f: string) =>
      readFile(`${root}/${d}/${f}`, 'utf8').then(
        (s) => Number(s.trim()),
        () => -1,
      );
    if ((await read('busnum')) === h.bus && (await read('devnum')) === h.device) return true;
  }
  return false;
}

export const passthroughDevice = defineOperation({
  ...PassthroughDevice,
  async handler(ctx, p) {
    const h = hostdevOf(p);
    const lv = libvirtOf(ctx);
    const dom = await lookupDomain(lv, ctx.name);
    const running = isActiveState(await domainState(lv, dom));
    if (p.live && !running)
      throw new ValidationError('the VM is not running: a live change is impossible', 'live');
    const flags = p.live ? DomainAffect.LIVE | DomainAffect.CONFIG : DomainAffect.CONFIG;
    const xml = buildHostdevXml(h);
    if (p.action === 'remove') {
      await detachDevice(lv, dom, parseXmlTree(xml), flags, {
        field: 'bus_num',
        timeoutMs: ctx.services.unplugTimeoutMs,
        signal: ctx.signal,
      });
      return vmOutcome(ctx, dom, `host ${h.type} device removed, ${affectedText(flags)}`);
    }
    const present = await hostHas(h);
    if (affectsLive(flags) && !present) {
      throw new NotFoundError(`host ${h.type} device`, `${p.bus_num}:${p.sub_bus_num}.${p.dev_num}`, {
        details: { field: 'bus_num' },
      });
    }
    await lv.domainAttachDeviceFlags(dom, xml, flags);
    const note = present ? '' : ' (the device is not on this host now: the VM cannot start until it is)';
    return vmOutcome(ctx, dom, `host ${h.type} device added, ${affectedText(flags)}${note}`);
  },
  recover(ctx, p) {
    const el = parseXmlTree(buildHostdevXml(hostdevOf(p)));
    const added = p.action !== 'remove';
    return recoverChange(ctx, p, {
      flags: () => (p.live ? DomainAffect.LIVE | DomainAffect.CONFIG : DomainAffect.CONFIG),
      has: (xml) => sameDevices(xml, el).length > 0 === added,
    });
  },
});
