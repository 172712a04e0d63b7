/** What ResizeRAM and ResizeMaxRAM share: the VM's memory limits, in KiB as libvirt counts them. */
import { ValidationError } from '../../errors.js';
import { type DomainRef, DomainXMLFlags } from '../../libvirt/index.js';
import { domainXmlToJson } from '../../libvirt/xml-json.js';
import type { Libvirt } from './domains.js';

type J = Record<string, unknown>;

/** `<memory>` (the maximum) of the live or persistent definition, in KiB. */
export async function maxMemoryKiB(lv: Libvirt, dom: DomainRef, live: boolean): Promise<number> {
  const xml = await lv.domainGetXMLDesc(dom, live ? 0 : DomainXMLFlags.INACTIVE);
  const mem = (domainXmlToJson(xml).memory ?? {}) as J;
  const unit = String(mem._unit ?? 'KiB');
  const factor: Record<string, number> = {
    KiB: 1,
    k: 1,
    KB: 1,
    MiB: 1024,
    M: 1024,
    GiB: 1024 * 1024,
    G: 1024 * 1024,
  };
  return Number(mem.text) * (factor[unit] ?? 1);
}

export function checkWithinMax(size: number, max: number, where: string): void {
  if (size > max) {
    throw new ValidationError(
      `${size} KiB exceeds the ${where} maximum memory of ${max} KiB: raise it with resizeMaxRAM (config) and restart the VM`,
      'size',
    );
  }
}
